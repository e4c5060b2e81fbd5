//! Exercise `bounded-queue` (lesson 07).
//!
//! A queue that holds at most `capacity` items, shared by producer and consumer threads: `push`
//! waits while the queue is full, `pop` waits while it is empty. It is built from one `Mutex` and
//! two `Condvar`s, like the lesson's. This one waits wrongly: it can hand out an item that is not
//! there, and overfill the queue.
//!
//! Check your work: `cargo xtask verify bounded-queue`. Stuck? `cargo xtask hint bounded-queue`.
//! The checks run under loom, which tries every interleaving of the threads (up to a bound): an
//! answer that is right only by luck of timing does not pass, and a thread left waiting for ever
//! is reported as a deadlock.

use std::collections::VecDeque;

// The checks use loom's `Mutex` and `Condvar`, which loom can pause and interleave; everywhere
// else these are std's. Your code does not change either way. (loom's `Condvar` has `wait` but not
// `wait_while`: write the loop yourself.)
#[cfg(test)]
use loom::sync::{Condvar, Mutex};
#[cfg(not(test))]
use std::sync::{Condvar, Mutex};

/// A queue of at most `capacity` items; `push` and `pop` block.
#[derive(Debug)]
pub struct BoundedQueue<T> {
    items: Mutex<VecDeque<T>>,
    not_empty: Condvar,
    not_full: Condvar,
    capacity: usize,
}

impl<T> BoundedQueue<T> {
    pub fn new(capacity: usize) -> Self {
        assert!(
            capacity > 0,
            "a queue of capacity 0 could never take an item"
        );
        Self {
            items: Mutex::new(VecDeque::with_capacity(capacity)),
            not_empty: Condvar::new(),
            not_full: Condvar::new(),
            capacity,
        }
    }

    /// Adds `item` at the back, waiting while the queue is full.
    pub fn push(&self, item: T) {
        let mut items = self.items.lock().unwrap();
        // TODO: `wait` returns when another thread notified `not_full`, or for no reason at all
        // (a spurious wake-up), and by then another producer may have filled the queue again.
        // Waiting once is not enough.
        if items.len() == self.capacity {
            items = self.not_full.wait(items).unwrap();
        }
        items.push_back(item);
        self.not_empty.notify_one();
    }

    /// Takes the item at the front, waiting while the queue is empty.
    pub fn pop(&self) -> T {
        let mut items = self.items.lock().unwrap();
        // TODO: the same mistake: another consumer may have taken the item this thread was
        // woken for.
        if items.is_empty() {
            items = self.not_empty.wait(items).unwrap();
        }
        let item = items
            .pop_front()
            .expect("pop was woken up, but the queue was empty");
        self.not_full.notify_one();
        item
    }

    /// How many items the queue holds now.
    pub fn len(&self) -> usize {
        self.items.lock().unwrap().len()
    }

    /// Whether the queue holds no item now.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }
}

#[cfg(test)]
#[path = "../checks.rs"]
mod checks;
