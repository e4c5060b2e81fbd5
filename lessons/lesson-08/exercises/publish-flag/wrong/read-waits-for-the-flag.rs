//! Wrong: read() waits until the flag is up instead of returning None.
//! verify says: "read() never returned None"
//! verify says: "must not wait for the flag"

#[cfg(test)]
use loom::sync::atomic::{AtomicBool, AtomicU32, Ordering};
#[cfg(test)]
use loom::thread;
#[cfg(not(test))]
use std::sync::atomic::{AtomicBool, AtomicU32, Ordering};
#[cfg(not(test))]
use std::thread;

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
        self.ready.store(true, Ordering::Release);
    }

    pub fn read(&self) -> Option<(u32, u32)> {
        while !self.ready.load(Ordering::Acquire) {
            thread::yield_now();
        }
        Some((
            self.width.load(Ordering::Relaxed),
            self.height.load(Ordering::Relaxed),
        ))
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
