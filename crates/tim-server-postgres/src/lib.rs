//! `tim-server-postgres` is the tim server's shared storage backend, for several nodes on one
//! database: it implements [`KvStore`] on PostgreSQL (tokio-postgres, TLS on rustls with
//! ring), and nothing else: the rules and the record layout are the data model's
//! (`tim-server-storage`). What it must never do: decide anything the data model decides,
//! hand out a number (seq, cursor, ID) from anything but a row updated in the transaction
//! that uses it, acknowledge a write before its `COMMIT` returned, or touch a database whose
//! schema is newer than its own.
//!
//! It keeps the data model's tables as rows of one table `tim_kv (tbl, k, v)` (primary key
//! `(tbl, k)`; keys compare as `bytea`, byte by byte), so several tim-server nodes share one
//! database.
//!
//! Writes are serialized across nodes: every write transaction first bumps the one row of
//! `tim_generation`; that row's lock, held to the commit, is the only lock of the scheme (so
//! the lock order is trivially fixed and writers never deadlock or starve one another), and
//! the transaction then reads at READ COMMITTED, which under the lock sees every earlier
//! commit. The generation also tells a node whether anyone wrote since its own last commit,
//! so that it may keep what it read in memory (`cache`): what another node changed of it is
//! read again in one round trip at the start of the next transaction. The counters of the data
//! model (seqs, log positions, tiny IDs) are rows read and updated inside the transaction that
//! stores the message, so two nodes never hand out the same number and a rolled-back
//! transaction leaves no gap (no `SEQUENCE` is used). Each node's writer groups many requests
//! into one transaction, so the lock is taken once per batch, not per message; the writes of a
//! transaction are buffered and sent in two statements with the `COMMIT` (`txn`), and the
//! rows a batch will read are asked for together where the data model says which
//! ([`KvTxn::prefetch`](tim_server_storage::kv::KvTxn::prefetch)). Every round trip counts,
//! since it is taken while holding the cluster's one lock. A transaction that
//! PostgreSQL still aborts for a serialization failure (40001) or a deadlock (40P01) is run
//! again from the start, up to [`MAX_ATTEMPTS`] times. Reads run at REPEATABLE READ, READ
//! ONLY: one snapshot each, no lock, never behind this node's writer, on at most
//! 16 connections (`readers`).
//!
//! The schema is versioned in `tim_schema`; [`connect`] applies the missing migrations in one
//! transaction under an advisory lock (nodes starting together migrate once) and refuses,
//! without touching anything, a database whose schema is newer than this server's.
//!
//! The calls block: the backend drives its connections on a runtime of its own and is called
//! from the writer thread and from blocking tasks, never from an async task.

mod cache;
mod readers;
mod tls;
mod txn;

use std::sync::Mutex;
use std::time::Duration;
use tim_server_storage::KvStorage;
use tim_server_storage::StorageError;
use tim_server_storage::kv::{KvStore, TxnBody};
use tokio_postgres::error::SqlState;
use tokio_postgres::{Client, NoTls, Statement};
use txn::PgTxn;

/// The schema version this server writes.
pub const SCHEMA_VERSION: i32 = 3;

/// Attempts of one write transaction before a conflict is reported as an error.
pub const MAX_ATTEMPTS: u32 = 30;

/// Longest wait for a new connection: while the database is down, a request fails after it
/// (the client gets the storage failure's code) rather than waiting out the client's timeout.
const CONNECT_TIMEOUT: Duration = Duration::from_secs(3);

/// The migrations, in order: `MIGRATIONS[n]` takes the schema from version `n` to `n + 1`.
const MIGRATIONS: &[&str] = &[
    "CREATE TABLE tim_kv (
        tbl text NOT NULL,
        k bytea NOT NULL,
        v bytea NOT NULL,
        PRIMARY KEY (tbl, k)
    )",
    // The writers' lock and the count of write transactions (see `cache`).
    "CREATE TABLE tim_generation (id int PRIMARY KEY CHECK (id = 1), n bigint NOT NULL);
     INSERT INTO tim_generation (id, n) VALUES (1, 0)",
    // The keys each write transaction changed, by generation (see `cache`).
    "CREATE TABLE tim_changes (generation bigint NOT NULL, tbl text NOT NULL, k bytea NOT NULL);
     CREATE INDEX tim_changes_generation ON tim_changes (generation)",
];

