//! Offline push: after a message is stored, the recipients none of whose devices is online in
//! the foreground get one push per registered token through the push gateway (Gorush HTTP
//! API), off the send path.
//!
//! Decisions:
//! - The writer offers each committed new-message delivery to a bounded queue
//!   (`ServerConfig::push_queue`) without waiting (group tips and reports are never pushed); when the queue is full the message's
//!   offline pushes are dropped with a warning, so pushing never slows sending. One task
//!   takes the queue in order: it decides (storage reads on the blocking pool) and starts the
//!   pushes, which run concurrently, each within the gateway's timeout, with a server-wide
//!   and a per-user bound on requests in flight ([`sender`]): a user whose tokens hang never
//!   delays another user's push. Without a gateway nothing is queued.
//! - Who: every recipient of the delivery except the sender, when no device of theirs is
//!   connected and in the foreground (decided on the writer thread when the message is
//!   committed, before its ack leaves, so an app-state change after the ack does not change
//!   it), their receive option for the conversation allows it
//!   ([`wants_offline_push`]), and the message's offline push flag is not NoPush. One push per
//!   stored token of the user (one token per device, at most
//!   `PushGateway::max_tokens_per_user`, see [`crate::storage::push`]). Receive
//!   options and tokens are read when the task handles the message (normally at once; a token
//!   set while the message waited in the queue may receive it).
//! - App state is per device ID and kept in memory: a device is in the foreground unless it
//!   said DoBackground (and not DoForeground since); the state outlives a reconnect (a device
//!   reconnecting in the background stays in the background) and is dropped at logout. A
//!   device that is not connected counts as not in the foreground.
//! - Badge: the device's DoBackground unread count plus the pushes sent to it since; reset by
//!   DoForeground and logout. A device that never said DoBackground counts from 0.
//! - Gorush request: `POST {url}/api/push` with `{"notifications": [{"tokens": [token],
//!   "platform": 1 | 2, "title", "message", "badge", "sound"?, "voip"?, "data": {...}}]}`.
//!   Platform 1 (APNs) for devices that logged in as iOS, Mac or the iOS simulator and for
//!   VoIP tokens (then also `"voip": true`), platform 2 (FCM) otherwise. `title`: the push
//!   config's title (or its iOS / Android title), else the sender's ID (C2C) or the group ID;
//!   `message`: the config's desc, else a summary of the first element (its text, or
//!   `[Image]`, `[Voice]`, `[Video]`, `[File]`, ...), prefixed with the sender in groups, at
//!   most [`MAX_SUMMARY_CHARS`] characters. `badge` is left out when the iOS config says
//!   ignore_badge. `data` carries `ext` (the config's ext), `conv_type`, `conv_id` (the
//!   recipient's view), `sender` and `msg_id`.

mod sender;

use crate::config::PushGateway;
use crate::http_out::{HttpOut, join};
use crate::hub::Hub;
use crate::storage::recv_opt::wants_offline_push;
use crate::storage::{AppId, Delivery, EventKind, Storage, StorageError};
use sender::Sender;
use std::collections::HashMap;
use std::sync::{Arc, Mutex};
use tim_model::enums::{ConvType, OfflinePushFlag, OfflinePushTokenType, Platform};
use tim_model::ids::{GroupId, UserId};
use tim_proto::v1;
use tokio::sync::mpsc;
use tokio::task::JoinHandle;

/// Longest default push text, characters.
pub(crate) const MAX_SUMMARY_CHARS: usize = 200;

/// A device's app state.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
struct DeviceState {
    background: bool,
    badge: u32,
}

/// Devices whose state is kept per user; a further device replaces the one set longest ago,
/// so the map stays bounded however many device IDs one user logs in with.
const DEVICE_STATES_PER_USER: usize = 16;

/// The app state and badge of every device that has one, by (app, user), then device ID.
#[derive(Debug, Default)]
pub(crate) struct DeviceStates {
    users: Mutex<DeviceMap>,
}

