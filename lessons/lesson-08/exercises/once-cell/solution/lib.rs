//! Exercise `once-cell` (lesson 08): reference solution.
//!
//! A cell that can be set once, by whichever thread comes first, and read by every thread: a
//! small `OnceLock<u64>` built from two atomics. The first `set` wins; every later `set` gets its
//! value back as an `Err`; `get` returns the value once it is there, and `None` before.
//!
//! The first `set` claims the cell with one compare-exchange, and publishes its value with
//! Release; `get` reads the state with Acquire.

// The checks use loom's atomics, which loom can pause and interleave; everywhere else these are
// std's. Your code does not change either way.
#[cfg(test)]
use loom::sync::atomic::{AtomicU8, AtomicU64, Ordering};
#[cfg(not(test))]
use std::sync::atomic::{AtomicU8, AtomicU64, Ordering};

const EMPTY: u8 = 0;
/// A thread has claimed the cell and is writing its value.
const WRITING: u8 = 1;
const FULL: u8 = 2;

// ANCHOR: solution
/// A `u64` that is set at most once.
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

    /// Sets the value if the cell is empty; otherwise gives `value` back as `Err(value)`.
    pub fn set(&self, value: u64) -> Result<(), u64> {
        // Check and claim in one indivisible step: of two threads, only one can swap EMPTY out.
        // Relaxed: the claim publishes nothing, it only decides who writes.
        if self
            .state
            .compare_exchange(EMPTY, WRITING, Ordering::Relaxed, Ordering::Relaxed)
            .is_err()
        {
            return Err(value);
        }
        self.value.store(value, Ordering::Relaxed);
        // Release: whoever reads FULL with Acquire also sees the value stored above.
        self.state.store(FULL, Ordering::Release);
        Ok(())
    }

    /// The value, once a `set` has finished; `None` before.
    pub fn get(&self) -> Option<u64> {
        // Acquire: having read FULL, see what the setter wrote before it.
        if self.state.load(Ordering::Acquire) == FULL {
            Some(self.value.load(Ordering::Relaxed))
        } else {
            None
        }
    }
}
// ANCHOR_END: solution

impl Default for OnceValue {
    fn default() -> Self {
        Self::new()
    }
}

#[cfg(test)]
#[path = "../checks.rs"]
mod checks;
