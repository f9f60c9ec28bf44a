//! The conversation watcher: one task per session that follows the client's own events and
//! reports what they did to the conversation list. For each batch of events it reads the
//! touched conversations from the engine, compares them with what it reported last, and emits
//! [`Event::Conversations`] (Add, Update, Del) and, when the total changed,
//! [`Event::TotalUnread`]. Events queued together are handled as one batch, so a burst of
//! messages costs one read per conversation.

use crate::engine::Engine;
use crate::error::Result;
use crate::events::{Event, EventHub, EventReceiver};
use crate::net::persist::blocking;
use std::collections::{BTreeSet, HashMap};
use std::sync::Arc;
use tim_model::enums::ConvEvent;
use tim_model::{ConvId, ConvInfo};

/// What a batch of events touched.
#[derive(Default)]
struct Touched {
    convs: BTreeSet<ConvId>,
    all: bool,
}

impl Touched {
    fn add(&mut self, event: &Event) {
        let conv_of =
            |message: &tim_model::Message| ConvId::new(message.conv_type, &message.conv_id).ok();
        match event {
            Event::NewMessages(messages) => self.convs.extend(messages.iter().filter_map(conv_of)),
            Event::SendCompleted { message, .. } | Event::MessageModified(message) => {
                self.convs.extend(conv_of(message));
            }
            Event::MessageRevoked(info) => self
                .convs
                .extend(ConvId::new(info.locator.conv_type, &info.locator.conv_id).ok()),
            Event::ConversationRead(conv) | Event::HistoryCleared(conv) => {
                self.convs.insert(conv.clone());
            }
            Event::MessagesDeleted { conv, .. } => {
                self.convs.insert(conv.clone());
            }
            Event::ConversationsTouched(convs) => self.convs.extend(convs.iter().cloned()),
            Event::ConversationSync { finished: true } => self.all = true,
            _ => {}
        }
    }
}

/// The list as last reported.
struct Reported {
    shown: HashMap<ConvId, ConvInfo>,
    total: u64,
}

fn conv_of(info: &ConvInfo) -> Option<ConvId> {
    ConvId::new(info.conv_type, &info.conv_id).ok()
}

fn total(shown: &HashMap<ConvId, ConvInfo>) -> u64 {
    crate::conversations::list::unread_total(shown.values(), None)
}

/// Reads the current list.
fn snapshot(engine: &Engine) -> Result<HashMap<ConvId, ConvInfo>> {
    Ok(engine
        .conversation_list()?
        .into_iter()
        .filter_map(|info| conv_of(&info).map(|conv| (conv, info)))
        .collect())
}

/// Runs until `stop` fires (or its sender is dropped). A batch under way is finished first,
/// so no blocking read holds the engine once this returns.
pub(crate) async fn run(
    engine: Arc<Engine>,
    events: Arc<crate::net::session::Shared>,
    mut rx: EventReceiver,
    mut stop: tokio::sync::oneshot::Receiver<()>,
) {
    let hub: &EventHub = &events.events;
    let shown = blocking(&engine, snapshot).await.unwrap_or_default();
    let mut reported = Reported {
        total: total(&shown),
        shown,
    };
    loop {
        let first = tokio::select! {
            biased;
            _ = &mut stop => return,
            event = rx.recv() => match event {
                Some(event) => event,
                None => return,
            },
        };
        let mut touched = Touched::default();
        touched.add(&first);
        while let Ok(more) = rx.try_recv() {
            touched.add(&more);
        }
        if touched.convs.is_empty() && !touched.all {
            continue;
        }
        if let Err(err) = report(&engine, hub, &mut reported, touched).await {
            tracing::warn!("tim conversations: {err}");
        }
    }
}

async fn report(
    engine: &Arc<Engine>,
    hub: &EventHub,
    reported: &mut Reported,
    touched: Touched,
) -> Result<()> {
    let now: Vec<(ConvId, Option<ConvInfo>)> = if touched.all {
        let all = blocking(engine, snapshot).await?;
        let mut keys: BTreeSet<ConvId> = reported.shown.keys().cloned().collect();
        keys.extend(all.keys().cloned());
        keys.into_iter()
            .map(|conv| {
                let info = all.get(&conv).cloned();
                (conv, info)
            })
            .collect()
    } else {
        let convs: Vec<ConvId> = touched.convs.into_iter().collect();
        blocking(engine, move |engine| {
            convs
                .into_iter()
                .map(|conv| engine.conversation_info(&conv).map(|info| (conv, info)))
                .collect::<Result<Vec<_>>>()
        })
        .await?
    };
    let (mut added, mut updated, mut deleted) = (Vec::new(), Vec::new(), Vec::new());
    for (conv, info) in now {
        match (reported.shown.get(&conv), info) {
            (None, Some(info)) => {
                reported.shown.insert(conv, info.clone());
                added.push(info);
            }
            (Some(before), Some(info)) => {
                if *before != info {
                    reported.shown.insert(conv, info.clone());
                    updated.push(info);
                }
            }
            (Some(_), None) => {
                if let Some(before) = reported.shown.remove(&conv) {
                    deleted.push(before);
                }
            }
            (None, None) => {}
        }
    }
    for (event, convs) in [
        (ConvEvent::Add, added),
        (ConvEvent::Update, updated),
        (ConvEvent::Del, deleted),
    ] {
        if !convs.is_empty() {
            hub.emit(&Event::Conversations { event, convs });
        }
    }
    let new_total = total(&reported.shown);
    if new_total != reported.total {
        reported.total = new_total;
        hub.emit(&Event::TotalUnread(new_total));
    }
    Ok(())
}
