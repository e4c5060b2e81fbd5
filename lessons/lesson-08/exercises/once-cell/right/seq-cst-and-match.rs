//! Right: SeqCst everywhere, the claim written as a `match` on the compare-exchange, and FULL set with a swap.

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
        match self
            .state
            .compare_exchange(EMPTY, WRITING, Ordering::SeqCst, Ordering::SeqCst)
        {
            Ok(_) => {
                self.value.store(value, Ordering::SeqCst);
                let _writing = self.state.swap(FULL, Ordering::SeqCst);
                Ok(())
            }
            Err(_) => Err(value),
        }
    }

    pub fn get(&self) -> Option<u64> {
        match self.state.load(Ordering::SeqCst) {
            FULL => Some(self.value.load(Ordering::SeqCst)),
            _ => None,
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
