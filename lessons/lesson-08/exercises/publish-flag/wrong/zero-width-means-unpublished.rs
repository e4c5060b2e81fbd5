//! Wrong: no flag: the width, stored last with Release, says whether the size is there, so a width of 0 is never published.
//! verify says: "publish(0, "
//! verify says: "zeros too"

#[cfg(test)]
use loom::sync::atomic::{AtomicBool, AtomicU32, Ordering};
#[cfg(not(test))]
use std::sync::atomic::{AtomicBool, AtomicU32, Ordering};

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

    pub fn publish(&self, width: u32, height: u32) {
        self.height.store(height, Ordering::Relaxed);
        self.width.store(width, Ordering::Release);
    }

    pub fn read(&self) -> Option<(u32, u32)> {
        match self.width.load(Ordering::Acquire) {
            0 => None,
            width => Some((width, self.height.load(Ordering::Relaxed))),
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
