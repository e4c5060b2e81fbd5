//~ starter:
//~ //! Exercise `once-cell` (lesson 08).
//~ solution:
//! Exercise `once-cell` (lesson 08): reference solution.
//~ end
//!
//! A cell that can be set once, by whichever thread comes first, and read by every thread: a
//! small `OnceLock<u64>` built from two atomics. The first `set` wins; every later `set` gets its
//! value back as an `Err`; `get` returns the value once it is there, and `None` before.
//!
//~ starter:
//~ //! As shipped it has two bugs. Two threads can both find the cell empty and both "win", and a
//~ //! reader that sees the cell full may still read the value as it was before it was set.
//~ //!
//~ //! Check your work: `cargo xtask verify once-cell`. Stuck? `cargo xtask hint once-cell`.
//~ //! The checks in `checks.rs` run under loom, which tries every interleaving of the threads and
//~ //! every value the memory model lets each load return.
//~ solution:
//! The first `set` claims the cell with one compare-exchange, and publishes its value with
//! Release; `get` reads the state with Acquire.
//~ end

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
        //~ starter:
        //~ // TODO: between this check and the store below, another thread can find the cell
        //~ // empty too. Claim it in one step.
        //~ if self.state.load(Ordering::Relaxed) != EMPTY {
        //~ solution:
        // Check and claim in one indivisible step: of two threads, only one can swap EMPTY out.
        // Relaxed: the claim publishes nothing, it only decides who writes.
        if self
            .state
            .compare_exchange(EMPTY, WRITING, Ordering::Relaxed, Ordering::Relaxed)
            .is_err()
        {
            //~ end
            return Err(value);
        }
        //~ starter:
        //~ self.state.store(WRITING, Ordering::Relaxed);
        //~ self.value.store(value, Ordering::Relaxed);
        //~ // TODO: a thread that sees FULL must also see the value stored above.
        //~ self.state.store(FULL, Ordering::Relaxed);
        //~ solution:
        self.value.store(value, Ordering::Relaxed);
        // Release: whoever reads FULL with Acquire also sees the value stored above.
        self.state.store(FULL, Ordering::Release);
        //~ end
        Ok(())
    }

    /// The value, once a `set` has finished; `None` before.
    pub fn get(&self) -> Option<u64> {
        //~ starter:
        //~ // TODO: seeing FULL must mean seeing the value.
        //~ if self.state.load(Ordering::Relaxed) == FULL {
        //~ solution:
        // Acquire: having read FULL, see what the setter wrote before it.
        if self.state.load(Ordering::Acquire) == FULL {
            //~ end
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
