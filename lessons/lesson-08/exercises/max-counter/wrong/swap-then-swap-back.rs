//! Wrong: swaps its value in, and swaps the old one back if that was larger: in between, the maximum is too small, and the swap back can put a smaller value over a larger one.
//! verify says: "a smaller value was stored over"
//! verify says: "swap"

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
        let old = self.max.swap(value, Ordering::Relaxed);
        if old > value {
            self.max.swap(old, Ordering::Relaxed);
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
