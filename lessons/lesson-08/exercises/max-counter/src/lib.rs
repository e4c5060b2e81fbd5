//! Exercise `max-counter` (lesson 08).
//!
//! Worker threads report how long each request took; a monitor keeps the longest. It takes no
//! lock, so `record` must never lose a larger value, however the threads interleave. As shipped
//! it checks and then stores in two steps, and a smaller value can overwrite a larger one.
//!
//! Check your work: `cargo xtask verify max-counter`. Stuck? `cargo xtask hint max-counter`.
//! The checks in `checks.rs` run under loom, which tries every interleaving of the threads.

// The checks use loom's atomics, which loom can pause and interleave; everywhere else these are
// std's. Your code does not change either way.
#[cfg(test)]
use loom::sync::atomic::{AtomicU64, Ordering};
#[cfg(not(test))]
use std::sync::atomic::{AtomicU64, Ordering};

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
        // TODO: between this load and the store, another thread can record a larger value,
        // which the store then overwrites. Make the comparison and the store one step.
        if value > self.max.load(Ordering::Relaxed) {
            self.max.store(value, Ordering::Relaxed);
        }
    }

    /// The largest value recorded so far.
    pub fn max(&self) -> u64 {
        self.max.load(Ordering::Relaxed)
    }
}

impl Default for MaxCounter {
    fn default() -> Self {
        Self::new()
    }
}

#[cfg(test)]
#[path = "../checks.rs"]
mod checks;
