//! Counts the tasks still running, to show which ones outlive the function that started them.
//! Kept apart from `main.rs`, which is the listing the book shows.

use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};

/// How many futures hold a [`Alive`] of it right now. Cloned into each task.
#[derive(Debug, Clone, Default)]
pub struct Running(Arc<AtomicUsize>);

/// Counted by its [`Running`] from [`Running::enter`] until it is dropped: when its task ends,
/// or is cancelled (a cancelled future is dropped where it stands).
#[derive(Debug)]
pub struct Alive(Arc<AtomicUsize>);

impl Running {
    /// Counts the caller as running until the returned guard is dropped.
    pub fn enter(&self) -> Alive {
        self.0.fetch_add(1, Ordering::SeqCst);
        Alive(Arc::clone(&self.0))
    }

    /// How many are running now.
    pub fn now(&self) -> usize {
        self.0.load(Ordering::SeqCst)
    }
}

impl Drop for Alive {
    fn drop(&mut self) {
        self.0.fetch_sub(1, Ordering::SeqCst);
    }
}
