//! The storage conformance suite on the PostgreSQL backend: a real PostgreSQL server started
//! by the test (initdb into a temp dir, Unix socket), one fresh database per test.
#![allow(clippy::unwrap_used, missing_docs)]

use std::sync::Arc;
use tim_server::storage::Storage;
use tim_server::testing::postgres::TestDatabase;

tim_server::storage_conformance_tests!(|| {
    let database = TestDatabase::create();
    let storage = tim_server::storage::postgres::connect(&database.url()).unwrap();
    (Arc::new(storage) as Arc<dyn Storage>, database)
});

/// Two backend instances (two nodes) on one database.
mod nodes {
    use super::*;

    tim_server::storage_node_tests!(|| {
        let database = TestDatabase::create();
        let first = tim_server::storage::postgres::connect(&database.url()).unwrap();
        let second = tim_server::storage::postgres::connect(&database.url()).unwrap();
        (
            Arc::new(first) as Arc<dyn Storage>,
            Arc::new(second) as Arc<dyn Storage>,
            database,
        )
    });
}

#[test]
fn the_postgres_store_passes_the_key_value_check() {
    let database = TestDatabase::create();
    let kv = tim_server::storage::postgres::PgKv::connect(&database.url()).unwrap();
    tim_server::storage::kv::check::scans_see_their_own_writes(&kv);
}

#[test]
fn a_node_sees_what_another_node_changed_of_the_rows_it_keeps() {
    use tim_server::storage::kv::{KvTxn, write};
    let database = TestDatabase::create();
    let first = tim_server::storage::postgres::PgKv::connect(&database.url()).unwrap();
    let second = tim_server::storage::postgres::PgKv::connect(&database.url()).unwrap();
    let get = |txn: &dyn KvTxn, key: &[u8]| txn.get("t", key);
    let keys: Vec<Vec<u8>> = ["a", "b", "c", "d"].map(|k| k.as_bytes().to_vec()).into();
    // The first node writes a and b and reads them back: it keeps them.
    write(&first, |txn| {
        txn.put("t", b"a", b"1")?;
        txn.put("t", b"b", b"1")
    })
    .unwrap();
    write(&first, |txn| Ok((get(txn, b"a")?, get(txn, b"b")?))).unwrap();
    // The second node changes a, removes b and adds c.
    write(&second, |txn| {
        txn.put("t", b"a", b"2")?;
        txn.delete("t", b"b")?;
        txn.put("t", b"c", b"3")
    })
    .unwrap();
    let seen = write(&first, |txn| {
        let before: Vec<_> = keys.iter().map(|k| get(txn, k)).collect::<Result<_, _>>()?;
        txn.prefetch("t", &keys)?;
        let after: Vec<_> = keys.iter().map(|k| get(txn, k)).collect::<Result<_, _>>()?;
        Ok((before, after))
    })
    .unwrap();
    let expected = vec![Some(b"2".to_vec()), None, Some(b"3".to_vec()), None];
    assert_eq!(seen.0, expected, "gets after the other node's write");
    assert_eq!(seen.1, expected, "gets after a prefetch");
    // Again, with the first node's next transaction beginning with a prefetch.
    write(&second, |txn| {
        txn.put("t", b"a", b"4")?;
        txn.put("t", b"b", b"4")
    })
    .unwrap();
    let seen = write(&first, |txn| {
        txn.prefetch("t", &keys)?;
        keys.iter()
            .map(|k| get(txn, k))
            .collect::<Result<Vec<_>, _>>()
    })
    .unwrap();
    assert_eq!(
        seen,
        vec![
            Some(b"4".to_vec()),
            Some(b"4".to_vec()),
            Some(b"3".to_vec()),
            None
        ]
    );
}

