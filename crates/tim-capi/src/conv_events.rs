//! Conversation and profile events to their C callbacks: the conversation event
//! (`TIMSetConvEventCallback`, Start/Finish with `""`), the total unread count (once
//! `TIMConvGetTotalUnreadMessageCount` was called), the unread counts of the subscribed
//! filters, the conversation-group callbacks, and `TIMSetSelfInfoUpdatedCallback`.
//!
//! Contract: as [`crate::events`] (posted through the login gate, in event order, never with a
//! NULL string). The subscriptions are forgotten at `TIMUninit`.

use crate::dispatch::GatedSender;
use crate::ffi::c_string;
use crate::setters::conversation as slots;
use crate::setters::session::SELF_INFO_UPDATED;
use std::ffi::c_int;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Mutex, PoisonError};
use tim_core::ConversationGroupChange;
use tim_model::ConversationListFilter;
use tim_model::enums::ConvEvent;
use tim_rs::{Client, Event};

/// `TIMConvGetTotalUnreadMessageCount` was called.
static TOTAL_WATCHED: AtomicBool = AtomicBool::new(false);

/// A subscribed filter: the JSON as given, parsed, and the count last reported.
struct Subscription {
    text: String,
    filter: ConversationListFilter,
    last: Option<u64>,
}

static SUBSCRIPTIONS: Mutex<Vec<Subscription>> = Mutex::new(Vec::new());

fn subscriptions() -> std::sync::MutexGuard<'static, Vec<Subscription>> {
    SUBSCRIPTIONS.lock().unwrap_or_else(PoisonError::into_inner)
}

/// Switches on the total-unread callback.
pub fn watch_total() {
    TOTAL_WATCHED.store(true, Ordering::SeqCst);
}

/// Subscribes `filter` (given as `text`); an equal filter already subscribed stays as is.
pub fn subscribe(text: &str, filter: ConversationListFilter) {
    let mut subs = subscriptions();
    if !subs.iter().any(|s| s.filter == filter) {
        subs.push(Subscription {
            text: text.to_owned(),
            filter,
            last: None,
        });
    }
}

/// Ends the subscription of an equal filter.
pub fn unsubscribe(filter: &ConversationListFilter) {
    subscriptions().retain(|s| s.filter != *filter);
}

/// Forgets the subscriptions and the total switch (`TIMUninit`).
pub fn clear() {
    subscriptions().clear();
    TOTAL_WATCHED.store(false, Ordering::SeqCst);
}

fn unread_count(count: u64) -> c_int {
    c_int::try_from(count).unwrap_or(c_int::MAX)
}

/// Handles `event` if it is a conversation or profile event; `false` otherwise.
pub async fn forward(event: &Event, client: &Client, dispatcher: &GatedSender) -> bool {
    match event {
        Event::Conversations { event, convs } => {
            let json = tim_model::json::to_string(convs);
            let kind = event.value();
            dispatcher.post(move || deliver_conv_event(kind, &json));
            recount_filters(client, dispatcher).await;
        }
        Event::ConversationSync { finished } => {
            let kind = if *finished {
                ConvEvent::Finish
            } else {
                ConvEvent::Start
            };
            let kind = kind.value();
            dispatcher.post(move || deliver_conv_event(kind, ""));
        }
        Event::TotalUnread(total) => {
            if TOTAL_WATCHED.load(Ordering::SeqCst) {
                let total = unread_count(*total);
                dispatcher.post(move || {
                    if let Some((cb, user_data)) =
                        slots::CONV_TOTAL_UNREAD_MESSAGE_COUNT_CHANGED.get()
                    {
                        // SAFETY: registered with this prototype.
                        unsafe { cb(total, user_data.ptr()) }
                    }
                });
            }
        }
        Event::ConversationGroupChanged(change) => {
            let change = change.clone();
            dispatcher.post(move || deliver_group_change(&change));
        }
        Event::SelfProfileChanged(profile) => {
            let json = tim_model::json::to_string(profile);
            dispatcher.post(move || {
                if let Some((cb, user_data)) = SELF_INFO_UPDATED.get() {
                    let json = c_string(&json);
                    // SAFETY: registered with this prototype; the string outlives the call.
                    unsafe { cb(json.as_ptr(), user_data.ptr()) }
                }
            });
        }
        _ => return false,
    }
    true
}

