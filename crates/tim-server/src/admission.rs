//! Who may connect and try to log in: caps on connections in all and per source address, and
//! a lockout after repeated failed logins. Decisions only (no I/O, time passed in); the
//! transport holds one [`Admission`] behind a mutex and an [`AdmissionGuard`] per connection.

use crate::config::ConnectionLimits;
use crate::storage::Refusal;
use std::collections::HashMap;
use std::net::IpAddr;
use std::sync::{Arc, Mutex};
use std::time::Instant;
use tim_model::codes;

/// Most (address, app, user) entries kept for failed logins; beyond, the entries whose window
/// ended are dropped first, then arbitrary ones (the map never grows without bound).
const FAILURE_ENTRIES_MAX: usize = 65_536;

/// Failed logins of one (address, app, user).
#[derive(Debug, Clone, Copy)]
struct Failures {
    /// When the current window started.
    since: Instant,
    /// Failures in the window.
    count: u32,
    /// Logins are refused until then.
    locked_until: Option<Instant>,
}

/// The connections admitted and the failed logins seen.
#[derive(Debug)]
pub(crate) struct Admission {
    limits: ConnectionLimits,
    total: usize,
    per_address: HashMap<IpAddr, usize>,
    failures: HashMap<(IpAddr, u64, String), Failures>,
}

impl Admission {
    pub(crate) fn new(limits: ConnectionLimits) -> Self {
        Self {
            limits,
            total: 0,
            per_address: HashMap::new(),
            failures: HashMap::new(),
        }
    }

    /// Counts a new connection from `address`, or refuses it (-302) when the server or that
    /// address is at its cap.
    pub(crate) fn admit(&mut self, address: IpAddr) -> Result<(), Refusal> {
        if self.total >= self.limits.max_connections {
            return Err(Refusal::new(
                codes::ERR_SVR_SSO_CONNECT_LIMIT,
                format!(
                    "the server is at its limit of {} connections",
                    self.limits.max_connections
                ),
            ));
        }
        let from_address = self.per_address.entry(address).or_insert(0);
        if *from_address >= self.limits.max_connections_per_address {
            return Err(Refusal::new(
                codes::ERR_SVR_SSO_CONNECT_LIMIT,
                format!(
                    "{address} is at its limit of {} connections",
                    self.limits.max_connections_per_address
                ),
            ));
        }
        *from_address += 1;
        self.total += 1;
        Ok(())
    }

    /// Forgets a connection [`admit`](Self::admit) counted.
    pub(crate) fn release(&mut self, address: IpAddr) {
        self.total = self.total.saturating_sub(1);
        if let Some(count) = self.per_address.get_mut(&address) {
            *count = count.saturating_sub(1);
            if *count == 0 {
                self.per_address.remove(&address);
            }
        }
    }

    /// Connections admitted now.
    #[cfg(test)]
    pub(crate) fn connections(&self) -> usize {
        self.total
    }

    /// Whether `user` of `app` may try to log in from `address` at `now`: refused with 70050
    /// while a lockout after repeated failures lasts.
    pub(crate) fn login_allowed(
        &self,
        address: IpAddr,
        app: u64,
        user: &str,
        now: Instant,
    ) -> Result<(), Refusal> {
        let key = (address, app, user.to_owned());
        match self.failures.get(&key).and_then(|f| f.locked_until) {
            Some(until) if now < until => Err(Refusal::new(
                codes::ERR_SVR_ACCOUNT_FREQ_LIMIT,
                format!(
                    "too many failed logins; retry in {} s",
                    until.saturating_duration_since(now).as_secs().max(1)
                ),
            )),
            _ => Ok(()),
        }
    }

    /// Records a failed login; the `failed_logins_max`-th failure within the window locks the
    /// (address, app, user) out for `failed_login_lockout`.
    pub(crate) fn login_failed(&mut self, address: IpAddr, app: u64, user: &str, now: Instant) {
        let key = (address, app, user.to_owned());
        if !self.failures.contains_key(&key) && self.failures.len() >= FAILURE_ENTRIES_MAX {
            self.prune(now);
            if self.failures.len() >= FAILURE_ENTRIES_MAX {
                let victim = self.failures.keys().next().cloned();
                if let Some(victim) = victim {
                    self.failures.remove(&victim);
                }
            }
        }
        let limits = &self.limits;
        let entry = self.failures.entry(key).or_insert(Failures {
            since: now,
            count: 0,
            locked_until: None,
        });
        if now.saturating_duration_since(entry.since) > limits.failed_login_window {
            *entry = Failures {
                since: now,
                count: 0,
                locked_until: None,
            };
        }
        entry.count = entry.count.saturating_add(1);
        if entry.count >= limits.failed_logins_max.max(1) {
            entry.locked_until = Some(now + limits.failed_login_lockout);
            entry.since = now;
            entry.count = 0;
        }
    }

    /// A successful login clears the failures of its (address, app, user).
    pub(crate) fn login_succeeded(&mut self, address: IpAddr, app: u64, user: &str) {
        self.failures.remove(&(address, app, user.to_owned()));
    }

