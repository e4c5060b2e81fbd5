//! Right: like std's `OnceLock::set`, a losing set() waits until the winner has finished (yielding, with `thread` imported like the atomics).

#[cfg(test)]
use loom::sync::atomic::{AtomicU8, AtomicU64, Ordering};
#[cfg(test)]
use loom::thread;
#[cfg(not(test))]
use std::sync::atomic::{AtomicU8, AtomicU64, Ordering};
#[cfg(not(test))]
use std::thread;

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
            while self.state.load(Ordering::Acquire) != FULL {
                thread::yield_now();
            }
            return Err(value);
        }
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
