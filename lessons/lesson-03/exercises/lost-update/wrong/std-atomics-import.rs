//! Wrong: std's atomics imported under test too, so loom cannot explore them.
//! verify says: "not loom's"

// The checks use loom's atomics, which loom can pause and interleave; everywhere else these are
// std's. Your code does not change either way.
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
        // TODO: between this load and the store another thread can record its own hit; both
        // threads then store the same number, and one hit is lost. Make the read-modify-write
        // one indivisible step.
        let seen = self.hits.load(Ordering::Relaxed);
        self.hits.store(seen + 1, Ordering::Relaxed);
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