/// Settings of every connection, before its statements are prepared.
///
/// - No JIT: it compiles a plan whose estimated cost is high, and the generic plan of a
///   prepared range (`generation > $1`) is estimated at a third of its table: compiling it
///   takes 100+ ms, under the writers' lock. No statement here is worth it.
/// - No sequential scans: every statement is a lookup by key, key range or generation, and a
///   prepared statement's generic plan, once made, is kept for the connection's life. Made
///   while a table was small (`tim_changes` at start), it is a sequential scan, still used
///   when the table holds hundreds of thousands of rows: that made a whole cluster run at
///   half speed under the writers' lock (measured: 848 full scans of `tim_changes`, 144
///   million rows read, in one benchmark run).
pub const SESSION_SETTINGS: &str = "SET jit = off; SET enable_seqscan = off";

/// The keys changed by the write transactions after a generation (see `cache`).
pub const CHANGES_SINCE: &str = "SELECT generation, tbl, k FROM tim_changes WHERE generation > $1";

/// The advisory lock held while migrating.
const MIGRATION_LOCK: i64 = 0x7469_6d5f_7363_6865;

/// Connects to the database `url` (`postgres://user@host/db`, or `host=/socket/dir ...`
/// settings), brings its schema up to date and returns the storage on it.
pub fn connect(url: &str) -> Result<KvStorage, StorageError> {
    let kv = PgKv::connect(url)?;
    KvStorage::new(Box::new(kv))
}

fn pg_error(error: &tokio_postgres::Error) -> StorageError {
    match error.as_db_error() {
        Some(db) => {
            let detail = format!("postgres: {} ({})", db.message(), db.code().code());
            if is_unavailable(db.code()) {
                StorageError::unreachable(detail)
            } else {
                StorageError::new(detail)
            }
        }
        None if error.is_closed() || io_cause(error) => {
            StorageError::unreachable(format!("postgres: {error}"))
        }
        None => StorageError::new(format!("postgres: {error}")),
    }
}

/// Whether the database said it cannot serve anyone now (shutting down, starting, or a
/// connection failure: SQLSTATE class 08 and 57P01..57P03).
fn is_unavailable(code: &SqlState) -> bool {
    code.code().starts_with("08")
        || *code == SqlState::ADMIN_SHUTDOWN
        || *code == SqlState::CRASH_SHUTDOWN
        || *code == SqlState::CANNOT_CONNECT_NOW
}

/// Whether `error` comes from the connection's socket (refused, reset, unreachable).
fn io_cause(error: &tokio_postgres::Error) -> bool {
    let mut source = std::error::Error::source(error);
    while let Some(cause) = source {
        if cause.is::<std::io::Error>() {
            return true;
        }
        source = cause.source();
    }
    false
}

/// Runs a connection until it ends.
async fn drive<S, T>(connection: tokio_postgres::Connection<S, T>)
where
    S: tokio::io::AsyncRead + tokio::io::AsyncWrite + Unpin,
    T: tokio::io::AsyncRead + tokio::io::AsyncWrite + Unpin,
{
    if let Err(error) = connection.await {
        tracing::warn!("PostgreSQL connection ended: {error}");
    }
}

/// Whether `error` asks for the transaction to be run again.
fn is_conflict(error: &tokio_postgres::Error) -> bool {
    matches!(
        error.code(),
        Some(code) if *code == SqlState::T_R_SERIALIZATION_FAILURE
            || *code == SqlState::T_R_DEADLOCK_DETECTED
    )
}

/// Of the errors of statements sent together, the one to report: a conflict (the transaction
/// is worth running again) before the errors it caused in the statements after it (25P02,
/// "current transaction is aborted"), otherwise the first.
fn reported(
    first: tokio_postgres::Error,
    later: impl IntoIterator<Item = tokio_postgres::Error>,
) -> tokio_postgres::Error {
    if is_conflict(&first) {
        return first;
    }
    later.into_iter().find(is_conflict).unwrap_or(first)
}

/// One connection and its prepared statements.
struct Conn {
    client: Client,
    get: Statement,
    /// Many keys of one table at once (see [`KvTxn::prefetch`](tim_server_storage::kv::KvTxn::prefetch)).
    get_many: Statement,
    put_many: Statement,
    delete_many: Statement,
    /// Takes the writers' lock and the next generation.
    bump: Statement,
    /// Records the keys a transaction changed.
    changes_insert: Statement,
    /// The keys changed after a generation.
    changes_since: Statement,
    /// Scans: [ascending, descending] x [with an upper bound, without].
    scans: [[Statement; 2]; 2],
}

