//! Right: the flag raised with a Release swap; read() checks it Relaxed and then an Acquire fence, and `then` builds the answer.

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
        let _was_up = self.ready.swap(true, Ordering::Release);
    }

    pub fn read(&self) -> Option<(u32, u32)> {
        self.ready.load(Ordering::Relaxed).then(|| {
            fence(Ordering::Acquire);
            (
                self.width.load(Ordering::Relaxed),
                self.height.load(Ordering::Relaxed),
            )
        })
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
