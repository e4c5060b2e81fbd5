//! Wrong: one compare-exchange and no retry: when another thread stored a smaller value in between, the larger one is given up.
//! verify says: "gave up without storing"
//! verify says: "try again"

#[cfg(test)]
use loom::sync::atomic::{AtomicU64, Ordering};
#[cfg(not(test))]
use std::sync::atomic::{AtomicU64, Ordering};

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

    pub fn record(&self, value: u64) {
        let current = self.max.load(Ordering::Relaxed);
        if value > current {
            let _ = self
                .max
                .compare_exchange(current, value, Ordering::Relaxed, Ordering::Relaxed);
        }
    }

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
