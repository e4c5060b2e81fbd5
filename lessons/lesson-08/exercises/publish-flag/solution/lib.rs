//! Exercise `publish-flag` (lesson 08): reference solution.
//!
//! A camera thread publishes the size of a frame, then raises a flag; a display thread reads the
//! size once it sees the flag. It compiles, and on your laptop it may even work every time. But
//! nothing in it promises that a thread which sees the flag also sees the size: every operation
//! is `Relaxed`, which orders nothing but the flag itself.
//!

// The checks use loom's atomics, which loom can pause and interleave; everywhere else these are
// std's. Your code does not change either way.
#[cfg(test)]
use loom::sync::atomic::{AtomicBool, AtomicU32, Ordering};
#[cfg(not(test))]
use std::sync::atomic::{AtomicBool, AtomicU32, Ordering};

// ANCHOR: solution
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
        // Release: whoever reads `true` with Acquire also sees the two stores above.
        self.ready.store(true, Ordering::Release);
    }

    /// The size, if it has been published; `None` before.
    pub fn read(&self) -> Option<(u32, u32)> {
        // Acquire: having read the publisher's `true`, see everything it wrote before it.
        if self.ready.load(Ordering::Acquire) {
            Some((
                self.width.load(Ordering::Relaxed),
                self.height.load(Ordering::Relaxed),
            ))
        } else {
            None
        }
    }
}
// ANCHOR_END: solution

impl Default for FrameSize {
    fn default() -> Self {
        Self::new()
    }
}

#[cfg(test)]
#[path = "../checks.rs"]
mod checks;
