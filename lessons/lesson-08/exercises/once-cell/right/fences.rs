//! Right: Relaxed state, with a Release fence before marking the cell FULL and an Acquire fence after seeing it.

#[cfg(test)]
use loom::sync::atomic::{AtomicU8, AtomicU64, Ordering, fence};
#[cfg(not(test))]
use std::sync::atomic::{AtomicU8, AtomicU64, Ordering, fence};

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
        fence(Ordering::Release);
        self.state.store(FULL, Ordering::Relaxed);
        Ok(())
    }

    pub fn get(&self) -> Option<u64> {
        (self.state.load(Ordering::Relaxed) == FULL).then(|| {
            fence(Ordering::Acquire);
            self.value.load(Ordering::Relaxed)
        })
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