#[test]
fn a_read_does_not_wait_for_a_write_waiting_for_another_nodes_lock() {
    use std::sync::mpsc;
    use std::time::Duration;
    use tim_server::storage::kv::{KvTxn, read, write};
    use tim_server::storage::postgres::PgKv;
    let database = TestDatabase::create();
    let first = Arc::new(PgKv::connect(&database.url()).unwrap());
    let second = PgKv::connect(&database.url()).unwrap();
    write(&*first, |txn| txn.put("t", b"a", b"1")).unwrap();

    // The second node's transaction holds the cluster's writers' lock until told to end.
    let (locked, is_locked) = mpsc::channel();
    let (release, released) = mpsc::channel::<()>();
    let holder = std::thread::spawn(move || {
        write(&second, |txn| {
            txn.put("t", b"b", b"2")?;
            let _ = locked.send(());
            let _ = released.recv_timeout(Duration::from_secs(60));
            Ok(())
        })
    });
    is_locked.recv_timeout(Duration::from_secs(30)).unwrap();
    // The first node's writer waits for that lock...
    let writer = {
        let first = Arc::clone(&first);
        std::thread::spawn(move || write(&*first, |txn| txn.put("t", b"c", b"3")))
    };
    let mut waiting = false;
    for _ in 0..200 {
        let ungranted = database
            .server
            .psql(
                &database.name,
                "SELECT count(*) FROM pg_locks WHERE NOT granted",
            )
            .unwrap();
        if ungranted.trim() != "0" {
            waiting = true;
            break;
        }
        std::thread::park_timeout(Duration::from_millis(50));
    }
    // ...while a read on the first node answers from its own snapshot.
    let (answer, answered) = mpsc::channel();
    let reader = {
        let first = Arc::clone(&first);
        std::thread::spawn(move || {
            let _ = answer.send(read(&*first, |txn: &dyn KvTxn| txn.get("t", b"a")));
        })
    };
    let seen = answered.recv_timeout(Duration::from_secs(5));
    release.send(()).unwrap();
    holder.join().unwrap().unwrap();
    writer.join().unwrap().unwrap();
    reader.join().unwrap();
    assert!(waiting, "the first node's write never waited for the lock");
    assert_eq!(
        seen.expect("the read waited for the writer").unwrap(),
        Some(b"1".to_vec())
    );
}

#[test]
fn the_changes_lookup_keeps_using_its_index_once_the_table_has_grown() {
    use tim_server::storage::postgres::{CHANGES_SINCE, PgKv, SESSION_SETTINGS};
    let database = TestDatabase::create();
    drop(PgKv::connect(&database.url()).unwrap());
    // The generic plan of the prepared lookup, made while `tim_changes` held one row (as at a
    // node's start), then used once it holds 100,000.
    let plan = |settings: &str| {
        let sql = format!(
            "TRUNCATE tim_changes;
             INSERT INTO tim_changes VALUES (1, 't', '\\x00');
             ANALYZE tim_changes;
             {settings};
             SET plan_cache_mode = force_generic_plan;
             PREPARE since(bigint) AS {CHANGES_SINCE};
             EXPLAIN EXECUTE since(0);
             INSERT INTO tim_changes SELECT g, 't', '\\x00' FROM generate_series(2, 100001) g;
             EXPLAIN EXECUTE since(99990);"
        );
        database.server.psql(&database.name, &sql).unwrap()
    };
    // Without the backend's settings PostgreSQL keeps the plan it made for the small table.
    let plain = plan("");
    assert!(plain.contains("Seq Scan"), "{plain}");
    let ours = plan(SESSION_SETTINGS);
    assert!(
        !ours.contains("Seq Scan") && ours.contains("Index"),
        "the backend's sessions plan a full scan of tim_changes: {ours}"
    );
}

