//! Wrong: adds the difference to the maximum it loaded: two threads add on top of each other.
//! verify says: "larger than any value recorded"

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
            self.max.fetch_add(value - current, Ordering::Relaxed);
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
