//! Wrong: right fences, but std's `fence` written in full, which loom cannot see under test.
//! verify says: "uses std's `fence`"
//! verify says: "use loom::sync::atomic::{…, fence}"

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
        self.width.store(width, Ordering::Relaxed);
        self.height.store(height, Ordering::Relaxed);
        std::sync::atomic::fence(Ordering::Release);
        self.ready.store(true, Ordering::Relaxed);
    }

    pub fn read(&self) -> Option<(u32, u32)> {
        if self.ready.load(Ordering::Relaxed) {
            std::sync::atomic::fence(Ordering::Acquire);
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