#[test]
fn a_transaction_postgres_aborts_as_a_serialization_failure_is_run_again_from_the_start() {
    use std::cell::Cell;
    use tim_server::storage::kv::{KvTxn, read, write};
    use tim_server::storage::postgres::{MAX_ATTEMPTS, PgKv};
    let database = TestDatabase::create();
    let kv = PgKv::connect(&database.url()).unwrap();
    // A trigger fails the first `$limit` writes to tim_kv as PostgreSQL fails a transaction
    // that lost a race (SQLSTATE 40001); its count is a sequence, which a rollback keeps.
    let arm = |limit: u32| {
        database
            .server
            .psql(
                &database.name,
                &format!(
                    "DROP TRIGGER IF EXISTS lose ON tim_kv;
                     DROP SEQUENCE IF EXISTS losses;
                     CREATE SEQUENCE losses;
                     CREATE OR REPLACE FUNCTION lose() RETURNS trigger AS $$
                     BEGIN
                         IF nextval('losses') <= {limit} THEN
                             RAISE EXCEPTION 'lost a race' USING ERRCODE = 'serialization_failure';
                         END IF;
                         RETURN NEW;
                     END $$ LANGUAGE plpgsql;
                     CREATE TRIGGER lose BEFORE INSERT OR UPDATE ON tim_kv
                         FOR EACH ROW EXECUTE FUNCTION lose();"
                ),
            )
            .unwrap();
    };
    arm(2);
    let runs = Cell::new(0);
    write(&kv, |txn| {
        runs.set(runs.get() + 1);
        let seen = txn.get("t", b"counter")?;
        assert_eq!(seen, None, "a failed attempt left its write behind");
        txn.put("t", b"counter", b"1")
    })
    .unwrap();
    assert_eq!(
        runs.get(),
        3,
        "two lost attempts, then the one that commits"
    );
    let stored = read(&kv, |txn: &dyn KvTxn| txn.get("t", b"counter")).unwrap();
    assert_eq!(stored, Some(b"1".to_vec()));

    // A transaction that keeps losing gives up with a clear error and writes nothing.
    arm(u32::MAX);
    runs.set(0);
    let error = write(&kv, |txn| {
        runs.set(runs.get() + 1);
        txn.put("t", b"other", b"1")
    })
    .unwrap_err();
    assert_eq!(runs.get(), MAX_ATTEMPTS);
    assert!(error.to_string().contains("still conflicting"), "{error}");
    let stored = read(&kv, |txn: &dyn KvTxn| txn.get("t", b"other")).unwrap();
    assert_eq!(stored, None);
}

#[test]
fn a_database_with_a_newer_schema_is_refused_untouched() {
    let database = TestDatabase::create();
    drop(tim_server::storage::postgres::connect(&database.url()).unwrap());
    let newer = tim_server::storage::postgres::SCHEMA_VERSION + 1;
    database
        .server
        .psql(
            &database.name,
            &format!("UPDATE tim_schema SET version = {newer}"),
        )
        .unwrap();
    let error = tim_server::storage::postgres::connect(&database.url()).unwrap_err();
    assert!(error.detail().contains("newer"), "{error}");
    let version = database
        .server
        .psql(&database.name, "SELECT version FROM tim_schema")
        .unwrap();
    assert_eq!(
        version.trim(),
        newer.to_string(),
        "the schema was left as it was"
    );

    // A newer layout without our tables: none is created.
    let other = TestDatabase::create();
    other
        .server
        .psql(
            &other.name,
            &format!(
                "CREATE TABLE tim_schema (id int PRIMARY KEY CHECK (id = 1), version int NOT NULL);
                 INSERT INTO tim_schema VALUES (1, {newer});"
            ),
        )
        .unwrap();
    let error = tim_server::storage::postgres::connect(&other.url()).unwrap_err();
    assert!(error.detail().contains("newer"), "{error}");
    let tables = tim_tables(&other);
    assert_eq!(tables.trim(), "tim_schema", "tables were created");
}

/// The names of the database's `tim_` tables, comma-separated in order.
fn tim_tables(database: &TestDatabase) -> String {
    database
        .server
        .psql(
            &database.name,
            "SELECT string_agg(tablename, ',' ORDER BY tablename) FROM pg_tables \
             WHERE tablename LIKE 'tim_%'",
        )
        .unwrap()
}

