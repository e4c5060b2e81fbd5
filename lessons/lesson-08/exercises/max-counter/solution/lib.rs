//! Exercise `max-counter` (lesson 08): reference solution.
//!
//! Worker threads report how long each request took; a monitor keeps the longest. It takes no
//! lock, so `record` must never lose a larger value, however the threads interleave. As shipped
//! it checks and then stores in two steps, and a smaller value can overwrite a larger one.
//!
//! `fetch_max` compares and stores in one indivisible step; a compare-exchange loop or
//! `fetch_update` would be right too.

// The checks use loom's atomics, which loom can pause and interleave; everywhere else these are
// std's. Your code does not change either way.
#[cfg(test)]
use loom::sync::atomic::{AtomicU64, Ordering};
#[cfg(not(test))]
use std::sync::atomic::{AtomicU64, Ordering};

// ANCHOR: solution
/// The largest value recorded so far, by any thread (0 before the first).
#[derive(Debug)]
pub struct MaxCounter {
    max: AtomicU64,
}

impl MaxCounter {
    pub fn new() -> Self {
        Self {
            max: AtomicU64::new(0),
        }
    }

    /// Records `value`: the maximum becomes `value` if that is larger. Called by many threads.
    pub fn record(&self, value: u64) {
        // One read-modify-write: no other thread's value can come between the compare and the
        // store. Relaxed: the maximum publishes nothing else.
        self.max.fetch_max(value, Ordering::Relaxed);
    }

    /// The largest value recorded so far.
    pub fn max(&self) -> u64 {
        self.max.load(Ordering::Relaxed)
    }
}
// ANCHOR_END: solution

impl Default for MaxCounter {
    fn default() -> Self {
        Self::new()
    }
}

#[cfg(test)]
#[path = "../checks.rs"]
mod checks;
