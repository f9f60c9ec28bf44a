//! The engine of one logged-in user on one device: its local store, its search index, and the
//! one path every change takes (store transaction, then search index).
//!
//! The store is the source of truth. Every store transaction that changes messages also
//! appends to the store's index journal; the engine applies the journal to the index writer
//! after each write, commits the index now and then (an index commit costs tens of ms, a
//! batch of 1,000 messages far less), and acknowledges the journal only up to what the last
//! index commit holds. A search commits first, so it always sees every stored message. A crash
//! anywhere leaves the unacknowledged entries in the journal, which the next open applies
//! again (upserts and deletes are idempotent), so store and index never stay apart. An index
//! that cannot be opened (damaged, or written by another schema) is rebuilt from the store.

use crate::error::{CoreError, Result};
use crate::ids::IdGenerator;
use std::path::{Path, PathBuf};
use std::sync::Mutex;
use std::time::{Duration, Instant};
use tim_model::enums::MsgStatus;
use tim_model::{ConvId, MessageId, UserId, codes};
use tim_search::{SearchIndex, doc_for};
use tim_store::{Anchor, Direction, JournalOp, PageQuery, Store};

/// How many journal entries one index batch applies.
const JOURNAL_BATCH: usize = 4096;
/// How many messages one page of an index rebuild reads.
const REBUILD_PAGE: usize = 1000;
/// Commit the index once this many journal entries wait in the writer...
const COMMIT_EVERY_ENTRIES: u64 = 50_000;
/// ...or once the last commit is this old.
const COMMIT_EVERY: Duration = Duration::from_secs(2);

/// How far the index has followed the store's journal.
struct IndexProgress {
    /// The newest journal entry applied to the index writer.
    applied: u64,
    /// Entries applied since the last index commit.
    uncommitted: u64,
    /// When the index was last committed.
    last_commit: Instant,
}

/// The local engine of one user.
pub struct Engine {
    pub(crate) user: UserId,
    pub(crate) store: Store,
    pub(crate) index: SearchIndex,
    pub(crate) ids: IdGenerator,
    /// How far the index has followed the journal; the lock also serialises index updates.
    index_progress: Mutex<IndexProgress>,
}

impl Engine {
    /// Opens (or creates) the engine of `user` under `data_dir`: the user's store and search
    /// index live in their own folder, and the index is brought in step with the store.
    pub fn open(data_dir: &Path, user: &UserId) -> Result<Self> {
        let folder = user_folder(data_dir, user);
        std::fs::create_dir_all(&folder).map_err(|err| io_error(&folder, &err))?;
        let store = Store::open(&folder.join("messages.redb"))?;
        let index_dir = folder.join("search");
        let (index, rebuild) = match SearchIndex::open(&index_dir) {
            Ok(index) => (index, false),
            Err(_) => {
                // Damaged or from another schema: the store holds everything needed to rebuild.
                if index_dir.exists() {
                    std::fs::remove_dir_all(&index_dir)
                        .map_err(|err| io_error(&index_dir, &err))?;
                }
                (SearchIndex::open(&index_dir)?, true)
            }
        };
        let progress = IndexProgress {
            applied: 0,
            uncommitted: 0,
            last_commit: Instant::now(),
        };
        let engine = Self {
            user: user.clone(),
            store,
            index,
            ids: IdGenerator::new(),
            index_progress: Mutex::new(progress),
        };
        if rebuild {
            engine.rebuild_index()?;
        }
        engine.flush_index()?;
        Ok(engine)
    }

    /// The user this engine belongs to.
    pub fn user(&self) -> &UserId {
        &self.user
    }

    /// Records the store could not decode since it was opened (each skipped, never fatal).
    pub fn skipped_records(&self) -> Vec<tim_store::SkippedRecord> {
        self.store.skipped_records()
    }

    /// Applies the store's new journal entries to the search index, committing it when enough
    /// has piled up or enough time has passed (called after every write).
    ///
    /// A write never waits for the index: when another thread holds it (a search committing,
    /// another write applying), this returns at once. Nothing is lost: the entries stay in the
    /// store's journal until a commit acknowledges them, the next write or search applies them,
    /// and a search always applies and commits everything first ([`Self::flush_index`]).
    pub fn sync_index(&self) -> Result<()> {
        let mut progress = match self.index_progress.try_lock() {
            Ok(progress) => progress,
            Err(std::sync::TryLockError::WouldBlock) => return Ok(()),
            Err(std::sync::TryLockError::Poisoned(_)) => {
                return Err(CoreError::refused(
                    codes::ERR_SDK_INTERNAL_ERROR,
                    "the index lock was poisoned",
                ));
            }
        };
        self.apply_journal(&mut progress)?;
        if progress.uncommitted >= COMMIT_EVERY_ENTRIES
            || progress.last_commit.elapsed() >= COMMIT_EVERY
        {
            self.commit_index(&mut progress)?;
        }
        Ok(())
    }

    /// Applies every journal entry and commits the index, so searches see every stored message.
    pub fn flush_index(&self) -> Result<()> {
        let mut progress = self.lock_progress()?;
        self.apply_journal(&mut progress)?;
        if progress.uncommitted > 0 {
            self.commit_index(&mut progress)?;
        }
        Ok(())
    }