/// [`KvStore`] on PostgreSQL.
pub struct PgKv {
    runtime: Option<tokio::runtime::Runtime>,
    config: tokio_postgres::Config,
    writer: Mutex<Option<Conn>>,
    readers: readers::Readers<Conn>,
    /// What the writer knows of the database between its transactions.
    cache: Mutex<cache::NodeCache>,
    /// TLS to the database, when the address asks for it (`sslmode=require`).
    tls: Option<tls::RustlsConnect>,
}

impl std::fmt::Debug for PgKv {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("PgKv")
    }
}

impl Drop for PgKv {
    fn drop(&mut self) {
        if let Some(runtime) = self.runtime.take() {
            runtime.shutdown_background();
        }
    }
}

impl PgKv {
    /// Connects to `url` and migrates its schema.
    pub fn connect(url: &str) -> Result<Self, StorageError> {
        let (address, root_cert) = tls::take_root_cert(url);
        let config: tokio_postgres::Config = address
            .parse()
            .map_err(|e| StorageError::new(format!("invalid PostgreSQL address {url:?}: {e}")))?;
        let tls = match config.get_ssl_mode() {
            tokio_postgres::config::SslMode::Require => {
                Some(tls::RustlsConnect::new(root_cert.as_deref()).map_err(StorageError::new)?)
            }
            _ => None,
        };
        let runtime = tokio::runtime::Builder::new_multi_thread()
            .worker_threads(1)
            .thread_name("tim-postgres")
            .enable_all()
            .build()
            .map_err(|e| StorageError::new(format!("cannot start the PostgreSQL runtime: {e}")))?;
        let kv = Self {
            runtime: Some(runtime),
            config,
            writer: Mutex::new(None),
            readers: readers::Readers::new(readers::MAX_READERS),
            cache: Mutex::new(cache::NodeCache::default()),
            tls,
        };
        let client = kv.connect_client()?;
        kv.migrate(&client)?;
        let conn = kv.prepare(client)?;
        *kv.writer.lock().unwrap_or_else(|p| p.into_inner()) = Some(conn);
        Ok(kv)
    }

    fn block_on<F: std::future::Future>(&self, future: F) -> Result<F::Output, StorageError> {
        match &self.runtime {
            Some(runtime) => Ok(runtime.block_on(future)),
            None => Err(StorageError::new("the PostgreSQL backend is shut down")),
        }
    }

    /// A new connection, driven on the backend's runtime.
    fn connect_client(&self) -> Result<Client, StorageError> {
        let config = self.config.clone();
        let runtime = self
            .runtime
            .as_ref()
            .ok_or_else(|| StorageError::new("the PostgreSQL backend is shut down"))?;
        let handle = runtime.handle().clone();
        let tls = self.tls.clone();
        let timed_out = || {
            StorageError::unreachable(format!(
                "postgres: no answer to the connection in {CONNECT_TIMEOUT:?}"
            ))
        };
        self.block_on(async move {
            match tls {
                Some(tls) => {
                    let (client, connection) =
                        tokio::time::timeout(CONNECT_TIMEOUT, config.connect(tls))
                            .await
                            .map_err(|_| timed_out())?
                            .map_err(|e| pg_error(&e))?;
                    handle.spawn(drive(connection));
                    Ok(client)
                }
                None => {
                    let (client, connection) =
                        tokio::time::timeout(CONNECT_TIMEOUT, config.connect(NoTls))
                            .await
                            .map_err(|_| timed_out())?
                            .map_err(|e| pg_error(&e))?;
                    handle.spawn(drive(connection));
                    Ok(client)
                }
            }
        })?
    }

    /// A new connection with its statements prepared.
    fn open(&self) -> Result<Conn, StorageError> {
        let client = self.connect_client()?;
        self.prepare(client)
    }