type DeviceMap = HashMap<(AppId, String), Vec<(String, DeviceState)>>;

impl DeviceStates {
    fn lock(&self) -> std::sync::MutexGuard<'_, DeviceMap> {
        // Every change is one insert or remove: a poisoned map is still consistent.
        self.users
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
    }

    /// The state of `device`, made (replacing the oldest beyond the cap) if new.
    fn entry<'m>(
        users: &'m mut DeviceMap,
        app: AppId,
        user: &str,
        device: &str,
    ) -> &'m mut DeviceState {
        let devices = users.entry((app, user.to_owned())).or_default();
        let index = match devices.iter().position(|(id, _)| id == device) {
            Some(index) => index,
            None => {
                if devices.len() >= DEVICE_STATES_PER_USER {
                    devices.remove(0);
                }
                devices.push((device.to_owned(), DeviceState::default()));
                devices.len() - 1
            }
        };
        &mut devices[index].1
    }

    fn remove(users: &mut DeviceMap, app: AppId, user: &str, device: &str) {
        let key = (app, user.to_owned());
        if let Some(devices) = users.get_mut(&key) {
            devices.retain(|(id, _)| id != device);
            if devices.is_empty() {
                users.remove(&key);
            }
        }
    }

    /// DoBackground (`background`, badge from `unread`) or DoForeground (state dropped).
    pub fn set(&self, app: AppId, user: &str, device: &str, background: bool, unread: u32) {
        let mut users = self.lock();
        if background {
            *Self::entry(&mut users, app, user, device) = DeviceState {
                background: true,
                badge: unread,
            };
        } else {
            Self::remove(&mut users, app, user, device);
        }
    }

    /// Logout: the device's state is dropped.
    pub fn forget(&self, app: AppId, user: &str, device: &str) {
        Self::remove(&mut self.lock(), app, user, device);
    }

    /// Whether the device said DoBackground (and not DoForeground since).
    pub fn is_background(&self, app: AppId, user: &str, device: &str) -> bool {
        self.lock()
            .get(&(app, user.to_owned()))
            .and_then(|devices| devices.iter().find(|(id, _)| id == device))
            .is_some_and(|(_, state)| state.background)
    }

    /// The badge of the next push to the device (one more than the last).
    fn next_badge(&self, app: AppId, user: &str, device: &str) -> u32 {
        let mut users = self.lock();
        let state = Self::entry(&mut users, app, user, device);
        state.badge = state.badge.saturating_add(1);
        state.badge
    }

    /// Device states kept for `user` (tests).
    #[cfg(test)]
    fn kept(&self, app: AppId, user: &str) -> usize {
        self.lock().get(&(app, user.to_owned())).map_or(0, Vec::len)
    }
}

/// The offline push of a server: the queue the writer offers deliveries to, and the app
/// states the session handlers set.
#[derive(Debug, Default)]
pub(crate) struct OfflinePush {
    tx: Option<mpsc::Sender<Job>>,
    hub: Option<Arc<Hub>>,
    /// App state and badge per device.
    pub states: Arc<DeviceStates>,
}

/// What the push task works with.
struct Context {
    storage: Arc<dyn Storage>,
    states: Arc<DeviceStates>,
}

/// A stored message and the recipients who had no device online in the foreground when it
/// was committed.
#[derive(Debug)]
struct Job {
    app: AppId,
    message: Arc<v1::Message>,
    users: Vec<String>,
}

impl OfflinePush {
    /// The offline push of a server; with a gateway, also its task (on the current runtime).
    pub fn start(
        gateway: Option<PushGateway>,
        queue: usize,
        storage: Arc<dyn Storage>,
        hub: Arc<Hub>,
        http: HttpOut,
    ) -> (Self, Option<JoinHandle<()>>) {
        let states = Arc::new(DeviceStates::default());
        let Some(gateway) = gateway else {
            return (
                Self {
                    tx: None,
                    hub: None,
                    states,
                },
                None,
            );
        };
        let (tx, rx) = mpsc::channel(queue.max(1));
        let context = Arc::new(Context {
            storage,
            states: states.clone(),
        });
        let task = tokio::spawn(run(rx, gateway, context, http));
        (
            Self {
                tx: Some(tx),
                hub: Some(hub),
                states,
            },
            Some(task),
        )
    }

