//! The devices other nodes hold, as their bus events and snapshots tell: who is online
//! elsewhere and in the foreground, for the offline push decisions of the node that commits.

use crate::bus::wire::WireDevice;
use crate::storage::AppId;
use std::collections::HashMap;
use std::sync::{Mutex, MutexGuard};
use std::time::{Duration, Instant};

/// One device of another node.
#[derive(Debug, Clone)]
struct RemoteDevice {
    node: u64,
    conn_id: u64,
    background: bool,
}

#[derive(Debug, Default)]
struct State {
    devices: HashMap<(AppId, String), Vec<RemoteDevice>>,
    /// When each node was last heard from.
    nodes: HashMap<u64, Instant>,
}

/// Other nodes' devices.
#[derive(Debug, Default)]
pub(crate) struct RemoteDevices {
    state: Mutex<State>,
}

impl RemoteDevices {
    fn lock(&self) -> MutexGuard<'_, State> {
        self.state.lock().unwrap_or_else(|p| p.into_inner())
    }

    /// `node` was heard from at `now`.
    pub fn seen(&self, node: u64, now: Instant) {
        self.lock().nodes.insert(node, now);
    }

    /// A device logged in on `node`.
    pub fn online(&self, node: u64, device: WireDevice) {
        let mut state = self.lock();
        let devices = state.devices.entry((device.app, device.user)).or_default();
        devices.retain(|d| !(d.node == node && d.conn_id == device.conn_id));
        devices.push(RemoteDevice {
            node,
            conn_id: device.conn_id,
            background: device.background,
        });
    }

    /// A connection of `node` ended.
    pub fn offline(&self, node: u64, device: &WireDevice) {
        let mut state = self.lock();
        let key = (device.app, device.user.clone());
        if let Some(devices) = state.devices.get_mut(&key) {
            devices.retain(|d| !(d.node == node && d.conn_id == device.conn_id));
            if devices.is_empty() {
                state.devices.remove(&key);
            }
        }
    }

    /// A device of `node` changed its foreground/background state.
    pub fn app_state(&self, node: u64, device: &WireDevice) {
        let mut state = self.lock();
        if let Some(devices) = state.devices.get_mut(&(device.app, device.user.clone())) {
            for d in devices
                .iter_mut()
                .filter(|d| d.node == node && d.conn_id == device.conn_id)
            {
                d.background = device.background;
            }
        }
    }

    /// Every device of `node`: replaces what was known of it.
    pub fn snapshot(&self, node: u64, devices: Vec<WireDevice>) {
        let mut state = self.lock();
        Self::drop_node(&mut state, node);
        for device in devices {
            state
                .devices
                .entry((device.app, device.user))
                .or_default()
                .push(RemoteDevice {
                    node,
                    conn_id: device.conn_id,
                    background: device.background,
                });
        }
    }

    fn drop_node(state: &mut State, node: u64) {
        state.devices.retain(|_, devices| {
            devices.retain(|d| d.node != node);
            !devices.is_empty()
        });
    }

    /// Forgets the nodes not heard from for `timeout` before `now`.
    pub fn expire(&self, now: Instant, timeout: Duration) {
        let mut state = self.lock();
        let gone: Vec<u64> = state
            .nodes
            .iter()
            .filter(|(_, seen)| now.saturating_duration_since(**seen) > timeout)
            .map(|(node, _)| *node)
            .collect();
        for node in gone {
            state.nodes.remove(&node);
            Self::drop_node(&mut state, node);
        }
    }

    /// Forgets every other node (the bus was lost).
    pub fn clear(&self) {
        let mut state = self.lock();
        state.devices.clear();
        state.nodes.clear();
    }

    /// Whether `user` has a device in the foreground on another node.
    pub fn in_foreground(&self, app: AppId, user: &str) -> bool {
        self.lock()
            .devices
            .get(&(app, user.to_owned()))
            .is_some_and(|devices| devices.iter().any(|d| !d.background))
    }

    /// Other nodes heard from.
    pub fn nodes(&self) -> usize {
        self.lock().nodes.len()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn device(user: &str, conn_id: u64, background: bool) -> WireDevice {
        WireDevice {
            app: 1,
            user: user.into(),
            device_id: format!("d{conn_id}"),
            conn_id,
            platform: 1,
            background,
            unread: 0,
        }
    }

    #[test]
    fn devices_come_and_go_with_events_snapshots_and_silence() {
        let remote = RemoteDevices::default();
        let start = Instant::now();
        remote.seen(5, start);
        remote.online(5, device("bob", 1, false));
        assert!(remote.in_foreground(1, "bob"));
        remote.app_state(5, &device("bob", 1, true));
        assert!(!remote.in_foreground(1, "bob"));
        remote.snapshot(5, vec![device("bob", 2, false)]);
        assert!(remote.in_foreground(1, "bob"));
        remote.offline(5, &device("bob", 2, false));
        assert!(!remote.in_foreground(1, "bob"));
        remote.online(6, device("carol", 3, false));
        remote.seen(6, start);
        remote.expire(start + Duration::from_secs(11), Duration::from_secs(10));
        assert!(
            !remote.in_foreground(1, "carol"),
            "a silent node is forgotten"
        );
        assert_eq!(remote.nodes(), 0);
    }
}
