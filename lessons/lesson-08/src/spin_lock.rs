//! A spin lock built from one `AtomicBool`, and a counter behind it.
//!
//! Written once against `crate::sync`, so the loom tests check this same file.

use crate::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use crate::sync::hint;

/// The orderings a lock uses: taking it, and letting it go.
#[derive(Debug, Clone, Copy)]
pub struct LockOrderings {
    pub lock: Ordering,
    pub unlock: Ordering,
}

/// The right ones: the lock acquires what the last holder released.
pub const ACQUIRE_RELEASE: LockOrderings = LockOrderings {
    lock: Ordering::Acquire,
    unlock: Ordering::Release,
};

/// Wrong, kept so that loom can show what goes wrong: the lock still excludes, but the data
/// written under it may not be seen by the next holder.
#[allow(
    dead_code,
    reason = "only the loom tests use it: a live run would not show the bug"
)]
pub const RELAXED: LockOrderings = LockOrderings {
    lock: Ordering::Relaxed,
    unlock: Ordering::Relaxed,
};

// ANCHOR: spin_lock
/// A lock that waits by spinning: it never asks the operating system to put a thread to sleep.
#[derive(Debug)]
pub struct SpinLock {
    locked: AtomicBool,
    orderings: LockOrderings,
}

impl SpinLock {
    pub fn new(orderings: LockOrderings) -> Self {
        Self {
            locked: AtomicBool::new(false),
            orderings,
        }
    }

    pub fn lock(&self) -> SpinGuard<'_> {
        // Swap false for true in one step; only one thread can win that.
        while self
            .locked
            .compare_exchange_weak(false, true, self.orderings.lock, Ordering::Relaxed)
            .is_err()
        {
            // Held: wait with plain loads (they do not fight over the cache line), then retry.
            while self.locked.load(Ordering::Relaxed) {
                hint::spin_loop();
            }
        }
        SpinGuard { lock: self }
    }
}

/// Holding one means holding the lock; dropping it lets the lock go.
#[derive(Debug)]
pub struct SpinGuard<'a> {
    lock: &'a SpinLock,
}

impl Drop for SpinGuard<'_> {
    fn drop(&mut self) {
        self.lock.locked.store(false, self.lock.orderings.unlock);
    }
}
// ANCHOR_END: spin_lock

// ANCHOR: locked_counter
/// A count that is read and written back in two steps — lesson 03's lost update — but only
/// while the lock is held.
#[derive(Debug)]
pub struct LockedCounter {
    lock: SpinLock,
    count: AtomicU64,
}

impl LockedCounter {
    pub fn new(orderings: LockOrderings) -> Self {
        Self {
            lock: SpinLock::new(orderings),
            count: AtomicU64::new(0),
        }
    }

    pub fn add_one(&self) {
        let _held = self.lock.lock();
        let seen = self.count.load(Ordering::Relaxed);
        self.count.store(seen + 1, Ordering::Relaxed);
    } // `_held` is dropped here: unlock

    pub fn count(&self) -> u64 {
        let _held = self.lock.lock();
        self.count.load(Ordering::Relaxed)
    }
}
// ANCHOR_END: locked_counter
