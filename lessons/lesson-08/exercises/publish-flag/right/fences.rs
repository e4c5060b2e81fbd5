//! Right: Relaxed flag, with a Release fence before its store and an Acquire fence after its load, imported like the atomics.

#[cfg(test)]
use loom::sync::atomic::{AtomicBool, AtomicU32, Ordering, fence};
#[cfg(not(test))]
use std::sync::atomic::{AtomicBool, AtomicU32, Ordering, fence};

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
        fence(Ordering::Release);
        self.ready.store(true, Ordering::Relaxed);
    }

    pub fn read(&self) -> Option<(u32, u32)> {
        if self.ready.load(Ordering::Relaxed) {
            fence(Ordering::Acquire);
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
