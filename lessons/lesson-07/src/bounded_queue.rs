//! A bounded blocking queue built from a `Mutex` and two `Condvar`s: what `sync_channel(k)` does
//! for you, written out.

use std::collections::VecDeque;
use std::sync::{Condvar, Mutex};

// ANCHOR: queue
/// A queue that holds at most `capacity` items: `push` waits while it is full, `pop` while it is
/// empty.
#[derive(Debug)]
pub struct BoundedQueue<T> {
    items: Mutex<VecDeque<T>>,
    not_empty: Condvar,
    not_full: Condvar,
    capacity: usize,
}

impl<T> BoundedQueue<T> {
    pub fn new(capacity: usize) -> Self {
        Self {
            items: Mutex::new(VecDeque::with_capacity(capacity)),
            not_empty: Condvar::new(),
            not_full: Condvar::new(),
            capacity,
        }
    }

    /// Adds `item`, waiting while the queue is full. Returns how many items it then holds.
    pub fn push(&self, item: T) -> usize {
        let guard = self.items.lock().unwrap();
        // `wait_while` unlocks, sleeps, locks again and re-checks the condition, in a loop: a
        // wake-up (even a spurious one) is only a hint that the condition may have changed.
        let mut items = self
            .not_full
            .wait_while(guard, |items| items.len() == self.capacity)
            .unwrap();
        items.push_back(item);
        let len = items.len();
        drop(items); // let the woken consumer take the lock at once
        self.not_empty.notify_one();
        len
    }

    /// Takes the oldest item, waiting while the queue is empty.
    pub fn pop(&self) -> T {
        let guard = self.items.lock().unwrap();
        let mut items = self
            .not_empty
            .wait_while(guard, |items| items.is_empty())
            .unwrap();
        let item = items.pop_front().expect("not empty: wait_while checked");
        drop(items);
        self.not_full.notify_one();
        item
    }
}
// ANCHOR_END: queue
