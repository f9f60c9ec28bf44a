//! The callback setters beyond the message module's (session-extras.md §4: all 71 setters
//! of Tencent's library are exported; the 12 of the message API live in [`crate::events`]).
//!
//! Adding one is a few lines: the callback typedef, one [`CallbackSlot`] static, and the
//! `TIMSet*Callback` export that calls [`CallbackSlot::set`]. Contract (as for every setter):
//! a new call replaces the previous callback and `user_data`, NULL unsets it, it works before
//! `TIMInit`, `TIMUninit` forgets them all, and a callback never receives a NULL string.

pub mod conversation;
pub mod friendship;
pub mod group;
pub mod session;
pub mod signaling;

use crate::ffi::{UserData, guard};
use std::ffi::c_void;
use std::sync::{Mutex, PoisonError};

/// One registered callback of a `TIMSet*Callback` setter and its user data.
#[derive(Debug)]
pub struct CallbackSlot<F: Copy> {
    slot: Mutex<Option<(F, UserData)>>,
}

impl<F: Copy> CallbackSlot<F> {
    /// An empty slot.
    pub const fn new() -> Self {
        Self {
            slot: Mutex::new(None),
        }
    }

    /// What a setter does: stores `cb` with `user_data`, or unsets the slot for NULL.
    pub fn set(&self, cb: Option<F>, user_data: *const c_void) {
        guard((), || {
            *self.lock() = cb.map(|cb| (cb, UserData::new(user_data)));
        });
    }

    /// The registered callback, copied out (the lock is not held while it runs).
    pub fn get(&self) -> Option<(F, UserData)> {
        *self.lock()
    }

    /// Unsets the slot.
    pub fn clear(&self) {
        *self.lock() = None;
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, Option<(F, UserData)>> {
        self.slot.lock().unwrap_or_else(PoisonError::into_inner)
    }
}

impl<F: Copy> Default for CallbackSlot<F> {
    fn default() -> Self {
        Self::new()
    }
}

/// Forgets every callback of these setters (`TIMUninit`).
pub fn clear() {
    conversation::clear();
    friendship::clear();
    group::clear();
    session::clear();
    signaling::clear();
}
