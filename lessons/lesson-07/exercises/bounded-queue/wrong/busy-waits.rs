//! Wrong: no `Condvar` wait: `push` and `pop` take the lock again and again until the queue has changed.
//! verify says: "again and again"
//! verify says: "wait on"
//!
//! A queue that holds at most `capacity` items, shared by producer and consumer threads: `push`
//! waits while the queue is full, `pop` waits while it is empty. It is built from one `Mutex` and
//! two `Condvar`s, like the lesson's.

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
        loop {
            let mut items = self.items.lock().unwrap();
            if items.len() < self.capacity {
                items.push_back(item);
                return;
            }
            drop(items);
            std::thread::yield_now();
        }
    }

    /// Takes the item at the front, waiting while the queue is empty.
    pub fn pop(&self) -> T {
        loop {
            let mut items = self.items.lock().unwrap();
            if let Some(item) = items.pop_front() {
                return item;
            }
            drop(items);
            std::thread::yield_now();
        }
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
