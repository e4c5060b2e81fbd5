//~ starter:
//~ //! Exercise `lost-update` (lesson 03).
//~ solution:
//! Exercise `lost-update` (lesson 03): reference solution.
//~ end
//!
//! A hit counter that several threads update. It compiles — Rust rejects data races, and an
//! atomic is not one — yet it loses hits: reading the count and writing it back plus one are two
//! separate steps, and another thread can record its hit in between.
//~ starter:
//~ //!
//~ //! Check your work: `cargo xtask verify lost-update`. Stuck? `cargo xtask hint lost-update`.
//~ //! The checks in `checks.rs` run under loom, which tries every interleaving of the threads, so
//~ //! an answer that is right only by luck of timing does not pass.
//~ solution:
//~ end

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
        //~ starter:
        //~ // TODO: between this load and the store another thread can record its own hit; both
        //~ // threads then store the same number, and one hit is lost. Make the read-modify-write
        //~ // one indivisible step.
        //~ let seen = self.hits.load(Ordering::Relaxed);
        //~ self.hits.store(seen + 1, Ordering::Relaxed);
        //~ solution:
        // One indivisible read-modify-write: no other thread can come in between.
        // `Relaxed` is enough: the count orders nothing else.
        self.hits.fetch_add(1, Ordering::Relaxed);
        //~ end
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