    fn prepare(&self, client: Client) -> Result<Conn, StorageError> {
        self.block_on(client.batch_execute(SESSION_SETTINGS))?
            .map_err(|e| pg_error(&e))?;
        let prepare = |sql: &str| -> Result<Statement, StorageError> {
            self.block_on(client.prepare(sql))?
                .map_err(|e| pg_error(&e))
        };
        let scan = |descending: bool, bounded: bool| -> Result<Statement, StorageError> {
            prepare(&format!(
                "SELECT k, v FROM tim_kv WHERE tbl = $1 AND k >= $2 {} ORDER BY k {} LIMIT $4",
                if bounded {
                    "AND k < $3"
                } else {
                    "AND $3::bytea IS NULL"
                },
                if descending { "DESC" } else { "ASC" },
            ))
        };
        Ok(Conn {
            get: prepare("SELECT v FROM tim_kv WHERE tbl = $1 AND k = $2")?,
            // One index probe per wanted key, whatever the statistics say: a plain join or
            // `k = ANY($2)`, planned while the table was small, reads every row of the table
            // name once it is large.
            get_many: prepare(
                "SELECT wanted.k, kv.v FROM unnest($2::bytea[]) AS wanted (k)
                 CROSS JOIN LATERAL
                 (SELECT v FROM tim_kv WHERE tbl = $1 AND k = wanted.k LIMIT 1) AS kv",
            )?,
            put_many: prepare(
                "INSERT INTO tim_kv (tbl, k, v)
                 SELECT * FROM unnest($1::text[], $2::bytea[], $3::bytea[])
                 ON CONFLICT (tbl, k) DO UPDATE SET v = EXCLUDED.v",
            )?,
            delete_many: prepare(
                "DELETE FROM tim_kv WHERE (tbl, k) IN
                 (SELECT * FROM unnest($1::text[], $2::bytea[]))",
            )?,
            bump: prepare("UPDATE tim_generation SET n = n + 1 WHERE id = 1 RETURNING n")?,
            changes_insert: prepare(
                "INSERT INTO tim_changes (generation, tbl, k)
                 SELECT $1, * FROM unnest($2::text[], $3::bytea[])",
            )?,
            changes_since: prepare(CHANGES_SINCE)?,
            scans: [
                [scan(false, true)?, scan(false, false)?],
                [scan(true, true)?, scan(true, false)?],
            ],
            client,
        })
    }