    /// Offers a committed delivery (called on the writer thread right after the commit; never
    /// waits). Who is online in the foreground is decided here, at delivery time.
    pub fn offer(&self, delivery: &Delivery) {
        let (Some(tx), Some(hub)) = (&self.tx, &self.hub) else {
            return;
        };
        let message = &delivery.message;
        if delivery.kind != EventKind::NewMessage || no_push(message) {
            return;
        }
        let app = delivery.app;
        let users: Vec<String> = delivery
            .recipients
            .iter()
            .map(|(user, _)| user)
            .filter(|user| **user != message.sender)
            .filter(|user| {
                !hub.device_ids(app, user)
                    .iter()
                    .any(|device| !self.states.is_background(app, user, device))
                    && !hub.remote().in_foreground(app, user)
            })
            .cloned()
            .collect();
        if users.is_empty() {
            return;
        }
        let job = Job {
            app,
            message: message.clone(),
            users,
        };
        match tx.try_send(job) {
            Ok(()) => {}
            Err(mpsc::error::TrySendError::Full(_)) => {
                tracing::warn!(
                    msg_id = delivery.message.msg_id.as_deref().unwrap_or(""),
                    "offline push queue full: the message's offline pushes are dropped"
                );
            }
            Err(mpsc::error::TrySendError::Closed(_)) => {}
        }
    }
}

/// Whether the message is not pushed offline: its offline push flag is NoPush, or it is a
/// group tip or report (system messages).
fn no_push(message: &v1::Message) -> bool {
    use v1::elem::Body;
    let system = message
        .elems
        .iter()
        .any(|elem| matches!(elem.body, Some(Body::GroupTips(_) | Body::GroupReport(_))));
    system
        || message
            .offline_push_config
            .as_ref()
            .is_some_and(|config| config.flag == OfflinePushFlag::NoPush.value())
}

async fn run(
    mut rx: mpsc::Receiver<Job>,
    gateway: PushGateway,
    context: Arc<Context>,
    http: HttpOut,
) {
    let url = join(&gateway.url, "/api/push");
    let mut sender = Sender::new(http, url, gateway);
    loop {
        let job = tokio::select! {
            job = rx.recv() => job,
            () = sender.reap() => continue,
        };
        let Some(job) = job else {
            return;
        };
        let app = job.app;
        let context = context.clone();
        let planned = tokio::task::spawn_blocking(move || plan(&context, &job)).await;
        let notifications = match planned {
            Ok(Ok(notifications)) => notifications,
            Ok(Err(error)) => {
                tracing::error!("offline push: storage failure: {error}");
                continue;
            }
            Err(error) => {
                tracing::error!("offline push: the planning task failed: {error}");
                continue;
            }
        };
        for (user, notification) in notifications {
            sender.send(app, &user, notification).await;
        }
    }
}

/// The Gorush notifications of one job, each with its user: per user whose receive option
/// allows it, one per stored token.
fn plan(context: &Context, job: &Job) -> Result<Vec<(String, serde_json::Value)>, StorageError> {
    let message = &job.message;
    let app = job.app;
    let mut notifications = Vec::new();
    for recipient in &job.users {
        let Ok(user) = UserId::new(recipient) else {
            continue;
        };
        let opt = if message.conv_type == ConvType::Group.value() {
            match GroupId::new(&message.conv_id) {
                Ok(group) => context.storage.group_recv_opt(app, &user, &group)?,
                Err(_) => continue,
            }
        } else {
            match UserId::new(&message.sender) {
                Ok(sender) => context.storage.c2c_recv_opt(app, &user, &sender)?,
                Err(_) => continue,
            }
        };
        if !wants_offline_push(opt, message, recipient) {
            continue;
        }
        for record in context.storage.push_tokens(app, &user)? {
            let badge = context.states.next_badge(app, recipient, &record.device_id);
            notifications.push((
                recipient.clone(),
                notification(message, recipient, record.platform, &record.token, badge),
            ));
        }
    }
    Ok(notifications)
}

