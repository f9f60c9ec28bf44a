//! Trimming users' event logs in [`KvStorage`](super::KvStorage): each user keeps the
//! newest `keep` events; `log_start` (tiny ID -> first kept position) tells sync where the
//! log begins, so a device whose cursor is older gets `cursor_expired` and refreshes from
//! history. Messages themselves are never trimmed here (history stays complete).

use super::LOG_START;
use super::write::Tables;
use crate::{Applied, StorageError, WriteOutcome};

/// Where the current pass over the users goes on (a tiny ID).
const TRIM_NEXT_TINY: &str = "trim_next_tiny";

impl Tables<'_> {
    /// Trims the logs of at most `max_users` users, from where the last op stopped.
    pub(super) fn trim_logs(
        &mut self,
        keep: u64,
        max_users: usize,
    ) -> Result<WriteOutcome, StorageError> {
        let keep = keep.max(1);
        let from = self.meta.get(TRIM_NEXT_TINY)?.map_or(0, |v| v.value());
        let mut users = Vec::with_capacity(max_users.min(4096));
        let mut next = None;
        for entry in self.heads.range(from..)? {
            let (tiny, head) = entry?;
            if users.len() >= max_users.max(1) {
                next = Some(tiny.value());
                break;
            }
            users.push((tiny.value(), head.value()));
        }
        let pass_done = next.is_none();
        self.meta.insert(TRIM_NEXT_TINY, next.unwrap_or(0))?;
        let mut starts = self.txn.open_table(LOG_START)?;
        let mut removed = 0u64;
        for (tiny, head) in users {
            let start = starts.get(tiny)?.map_or(1, |v| v.value());
            let new_start = head.saturating_sub(keep).saturating_add(1);
            if new_start <= start {
                continue;
            }
            for position in start..new_start {
                if self.events.remove((tiny, position))?.is_some() {
                    removed = removed.saturating_add(1);
                }
            }
            starts.insert(tiny, new_start)?;
        }
        Ok(WriteOutcome::applied(Applied::Trimmed {
            events: removed,
            pass_done,
        }))
    }
}
