//! Wrong: Release and Acquire are right, but the cell is claimed by a load and then a store.
//! verify says: "both set() calls succeeded"
//! verify says: "must be one step"

#[cfg(test)]
use loom::sync::atomic::{AtomicU8, AtomicU64, Ordering};
#[cfg(not(test))]
use std::sync::atomic::{AtomicU8, AtomicU64, Ordering};

const EMPTY: u8 = 0;
const WRITING: u8 = 1;
const FULL: u8 = 2;

#[derive(Debug)]
pub struct OnceValue {
    state: AtomicU8,
    value: AtomicU64,
}

impl OnceValue {
    pub fn new() -> Self {
        Self {
            state: AtomicU8::new(EMPTY),
            value: AtomicU64::new(0),
        }
    }

    pub fn set(&self, value: u64) -> Result<(), u64> {
        if self.state.load(Ordering::Acquire) != EMPTY {
            return Err(value);
        }
        self.state.store(WRITING, Ordering::Relaxed);
        self.value.store(value, Ordering::Relaxed);
        self.state.store(FULL, Ordering::Release);
        Ok(())
    }

    pub fn get(&self) -> Option<u64> {
        if self.state.load(Ordering::Acquire) == FULL {
            Some(self.value.load(Ordering::Relaxed))
        } else {
            None
        }
    }
}

impl Default for OnceValue {
    fn default() -> Self {
        Self::new()
    }
}

#[cfg(test)]
#[path = "../checks.rs"]
mod checks;
