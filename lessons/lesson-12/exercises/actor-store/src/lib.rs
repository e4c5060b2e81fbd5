//! Exercise `actor-store` (lesson 12).
//!
//! A key-value store that many tasks share. As shipped, it works: every handle reaches the map
//! through a lock. Make it an actor instead: one task, started by [`Store::start`], owns the map
//! and serves the requests that the handles send it over an `mpsc` channel, one at a time; a
//! request that needs an answer carries a `oneshot` sender for it. No lock is left, because only
//! that task can reach the map, and the task ends by itself when the last handle is dropped.
//!
//! Check your work: `cargo xtask verify actor-store`. Stuck? `cargo xtask hint actor-store`.
//! The checks look at the tasks your store runs (through tokio's runtime), poll your handle's
//! futures by hand while the runtime stands still, let many tasks add at once, draw their keys
//! and values anew on every run, and measure how busy the runtime is while the store waits.

use std::collections::HashMap;
use std::sync::{Arc, Mutex};

/// A handle to the store. Clone it to give another task access; every clone reaches the same
/// store.
#[derive(Debug, Clone)]
pub struct Store {
    // TODO: the map is behind a lock that every handle takes. Keep only a sender of requests
    // here (`tokio::sync::mpsc`), and give the map to a task of its own.
    map: Arc<Mutex<HashMap<String, u64>>>,
}

#[allow(
    clippy::unused_async,
    reason = "async for the store you make of it, whose answers are awaited"
)]
impl Store {
    /// Starts the store, empty, on the current tokio runtime, and returns a handle to it. The
    /// store lives until the last handle is dropped.
    pub fn start() -> Store {
        // TODO: start the store's task here (`tokio::spawn`), owning the map and the
        // receiver of the requests.
        Store {
            map: Arc::new(Mutex::new(HashMap::new())),
        }
    }

    /// The value of `key`, or `None` when no one has set it.
    pub async fn get(&self, key: &str) -> Option<u64> {
        // TODO: send a request with a `oneshot` sender, and await the answer.
        self.map.lock().unwrap().get(key).copied()
    }

    /// Sets `key` to `value`, and returns the value it had before (`None` if it had none).
    pub async fn set(&self, key: &str, value: u64) -> Option<u64> {
        self.map.lock().unwrap().insert(key.to_string(), value)
    }

    /// Adds `by` to the value of `key` (a key no one has set counts as 0), and returns the new
    /// value. Many tasks may add to one key at once: none of their additions is lost.
    pub async fn add(&self, key: &str, by: u64) -> u64 {
        let mut map = self.map.lock().unwrap();
        let value = map.entry(key.to_string()).or_insert(0);
        *value += by;
        *value
    }
}

#[cfg(test)]
#[path = "../checks.rs"]
mod checks;