/// Recounts every subscribed filter and reports the ones whose count changed.
async fn recount_filters(client: &Client, dispatcher: &GatedSender) {
    let filters: Vec<ConversationListFilter> =
        subscriptions().iter().map(|s| s.filter.clone()).collect();
    if filters.is_empty() {
        return;
    }
    let reader = client.clone();
    let counts = tokio::task::spawn_blocking(move || {
        let totals = reader
            .core()
            .engine()
            .and_then(|engine| engine.unread_totals(&filters))
            .ok()
            .unwrap_or_default();
        filters.into_iter().zip(totals).collect::<Vec<_>>()
    })
    .await
    .unwrap_or_default();
    let mut changed = Vec::new();
    {
        let mut subs = subscriptions();
        for (filter, count) in counts {
            if let Some(sub) = subs.iter_mut().find(|s| s.filter == filter)
                && sub.last != Some(count)
            {
                sub.last = Some(count);
                changed.push((sub.text.clone(), unread_count(count)));
            }
        }
    }
    for (text, count) in changed {
        dispatcher.post(move || {
            if let Some((cb, user_data)) = slots::CONV_UNREAD_MESSAGE_COUNT_CHANGED_BY_FILTER.get()
            {
                let text = c_string(&text);
                // SAFETY: registered with this prototype; the string outlives the call.
                unsafe { cb(text.as_ptr(), count, user_data.ptr()) }
            }
        });
    }
}

fn deliver_conv_event(kind: i32, json: &str) {
    let Some((cb, user_data)) = slots::CONV_EVENT.get() else {
        return;
    };
    let json = c_string(json);
    // SAFETY: registered with this prototype; the string outlives the call.
    unsafe { cb(kind, json.as_ptr(), user_data.ptr()) }
}

fn deliver_group_change(change: &ConversationGroupChange) {
    let ids = |ids: &Vec<String>| c_string(&tim_model::json::to_string(ids));
    match change {
        ConversationGroupChange::Created {
            name,
            conversation_ids,
        } => {
            if let Some((cb, user_data)) = slots::CONV_CONVERSATION_GROUP_CREATED.get() {
                let (name, ids) = (c_string(name), ids(conversation_ids));
                // SAFETY: registered with this prototype; the strings outlive the call.
                unsafe { cb(name.as_ptr(), ids.as_ptr(), user_data.ptr()) }
            }
        }
        ConversationGroupChange::Deleted { name } => {
            if let Some((cb, user_data)) = slots::CONV_CONVERSATION_GROUP_DELETED.get() {
                let name = c_string(name);
                // SAFETY: registered with this prototype; the string outlives the call.
                unsafe { cb(name.as_ptr(), user_data.ptr()) }
            }
        }
        ConversationGroupChange::Renamed { old_name, new_name } => {
            if let Some((cb, user_data)) = slots::CONV_CONVERSATION_GROUP_NAME_CHANGED.get() {
                let (old, new) = (c_string(old_name), c_string(new_name));
                // SAFETY: registered with this prototype; the strings outlive the call.
                unsafe { cb(old.as_ptr(), new.as_ptr(), user_data.ptr()) }
            }
        }
        ConversationGroupChange::Added {
            name,
            conversation_ids,
        } => {
            if let Some((cb, user_data)) = slots::CONV_CONVERSATIONS_ADDED_TO_GROUP.get() {
                let (name, ids) = (c_string(name), ids(conversation_ids));
                // SAFETY: registered with this prototype; the strings outlive the call.
                unsafe { cb(name.as_ptr(), ids.as_ptr(), user_data.ptr()) }
            }
        }
        ConversationGroupChange::Removed {
            name,
            conversation_ids,
        } => {
            if let Some((cb, user_data)) = slots::CONV_CONVERSATIONS_DELETED_FROM_GROUP.get() {
                let (name, ids) = (c_string(name), ids(conversation_ids));
                // SAFETY: registered with this prototype (the 8.2 form with `reason`); the
                // strings outlive the call.
                unsafe { cb(name.as_ptr(), ids.as_ptr(), 0, user_data.ptr()) }
            }
        }
    }
}