    fn prune(&mut self, now: Instant) {
        let window = self.limits.failed_login_window;
        self.failures.retain(|_, f| {
            f.locked_until.is_some_and(|until| now < until)
                || now.saturating_duration_since(f.since) <= window
        });
    }
}

/// One admitted connection: released from the counts when dropped.
#[derive(Debug)]
pub(crate) struct AdmissionGuard {
    admission: Arc<Mutex<Admission>>,
    address: IpAddr,
}

impl AdmissionGuard {
    /// Admits a connection from `address` (see [`Admission::admit`]).
    pub(crate) fn admit(
        admission: &Arc<Mutex<Admission>>,
        address: IpAddr,
    ) -> Result<Self, Refusal> {
        lock(admission).admit(address)?;
        Ok(Self {
            admission: admission.clone(),
            address,
        })
    }
}

impl Drop for AdmissionGuard {
    fn drop(&mut self) {
        lock(&self.admission).release(self.address);
    }
}

/// The admission state, also after a panic elsewhere poisoned the lock (its counts stay valid:
/// every change is one step).
pub(crate) fn lock(admission: &Mutex<Admission>) -> std::sync::MutexGuard<'_, Admission> {
    admission
        .lock()
        .unwrap_or_else(std::sync::PoisonError::into_inner)
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::time::Duration;

    fn limits() -> ConnectionLimits {
        ConnectionLimits {
            max_connections: 3,
            max_connections_per_address: 2,
            failed_logins_max: 3,
            failed_login_window: Duration::from_secs(60),
            failed_login_lockout: Duration::from_secs(30),
            ..ConnectionLimits::default()
        }
    }

    #[test]
    fn connections_are_capped_in_all_and_per_address() {
        let mut admission = Admission::new(limits());
        let a: IpAddr = [10, 0, 0, 1].into();
        let b: IpAddr = [10, 0, 0, 2].into();
        assert!(admission.admit(a).is_ok() && admission.admit(a).is_ok());
        let third = admission.admit(a).unwrap_err();
        assert_eq!(third.code, codes::ERR_SVR_SSO_CONNECT_LIMIT);
        assert!(admission.admit(b).is_ok());
        assert_eq!(
            admission.admit(b).unwrap_err().code,
            codes::ERR_SVR_SSO_CONNECT_LIMIT,
            "the server's cap"
        );
        admission.release(a);
        assert!(admission.admit(b).is_ok());
        assert_eq!(admission.connections(), 3);
        for address in [a, b, b, b] {
            admission.release(address);
        }
        assert_eq!(admission.connections(), 0);
        assert!(admission.per_address.is_empty());
    }

    #[test]
    fn repeated_failed_logins_lock_out_for_a_while() {
        let mut admission = Admission::new(limits());
        let a: IpAddr = [10, 0, 0, 1].into();
        let start = Instant::now();
        for i in 0..2 {
            admission.login_failed(a, 1, "alice", start + Duration::from_secs(i));
        }
        assert!(admission.login_allowed(a, 1, "alice", start).is_ok());
        admission.login_failed(a, 1, "alice", start + Duration::from_secs(2));
        let refused = admission
            .login_allowed(a, 1, "alice", start + Duration::from_secs(3))
            .unwrap_err();
        assert_eq!(refused.code, codes::ERR_SVR_ACCOUNT_FREQ_LIMIT);
        // Others are not locked out: another user, app or address.
        let later = start + Duration::from_secs(3);
        assert!(admission.login_allowed(a, 1, "bob", later).is_ok());
        assert!(admission.login_allowed(a, 2, "alice", later).is_ok());
        assert!(
            admission
                .login_allowed([10, 0, 0, 9].into(), 1, "alice", later)
                .is_ok()
        );
        // The lockout ends.
        assert!(
            admission
                .login_allowed(a, 1, "alice", start + Duration::from_secs(33))
                .is_ok()
        );
    }

    #[test]
    fn failures_spread_beyond_the_window_never_lock_out_and_success_clears() {
        let mut admission = Admission::new(limits());
        let a: IpAddr = [10, 0, 0, 1].into();
        let start = Instant::now();
        for i in 0..10 {
            admission.login_failed(a, 1, "alice", start + Duration::from_secs(61 * i));
            assert!(
                admission
                    .login_allowed(a, 1, "alice", start + Duration::from_secs(61 * i))
                    .is_ok()
            );
        }
        admission.login_failed(a, 1, "alice", start + Duration::from_secs(611));
        admission.login_succeeded(a, 1, "alice");
        admission.login_failed(a, 1, "alice", start + Duration::from_secs(612));
        assert!(
            admission
                .login_allowed(a, 1, "alice", start + Duration::from_secs(612))
                .is_ok()
        );
    }

    #[test]
    fn the_failure_map_stays_bounded() {
        let mut admission = Admission::new(limits());
        let now = Instant::now();
        for i in 0..(FAILURE_ENTRIES_MAX + 100) {
            admission.login_failed([10, 0, 0, 1].into(), 1, &format!("u{i}"), now);
        }
        assert!(admission.failures.len() <= FAILURE_ENTRIES_MAX);
    }
}
