//! Wrong: one compare-exchange, and no retry when another thread got there first.
//! verify says: "gave up instead of trying again"

// The checks use loom's atomics, which loom can pause and interleave; everywhere else these are
// std's. Your code does not change either way.
#[cfg(test)]
use loom::sync::atomic::{AtomicU64, Ordering};
#[cfg(not(test))]
use std::sync::atomic::{AtomicU64, Ordering};

/// Counts hits recorded by any number of threads.
#[derive(Debug)]
pub struct HitCounter {
    hits: AtomicU64,
}

impl HitCounter {
    pub fn new() -> Self {
        Self {
            hits: AtomicU64::new(0),
        }
    }

    /// Records one hit. Called by many threads at the same time.
    pub fn record_hit(&self) {
        // One indivisible read-modify-write: no other thread can come in between.
        // `Relaxed` is enough: the count orders nothing else.
        let seen = self.hits.load(Ordering::Relaxed);
        let _ = self
            .hits
            .compare_exchange(seen, seen + 1, Ordering::Relaxed, Ordering::Relaxed);
    }

    /// The number of hits recorded so far.
    pub fn hits(&self) -> u64 {
        self.hits.load(Ordering::Relaxed)
    }
}

impl Default for HitCounter {
    fn default() -> Self {
        Self::new()
    }
}

#[cfg(test)]
#[path = "../checks.rs"]
mod checks;