    /// Applies the missing migrations in one transaction; refuses a newer schema untouched.
    fn migrate(&self, client: &Client) -> Result<(), StorageError> {
        let outcome = self.block_on(async {
            client.batch_execute("BEGIN").await?;
            client
                .execute("SELECT pg_advisory_xact_lock($1)", &[&MIGRATION_LOCK])
                .await?;
            client
                .batch_execute(
                    "CREATE TABLE IF NOT EXISTS tim_schema (
                        id int PRIMARY KEY CHECK (id = 1),
                        version int NOT NULL
                    )",
                )
                .await?;
            let version: i32 = client
                .query_opt("SELECT version FROM tim_schema WHERE id = 1", &[])
                .await?
                .map(|row| row.try_get(0))
                .transpose()?
                .unwrap_or(0);
            if version > SCHEMA_VERSION {
                client.batch_execute("ROLLBACK").await?;
                return Ok(Some(version));
            }
            for (from, migration) in MIGRATIONS.iter().enumerate() {
                if i32::try_from(from).unwrap_or(i32::MAX) >= version {
                    client.batch_execute(migration).await?;
                }
            }
            client
                .execute(
                    "INSERT INTO tim_schema (id, version) VALUES (1, $1)
                     ON CONFLICT (id) DO UPDATE SET version = EXCLUDED.version",
                    &[&SCHEMA_VERSION],
                )
                .await?;
            client.batch_execute("COMMIT").await?;
            Ok::<_, tokio_postgres::Error>(None)
        })?;
        match outcome {
            Ok(None) => Ok(()),
            Ok(Some(version)) => Err(StorageError::new(format!(
                "the database has tim schema version {version}, newer than this server's \
                 {SCHEMA_VERSION}: run a newer tim-server (nothing was changed)"
            ))),
            Err(error) => {
                let _ = self.block_on(client.batch_execute("ROLLBACK"));
                Err(pg_error(&error))
            }
        }
    }

    /// Runs `body` in a transaction begun with `begin` on `conn`; a writable transaction
    /// first bumps the generation (taking the writers' lock), reads through the node's cache,
    /// and sends its buffered writes before it commits.
    fn transaction(
        &self,
        conn: &Conn,
        begin: &str,
        writable: bool,
        body: &mut TxnBody<'_>,
    ) -> Result<(), (StorageError, bool)> {
        let plain = |e: StorageError| (e, false);
        let pg = |e: tokio_postgres::Error| (pg_error(&e), is_conflict(&e));
        // Only a write uses the node's cache (reads take their own snapshot): a read never
        // waits for this node's writer, which may be waiting for the cluster's writers' lock.
        let mut node = writable.then(|| self.cache.lock().unwrap_or_else(|p| p.into_inner()));
        let known = node.as_ref().map_or(0, |node| node.generation());
        let started = self.block_on(async {
            conn.client.batch_execute(begin).await?;
            if !writable {
                return Ok((0, Vec::new()));
            }
            // Pipelined, both prepared so that they reach the server in this order: the
            // second runs once the first holds the writers' lock, and sees every commit before.
            let bump = conn.client.query_one(&conn.bump, &[]);
            let since = async {
                if known == 0 {
                    return Ok(Vec::new());
                }
                conn.client.query(&conn.changes_since, &[&known]).await
            };
            let (row, changes) = match tokio::join!(bump, since) {
                (Ok(row), Ok(changes)) => (row, changes),
                (Err(first), changes) => return Err(reported(first, changes.err())),
                (Ok(_), Err(error)) => return Err(error),
            };
            let changes = changes
                .iter()
                .map(|row| Ok((row.try_get(0)?, row.try_get(1)?, row.try_get(2)?)))
                .collect::<Result<Vec<(i64, String, Vec<u8>)>, tokio_postgres::Error>>()?;
            Ok((row.try_get::<_, i64>(0)?, changes))
        });
        let (generation, changes) = match started.map_err(plain).and_then(|r| r.map_err(pg)) {
            Ok(started) => started,
            Err(error) => {
                if let Some(node) = node.as_mut() {
                    node.clear();
                }
                let _ = self.block_on(conn.client.batch_execute("ROLLBACK"));
                return Err(error);
            }
        };
        let forgotten = match node.as_mut() {
            Some(node) => node.begin(generation, changes),
            None => Vec::new(),
        };
        let txn = PgTxn::new(self, conn, writable, node.as_deref(), forgotten);
        let result = body(&txn).and_then(|()| txn.commit(generation));
        let conflict = txn.conflicted();
        let read = txn.into_read();
        match result {
            Ok(written) => {
                if let Some(node) = node.as_mut() {
                    node.commit(generation, read, written);
                }
                Ok(())
            }
            Err(error) => {
                if let Some(node) = node.as_mut() {
                    node.clear();
                }
                let _ = self.block_on(conn.client.batch_execute("ROLLBACK"));
                Err((error, conflict))
            }
        }
    }

    /// Takes the writer connection, opening a new one when the last one broke.
    fn with_writer<T>(
        &self,
        f: impl FnOnce(&Conn) -> Result<T, (StorageError, bool)>,
    ) -> Result<T, (StorageError, bool)> {
        let mut slot = self.writer.lock().unwrap_or_else(|p| p.into_inner());
        let conn = match slot.take() {
            Some(conn) if !conn.client.is_closed() => conn,
            _ => self.open().map_err(|e| (e, false))?,
        };
        let result = f(&conn);
        // A connection that failed for anything but a conflict may be broken: the next
        // transaction opens a fresh one.
        if matches!(&result, Ok(_) | Err((_, true))) && !conn.client.is_closed() {
            *slot = Some(conn);
        }
        result
    }
}

impl KvStore for PgKv {
    fn blocks(&self) -> bool {
        true
    }

    fn reruns(&self) -> bool {
        true
    }

    fn write(&self, body: &mut TxnBody<'_>) -> Result<(), StorageError> {
        let mut attempt = 0;
        loop {
            attempt += 1;
            match self.with_writer(|conn| {
                self.transaction(conn, "BEGIN ISOLATION LEVEL READ COMMITTED", true, body)
            }) {
                Ok(()) => return Ok(()),
                Err((_, true)) if attempt < MAX_ATTEMPTS => {
                    // Another node won the race: back off a little, more after each loss.
                    let pause = Duration::from_micros(200 * u64::from(attempt.min(20)));
                    std::thread::sleep(pause);
                }
                Err((error, true)) => {
                    return Err(StorageError::new(format!(
                        "{error}; still conflicting after {MAX_ATTEMPTS} attempts"
                    )));
                }
                Err((error, false)) => return Err(error),
            }
        }
    }

    fn read(&self, body: &mut TxnBody<'_>) -> Result<(), StorageError> {
        let conn = self.readers.take(
            |conn| !conn.client.is_closed(),
            || self.open(),
            readers::WAIT,
        )?;
        let result = self
            .transaction(
                &conn,
                "BEGIN ISOLATION LEVEL REPEATABLE READ, READ ONLY",
                false,
                body,
            )
            .map_err(|(error, _)| error);
        let keep = result.is_ok() && !conn.client.is_closed();
        self.readers.give_back(conn, keep);
        result
    }
}
