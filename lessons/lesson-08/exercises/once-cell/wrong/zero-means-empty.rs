//! Wrong: one atomic, with 0 standing for "empty": set(0) is lost, and a later set() wins again.
//! verify says: "no value can stand for"

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
            .value
            .compare_exchange(0, value, Ordering::Release, Ordering::Relaxed)
        {
            Ok(_) => Ok(()),
            Err(_) => Err(value),
        }
    }

    pub fn get(&self) -> Option<u64> {
        match self.value.load(Ordering::Acquire) {
            0 => None,
            value => Some(value),
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