    fn lock_progress(&self) -> Result<std::sync::MutexGuard<'_, IndexProgress>> {
        self.index_progress.lock().map_err(|_| {
            CoreError::refused(codes::ERR_SDK_INTERNAL_ERROR, "the index lock was poisoned")
        })
    }

    fn apply_journal(&self, progress: &mut IndexProgress) -> Result<()> {
        loop {
            let entries = self
                .store
                .index_journal_after(progress.applied, JOURNAL_BATCH)?;
            let Some(last) = entries.last().map(|entry| entry.id) else {
                return Ok(());
            };
            let count = entries.len() as u64;
            // Consecutive upserts go to the index as one batch; order is kept across kinds.
            let mut docs = Vec::new();
            for entry in entries {
                match entry.op {
                    JournalOp::Upsert { conv, message } => {
                        let searchable = !matches!(
                            message.status,
                            Some(MsgStatus::Revoked | MsgStatus::Deleted)
                        );
                        match (searchable, doc_for(&message, &conv.to_string())) {
                            (true, Some(doc)) => docs.push(doc),
                            _ => {
                                self.flush_docs(&mut docs)?;
                                if let Some(id) = &message.msg_id {
                                    self.index.delete(&[id.as_str()])?;
                                }
                            }
                        }
                    }
                    JournalOp::Delete { msg_id } => {
                        self.flush_docs(&mut docs)?;
                        self.index.delete(&[msg_id.as_str()])?;
                    }
                    JournalOp::ClearConversation { conv } => {
                        self.flush_docs(&mut docs)?;
                        self.index.delete_conversation(&conv.to_string())?;
                    }
                }
            }
            self.flush_docs(&mut docs)?;
            progress.applied = last;
            progress.uncommitted += count;
        }
    }

    fn flush_docs(&self, docs: &mut Vec<tim_search::SearchDoc>) -> Result<()> {
        if !docs.is_empty() {
            self.index.upsert(docs)?;
            docs.clear();
        }
        Ok(())
    }

    /// Commits the index, then acknowledges the journal entries the commit holds.
    fn commit_index(&self, progress: &mut IndexProgress) -> Result<()> {
        self.index.commit()?;
        self.store.ack_index_journal(progress.applied)?;
        progress.uncommitted = 0;
        progress.last_commit = Instant::now();
        Ok(())
    }

    /// Refills an empty index from every message of the store.
    fn rebuild_index(&self) -> Result<()> {
        for (conv, _) in self.store.conversations()? {
            let mut anchor = Anchor::Oldest;
            loop {
                let query = PageQuery::new(anchor.clone(), Direction::Newer, REBUILD_PAGE);
                let page = self.store.page(&conv, &query)?;
                let key = conv.to_string();
                let docs: Vec<_> = page
                    .iter()
                    .filter(|m| !matches!(m.status, Some(MsgStatus::Revoked | MsgStatus::Deleted)))
                    .filter_map(|m| doc_for(m, &key))
                    .collect();
                self.index.upsert(&docs)?;
                match page.last().and_then(|m| m.msg_id.clone()) {
                    Some(last) if page.len() == REBUILD_PAGE => anchor = Anchor::After(last),
                    _ => break,
                }
            }
        }
        self.index.commit()?;
        Ok(())
    }

    /// The message ID and random number for a new message made at `now`.
    pub(crate) fn new_identity(&self, now: u64) -> Result<(MessageId, u64)> {
        self.ids.next(now)
    }

    /// The conversation a C caller names with `conv_id` and `conv_type`.
    pub fn conversation_id(conv_type: tim_model::enums::ConvType, conv_id: &str) -> Result<ConvId> {
        Ok(ConvId::new(conv_type, conv_id)?)
    }
}

impl std::fmt::Debug for Engine {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Engine")
            .field("user", &self.user)
            .finish_non_exhaustive()
    }
}

impl Drop for Engine {
    /// Commits what the index has not committed yet. A failure here loses nothing: the journal
    /// still holds the entries, and the next open applies them.
    fn drop(&mut self) {
        let _ = self.flush_index();
    }
}

/// The folder of `user` under `data_dir`: the user ID hex-encoded, since user IDs may hold
/// characters that paths may not (`/`, `:`, ...).
fn user_folder(data_dir: &Path, user: &UserId) -> PathBuf {
    let hex: String = user.as_str().bytes().map(|b| format!("{b:02x}")).collect();
    data_dir.join("users").join(hex)
}

fn io_error(path: &Path, err: &std::io::Error) -> CoreError {
    CoreError::refused(
        codes::ERR_IO_OPERATION_FAILED,
        format!("{}: {err}", path.display()),
    )
}

/// Seconds since the Unix epoch.
pub(crate) fn now_secs() -> u64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |elapsed| elapsed.as_secs())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_engine_can_be_shared_between_threads() {
        fn shareable<T: Send + Sync>() {}
        shareable::<Engine>();
    }

    #[test]
    fn user_folders_are_hex_so_any_user_id_is_a_valid_path() {
        let user = UserId::new("a/b:c").unwrap();
        let folder = user_folder(Path::new("/data"), &user);
        assert_eq!(folder, Path::new("/data/users/612f623a63"));
    }
}