/// Gorush's platform number of a token: 1 APNs, 2 FCM.
fn gorush_platform(platform: i32, token: &v1::OfflinePushToken) -> i64 {
    let apple = matches!(
        Platform::from_value(i64::from(platform)),
        Some(Platform::Ios | Platform::Mac | Platform::Simulator)
    );
    if apple || token.token_type == OfflinePushTokenType::Voip.value() {
        1
    } else {
        2
    }
}

/// What the first element of `message` reads as in a push.
fn summary(message: &v1::Message) -> String {
    use v1::elem::Body;
    let text = match message.elems.first().and_then(|elem| elem.body.as_ref()) {
        Some(Body::Text(text)) => text.content.clone(),
        Some(Body::Image(_)) => "[Image]".into(),
        Some(Body::Sound(_)) => "[Voice]".into(),
        Some(Body::Video(_)) => "[Video]".into(),
        Some(Body::File(_)) => "[File]".into(),
        Some(Body::Face(_)) => "[Sticker]".into(),
        Some(Body::Location(_)) => "[Location]".into(),
        Some(Body::Custom(_)) => "[Custom Message]".into(),
        Some(Body::Merge(_)) => "[Chat History]".into(),
        _ => "[Message]".into(),
    };
    if message.conv_type == ConvType::Group.value() {
        format!("{}: {text}", message.sender)
    } else {
        text
    }
}

fn truncate(text: &str) -> String {
    text.chars().take(MAX_SUMMARY_CHARS).collect()
}

/// The Gorush notification of `message` for `recipient`'s token.
fn notification(
    message: &v1::Message,
    recipient: &str,
    platform: i32,
    token: &v1::OfflinePushToken,
    badge: u32,
) -> serde_json::Value {
    let gorush = gorush_platform(platform, token);
    let config = message.offline_push_config.clone().unwrap_or_default();
    let ios = config.ios_config.clone().unwrap_or_default();
    let android = config.android_config.clone().unwrap_or_default();
    let (platform_title, sound) = if gorush == 1 {
        (ios.title.clone(), ios.sound.clone())
    } else {
        (android.title.clone(), android.sound.clone())
    };
    let is_group = message.conv_type == ConvType::Group.value();
    let title = [config.title.as_str(), platform_title.as_str()]
        .into_iter()
        .find(|t| !t.is_empty())
        .map(str::to_owned)
        .unwrap_or_else(|| {
            if is_group {
                message.conv_id.clone()
            } else {
                message.sender.clone()
            }
        });
    let text = if config.desc.is_empty() {
        summary(message)
    } else {
        config.desc.clone()
    };
    let conv_id = if is_group || message.sender == recipient {
        message.conv_id.clone()
    } else {
        message.sender.clone()
    };
    let mut push = serde_json::json!({
        "tokens": [token.token],
        "platform": gorush,
        "title": truncate(&title),
        "message": truncate(&text),
        "data": {
            "ext": config.ext,
            "conv_type": message.conv_type,
            "conv_id": conv_id,
            "sender": message.sender,
            "msg_id": message.msg_id.clone().unwrap_or_default(),
        },
    });
    if let Some(object) = push.as_object_mut() {
        if !(gorush == 1 && ios.ignore_badge) {
            object.insert("badge".into(), badge.into());
        }
        if !sound.is_empty() {
            object.insert("sound".into(), sound.into());
        }
        if token.token_type == OfflinePushTokenType::Voip.value() {
            object.insert("voip".into(), true.into());
        }
    }
    push
}

#[cfg(test)]
mod tests {
    use super::*;

