//! The connections a node reads on. At most [`MAX_READERS`] are open at once, whatever the
//! number of requests reading together: PostgreSQL refuses connections beyond its
//! `max_connections` (100 by default), shared by every node. A read that finds them all busy
//! waits for one to come back, up to [`WAIT`], then fails with a storage error.

use std::sync::{Condvar, Mutex, MutexGuard};
use std::time::{Duration, Instant};
use tim_server_storage::StorageError;

/// Read connections one node keeps open at most.
pub const MAX_READERS: usize = 16;

/// Longest wait for a busy read connection.
pub const WAIT: Duration = Duration::from_secs(10);

/// A bounded pool of connections `C`, opened on demand and kept while they work.
pub(super) struct Readers<C> {
    state: Mutex<State<C>>,
    returned: Condvar,
    max: usize,
}

struct State<C> {
    idle: Vec<C>,
    /// Connections open: idle or lent out.
    open: usize,
}

impl<C> Readers<C> {
    /// A pool of at most `max` connections.
    pub(super) fn new(max: usize) -> Self {
        Self {
            state: Mutex::new(State {
                idle: Vec::new(),
                open: 0,
            }),
            returned: Condvar::new(),
            max,
        }
    }

    fn lock(&self) -> MutexGuard<'_, State<C>> {
        self.state.lock().unwrap_or_else(|p| p.into_inner())
    }

    /// An idle connection that is still `alive`, or a new one from `open` while fewer than
    /// the maximum are open; otherwise waits up to `wait` for one to come back.
    pub(super) fn take(
        &self,
        alive: impl Fn(&C) -> bool,
        open: impl FnOnce() -> Result<C, StorageError>,
        wait: Duration,
    ) -> Result<C, StorageError> {
        let deadline = Instant::now() + wait;
        let mut state = self.lock();
        loop {
            while let Some(conn) = state.idle.pop() {
                if alive(&conn) {
                    return Ok(conn);
                }
                state.open -= 1;
            }
            if state.open < self.max {
                state.open += 1;
                drop(state);
                return open().inspect_err(|_| self.forget());
            }
            let left = deadline.saturating_duration_since(Instant::now());
            if left.is_zero() {
                return Err(StorageError::new(format!(
                    "all {} read connections to PostgreSQL stayed busy for {wait:?}",
                    self.max
                )));
            }
            state = match self.returned.wait_timeout(state, left) {
                Ok((state, _)) => state,
                Err(poisoned) => poisoned.into_inner().0,
            };
        }
    }

    /// Gives `conn` back: kept for the next read when `keep`, closed otherwise.
    pub(super) fn give_back(&self, conn: C, keep: bool) {
        if keep {
            self.lock().idle.push(conn);
            self.returned.notify_one();
        } else {
            drop(conn);
            self.forget();
        }
    }

    /// One connection fewer is open.
    fn forget(&self) {
        let mut state = self.lock();
        state.open = state.open.saturating_sub(1);
        drop(state);
        self.returned.notify_one();
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::Arc;
    use std::sync::atomic::{AtomicUsize, Ordering};

    #[test]
    fn never_more_than_the_maximum_are_open_and_a_waiting_read_gets_one_given_back() {
        let readers = Arc::new(Readers::new(2));
        let opened = Arc::new(AtomicUsize::new(0));
        let open = || {
            let n = opened.fetch_add(1, Ordering::SeqCst);
            Ok(n)
        };
        let first = readers.take(|_| true, open, WAIT).unwrap();
        let second = readers.take(|_| true, open, WAIT).unwrap();
        // A third read finds both busy and times out without opening a third connection.
        let busy = readers.take(|_| true, open, Duration::from_millis(20));
        assert!(busy.unwrap_err().to_string().contains("busy"));
        assert_eq!(opened.load(Ordering::SeqCst), 2);

        // A read that waits gets the connection another one gives back.
        let waiting = {
            let readers = Arc::clone(&readers);
            std::thread::spawn(move || readers.take(|_| true, || Ok(99), WAIT))
        };
        readers.give_back(first, true);
        assert_eq!(waiting.join().unwrap().unwrap(), first);
        readers.give_back(second, true);
    }

    #[test]
    fn a_broken_or_dropped_connection_frees_its_place() {
        let readers = Readers::new(1);
        let conn = readers.take(|_| true, || Ok(1), WAIT).unwrap();
        readers.give_back(conn, false);
        let conn = readers.take(|_| true, || Ok(2), WAIT).unwrap();
        assert_eq!(conn, 2);
        readers.give_back(conn, true);
        // The idle one is dead: it is dropped and a new one opened in its place.
        assert_eq!(readers.take(|c| *c != 2, || Ok(3), WAIT).unwrap(), 3);
        // A failed open frees its place too.
        readers.give_back(3, false);
        assert!(
            readers
                .take(|_| true, || Err(StorageError::new("down")), WAIT)
                .is_err()
        );
        assert_eq!(readers.take(|_| true, || Ok(4), WAIT).unwrap(), 4);
    }
}
