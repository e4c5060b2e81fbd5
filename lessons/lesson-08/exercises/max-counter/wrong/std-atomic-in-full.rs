//! Wrong: the field is std's `AtomicU64` written in full, which loom cannot interleave.
//! verify says: "names std's synchronisation type"

#[cfg(test)]
use loom::sync::atomic::{AtomicU64, Ordering};
#[cfg(not(test))]
use std::sync::atomic::{AtomicU64, Ordering};

#[derive(Debug)]
pub struct MaxCounter {
    max: std::sync::atomic::AtomicU64,
}

impl MaxCounter {
    pub fn new() -> Self {
        Self {
            max: std::sync::atomic::AtomicU64::new(0),
        }
    }

    pub fn record(&self, value: u64) {
        self.max.fetch_max(value, Ordering::Relaxed);
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