    fn text(sender: &str, conv_type: i32, conv_id: &str, content: &str) -> v1::Message {
        v1::Message {
            sender: sender.into(),
            conv_type,
            conv_id: conv_id.into(),
            msg_id: Some("m1".into()),
            elems: vec![v1::Elem {
                body: Some(v1::elem::Body::Text(v1::TextElem {
                    content: content.into(),
                })),
            }],
            ..Default::default()
        }
    }

    fn token(token_type: i32) -> v1::OfflinePushToken {
        v1::OfflinePushToken {
            token: "ab12".into(),
            business_id: 1,
            token_type,
            is_tpns_token: false,
        }
    }

    #[test]
    fn defaults_name_the_sender_and_summarise_the_message() {
        let c2c = text("alice", 1, "bob", "hello");
        let push = notification(&c2c, "bob", 2, &token(0), 3);
        assert_eq!(push["platform"], 2);
        assert_eq!(push["title"], "alice");
        assert_eq!(push["message"], "hello");
        assert_eq!(push["badge"], 3);
        assert_eq!(push["tokens"][0], "ab12");
        assert_eq!(push["data"]["conv_id"], "alice");
        assert!(push.get("voip").is_none());

        let group = text("alice", 2, "g1", &"x".repeat(500));
        let push = notification(&group, "bob", 3, &token(0), 1);
        assert_eq!(push["platform"], 1);
        assert_eq!(push["title"], "g1");
        let message = push["message"].as_str().unwrap_or_default();
        assert!(message.starts_with("alice: xx"));
        assert_eq!(message.chars().count(), MAX_SUMMARY_CHARS);

        let mut image = text("alice", 1, "bob", "");
        image.elems[0].body = Some(v1::elem::Body::Image(Default::default()));
        assert_eq!(summary(&image), "[Image]");
    }

    #[test]
    fn the_push_config_wins_and_voip_goes_to_apns() {
        let mut message = text("alice", 1, "bob", "hello");
        message.offline_push_config = Some(v1::OfflinePushConfig {
            title: "T".into(),
            desc: "D".into(),
            ext: "{\"k\":1}".into(),
            ios_config: Some(v1::IosOfflinePushConfig {
                ignore_badge: true,
                sound: "ding".into(),
                ..Default::default()
            }),
            ..Default::default()
        });
        let push = notification(&message, "bob", 0, &token(2), 4);
        assert_eq!(push["platform"], 1);
        assert_eq!(push["voip"], true);
        assert_eq!(push["title"], "T");
        assert_eq!(push["message"], "D");
        assert_eq!(push["data"]["ext"], "{\"k\":1}");
        assert_eq!(push["sound"], "ding");
        assert!(push.get("badge").is_none());
        let android = notification(&message, "bob", 2, &token(0), 4);
        assert_eq!(android["platform"], 2);
        assert_eq!(android["badge"], 4);
    }

    #[test]
    fn badges_count_from_the_background_count_and_reset() {
        let states = DeviceStates::default();
        assert!(!states.is_background(1, "bob", "p"));
        assert_eq!(states.next_badge(1, "bob", "p"), 1);
        states.set(1, "bob", "p", true, 5);
        assert!(states.is_background(1, "bob", "p"));
        assert_eq!(states.next_badge(1, "bob", "p"), 6);
        assert_eq!(states.next_badge(1, "bob", "p"), 7);
        assert_eq!(states.next_badge(1, "bob", "q"), 1);
        states.set(1, "bob", "p", false, 0);
        assert!(!states.is_background(1, "bob", "p"));
        assert_eq!(states.next_badge(1, "bob", "p"), 1);
        states.set(1, "bob", "p", true, 0);
        states.forget(1, "bob", "p");
        assert!(!states.is_background(1, "bob", "p"));
        // However many device IDs one user uses, the states kept stay bounded; the newest win.
        for i in 0..1000 {
            states.set(1, "mallory", &format!("d{i}"), true, 0);
        }
        assert_eq!(states.kept(1, "mallory"), DEVICE_STATES_PER_USER);
        assert!(states.is_background(1, "mallory", "d999"));
        assert!(!states.is_background(1, "mallory", "d0"));
    }
}