#[test]
fn migrations_run_once_and_leave_the_current_version() {
    let database = TestDatabase::create();
    drop(tim_server::storage::postgres::connect(&database.url()).unwrap());
    drop(tim_server::storage::postgres::connect(&database.url()).unwrap());
    let version = database
        .server
        .psql(&database.name, "SELECT version FROM tim_schema")
        .unwrap();
    assert_eq!(
        version.trim(),
        tim_server::storage::postgres::SCHEMA_VERSION.to_string()
    );
    let tables = tim_tables(&database);
    assert_eq!(
        tables.trim(),
        "tim_changes,tim_generation,tim_kv,tim_schema"
    );
}

#[test]
fn a_database_of_the_first_schema_is_upgraded_with_its_rows_kept() {
    use tim_server::storage::kv::{KvTxn, read, write};
    use tim_server::storage::postgres::{PgKv, SCHEMA_VERSION};
    let database = TestDatabase::create();
    // What the first server (schema 1: the key-value table only) left behind.
    database
        .server
        .psql(
            &database.name,
            "CREATE TABLE tim_schema (id int PRIMARY KEY CHECK (id = 1), version int NOT NULL);
             INSERT INTO tim_schema VALUES (1, 1);
             CREATE TABLE tim_kv (tbl text NOT NULL, k bytea NOT NULL, v bytea NOT NULL,
                                  PRIMARY KEY (tbl, k));
             INSERT INTO tim_kv VALUES ('t', 'a', '1');",
        )
        .unwrap();
    let kv = PgKv::connect(&database.url()).unwrap();
    let version = database
        .server
        .psql(&database.name, "SELECT version FROM tim_schema")
        .unwrap();
    assert_eq!(version.trim(), SCHEMA_VERSION.to_string());
    let kept = read(&kv, |txn: &dyn KvTxn| txn.get("t", b"a")).unwrap();
    assert_eq!(kept, Some(b"1".to_vec()));
    // Writes use what the later migrations made (the writers' lock, the change records).
    write(&kv, |txn| txn.put("t", b"b", b"2")).unwrap();
    let changes = database
        .server
        .psql(&database.name, "SELECT count(*) FROM tim_changes")
        .unwrap();
    assert_eq!(changes.trim(), "1");
}

#[test]
fn the_backend_speaks_tls_to_a_database_that_requires_it() {
    use tim_server::testing::postgres::TestPostgres;
    let server = TestPostgres::start_with_tls().unwrap_or_else(|e| panic!("{e}"));
    let url = server.tls_url("postgres").unwrap();
    let storage = tim_server::storage::postgres::connect(&url).unwrap();
    let user = tim_model::ids::UserId::new("alice").unwrap();
    storage
        .apply(vec![tim_server::storage::WriteOp::EnsureUser {
            app: 7,
            user: user.clone(),
        }])
        .unwrap();
    assert!(storage.user(7, &user).unwrap().is_some());
    let sessions = server
        .psql("postgres", "SELECT count(*) FROM pg_stat_ssl WHERE ssl")
        .unwrap();
    assert!(
        sessions.trim().parse::<u32>().unwrap() >= 1,
        "no TLS session: {sessions}"
    );
    drop(storage);
    // A CA that did not sign the server's certificate is refused.
    let other = TestPostgres::start_with_tls().unwrap_or_else(|e| panic!("{e}"));
    let other_ca = other.tls_url("postgres").unwrap();
    let other_ca = other_ca.split("sslrootcert=").nth(1).unwrap();
    let wrong = url.replace(url.split("sslrootcert=").nth(1).unwrap(), other_ca);
    let error = tim_server::storage::postgres::connect(&wrong).unwrap_err();
    let error = error.detail().to_lowercase();
    assert!(
        error.contains("certificate") || error.contains("tls"),
        "{error}"
    );
}
