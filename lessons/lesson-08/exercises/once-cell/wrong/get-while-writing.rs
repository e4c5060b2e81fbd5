//! Wrong: get() answers as soon as the cell is claimed, while the value is still being written.
//! verify says: "the cell looked full before its value was there"
//! verify says: "get() says None unless the state is FULL"

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
        if self
            .state
            .compare_exchange(EMPTY, WRITING, Ordering::Relaxed, Ordering::Relaxed)
            .is_err()
        {
            return Err(value);
        }
        self.value.store(value, Ordering::Relaxed);
        self.state.store(FULL, Ordering::Release);
        Ok(())
    }

    pub fn get(&self) -> Option<u64> {
        if self.state.load(Ordering::Acquire) != EMPTY {
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
