//! Right: SeqCst on every operation, the strongest ordering (more than needed, and correct).

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
        self.width.store(width, Ordering::SeqCst);
        self.height.store(height, Ordering::SeqCst);
        self.ready.store(true, Ordering::SeqCst);
    }

    pub fn read(&self) -> Option<(u32, u32)> {
        if self.ready.load(Ordering::SeqCst) {
            Some((
                self.width.load(Ordering::SeqCst),
                self.height.load(Ordering::SeqCst),
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
