//! Right: `fetch_update`, whose closure returns None when there is nothing to change.

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
        let _previous = self
            .max
            .fetch_update(Ordering::Relaxed, Ordering::Relaxed, |current| {
                (value > current).then_some(value)
            });
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
