//~ starter:
//~ //! Exercise `publish-flag` (lesson 08).
//~ solution:
//! Exercise `publish-flag` (lesson 08): reference solution.
//~ end
//!
//! A camera thread publishes the size of a frame, then raises a flag; a display thread reads the
//! size once it sees the flag. It compiles, and on your laptop it may even work every time. But
//! nothing in it promises that a thread which sees the flag also sees the size: every operation
//! is `Relaxed`, which orders nothing but the flag itself.
//!
//~ starter:
//~ //! Check your work: `cargo xtask verify publish-flag`. Stuck? `cargo xtask hint publish-flag`.
//~ //! The checks in `checks.rs` run under loom, which tries every interleaving of the threads and
//~ //! every value the memory model lets each load return, so an answer that works on your machine
//~ //! by luck does not pass.
//~ solution:
//~ end

// The checks use loom's atomics, which loom can pause and interleave; everywhere else these are
// std's. Your code does not change either way.
#[cfg(test)]
use loom::sync::atomic::{AtomicBool, AtomicU32, Ordering};
#[cfg(not(test))]
use std::sync::atomic::{AtomicBool, AtomicU32, Ordering};

/// The size of one frame, written once by one thread and read by others.
#[derive(Debug)]
pub struct FrameSize {
    width: AtomicU32,
    height: AtomicU32,
    ready: AtomicBool,
}

impl FrameSize {
    pub fn new() -> Self {
        Self {
            width: AtomicU32::new(0),
            height: AtomicU32::new(0),
            ready: AtomicBool::new(false),
        }
    }

    /// Writes the size, then raises the flag. Called once, by one thread.
    pub fn publish(&self, width: u32, height: u32) {
        self.width.store(width, Ordering::Relaxed);
        self.height.store(height, Ordering::Relaxed);
        //~ starter:
        //~ // TODO: a thread that sees this flag must also see the two stores above.
        //~ self.ready.store(true, Ordering::Relaxed);
        //~ solution:
        // Release: whoever reads `true` with Acquire also sees the two stores above.
        self.ready.store(true, Ordering::Release);
        //~ end
    }

    /// The size, if it has been published; `None` before.
    pub fn read(&self) -> Option<(u32, u32)> {
        //~ starter:
        //~ // TODO: after seeing the flag, this thread must see what the publisher wrote before it.
        //~ if self.ready.load(Ordering::Relaxed) {
        //~ solution:
        // Acquire: having read the publisher's `true`, see everything it wrote before it.
        if self.ready.load(Ordering::Acquire) {
            //~ end
            Some((
                self.width.load(Ordering::Relaxed),
                self.height.load(Ordering::Relaxed),
            ))
        } else {
            None
        }
    }
}

impl Default for FrameSize {
    fn default() -> Self {
        Self::new()
    }
}

#[cfg(test)]
#[path = "../checks.rs"]
mod checks;
