//! Wrong: retries the compare-exchange with the value it loaded first, which fails for ever once another thread changed it.
//! verify says: "a thread never finished"
//! verify says: "`Err(actual)`"

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
        while value > current {
            if self
                .max
                .compare_exchange(current, value, Ordering::Relaxed, Ordering::Relaxed)
                .is_ok()
            {
                break;
            }
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
