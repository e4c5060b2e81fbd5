//! Scaffolding, not part of the lesson's listing: counts the jobs in flight, and the most there
//! ever were at once.

use std::sync::atomic::{AtomicUsize, Ordering};

/// How many jobs run now, and the most that ever ran at once.
#[derive(Debug, Default)]
pub struct Gauge {
    now: AtomicUsize,
    most: AtomicUsize,
}

/// One job in flight, from [`Gauge::enter`] until it is dropped.
#[derive(Debug)]
pub struct InFlight<'a>(&'a Gauge);

impl Gauge {
    pub fn enter(&self) -> InFlight<'_> {
        let now = self.now.fetch_add(1, Ordering::SeqCst) + 1;
        self.most.fetch_max(now, Ordering::SeqCst);
        InFlight(self)
    }

    pub fn most(&self) -> usize {
        self.most.load(Ordering::SeqCst)
    }
}

impl Drop for InFlight<'_> {
    fn drop(&mut self) {
        self.0.now.fetch_sub(1, Ordering::SeqCst);
    }
}
