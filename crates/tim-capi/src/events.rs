//! Event callbacks: the registry the `TIMAdd*`/`TIMSet*` functions fill, and the task that
//! turns `tim-rs` events into calls of the registered callbacks on the SDK thread, in event
//! order.
//!
//! Contract: the registry lock is never held while a callback runs (a callback may register or
//! remove callbacks); a callback registered after an event was posted but before it ran sees
//! it.

use crate::dispatch::Dispatcher;
use crate::ffi::{
    TIMNetworkStatusListenerCallback, TIMRecvNewMsgCallback, UserData, c_string, guard,
};
use std::ffi::c_void;
use std::sync::{Mutex, MutexGuard, PoisonError};
use tim_rs::{Event, Events};

#[derive(Default)]
struct Registry {
    new_messages: Vec<(TIMRecvNewMsgCallback, UserData)>,
    network_status: Option<(TIMNetworkStatusListenerCallback, UserData)>,
}

static REGISTRY: Mutex<Registry> = Mutex::new(Registry {
    new_messages: Vec::new(),
    network_status: None,
});

fn registry() -> MutexGuard<'static, Registry> {
    REGISTRY.lock().unwrap_or_else(PoisonError::into_inner)
}

/// Forgets every registered callback (`TIMUninit`).
pub fn clear() {
    *registry() = Registry::default();
}

/// Forwards `events` to the registered callbacks until the client is gone.
pub async fn forward(mut events: Events, dispatcher: Dispatcher) {
    while let Some(event) = events.next().await {
        match event {
            Event::NewMessages(messages) => {
                let json = tim_model::json::to_string(&messages);
                dispatcher.post(move || deliver_new_messages(&json));
            }
            Event::NetworkStatus { status, code, desc } => {
                dispatcher.post(move || deliver_network_status(status.value(), code, &desc));
            }
            _ => {}
        }
    }
}

fn deliver_new_messages(json: &str) {
    let callbacks = registry().new_messages.clone();
    let json = c_string(json);
    for (cb, user_data) in callbacks {
        // SAFETY: registered with this prototype; the string outlives the call.
        unsafe { cb(json.as_ptr(), user_data.ptr()) }
    }
}

fn deliver_network_status(status: i32, code: i32, desc: &str) {
    let Some((cb, user_data)) = registry().network_status else {
        return;
    };
    let desc = c_string(desc);
    // SAFETY: registered with this prototype; the string outlives the call.
    unsafe { cb(status, code, desc.as_ptr(), user_data.ptr()) }
}

fn same(a: TIMRecvNewMsgCallback, b: TIMRecvNewMsgCallback) -> bool {
    // Identity of the C function, as Tencent's remove-by-pointer compares it.
    a as usize == b as usize
}

/// `TIMAddRecvNewMsgCallback`: adds `cb` (called with a JSON array of Message for messages
/// this device did not have). Adding a function already added only replaces its user data;
/// NULL is ignored. Works before `TIMInit`.
///
/// # Safety
/// `cb` is NULL or a function of the `TIMRecvNewMsgCallback` prototype that stays callable
/// until removed or `TIMUninit`.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn TIMAddRecvNewMsgCallback(
    cb: Option<TIMRecvNewMsgCallback>,
    user_data: *const c_void,
) {
    guard((), || {
        let Some(cb) = cb else { return };
        let user_data = UserData::new(user_data);
        let mut registry = registry();
        match registry.new_messages.iter_mut().find(|(f, _)| same(*f, cb)) {
            Some(entry) => entry.1 = user_data,
            None => registry.new_messages.push((cb, user_data)),
        }
    })
}

/// `TIMRemoveRecvNewMsgCallback`: removes `cb` (the same function pointer given to
/// `TIMAddRecvNewMsgCallback`); NULL removes them all.
///
/// # Safety
/// None beyond the C prototype; the pointer is only compared.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn TIMRemoveRecvNewMsgCallback(cb: Option<TIMRecvNewMsgCallback>) {
    guard((), || {
        let mut registry = registry();
        match cb {
            Some(cb) => registry.new_messages.retain(|(f, _)| !same(*f, cb)),
            None => registry.new_messages.clear(),
        }
    })
}

/// `TIMSetNetworkStatusListenerCallback`: sets (NULL: unsets) the network status callback,
/// called with `kTIMConnected`/`kTIMDisconnected`/`kTIMConnecting`/`kTIMConnectFailed`.
///
/// # Safety
/// `cb` is NULL or a function of the `TIMNetworkStatusListenerCallback` prototype that stays
/// callable until replaced or `TIMUninit`.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn TIMSetNetworkStatusListenerCallback(
    cb: Option<TIMNetworkStatusListenerCallback>,
    user_data: *const c_void,
) {
    guard((), || {
        registry().network_status = cb.map(|cb| (cb, UserData::new(user_data)));
    })
}
