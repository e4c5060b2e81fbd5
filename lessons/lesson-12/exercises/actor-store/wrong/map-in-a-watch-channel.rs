//! Wrong: the map sits in a `tokio::sync::watch` channel that every handle shares and changes
//! with `send_modify`: a lock by another name, reached from the handle, not a store's task. A
//! zero sleep before each call makes it wait for the runtime, and a task that does nothing ends
//! with the handles.
//! verify says: "names `watch`"

use std::collections::HashMap;
use std::sync::Arc;
use std::time::Duration;

use tokio::sync::watch;

/// A handle to the store. Clone it to give another task access; every clone reaches the same
/// store.
#[derive(Debug, Clone)]
pub struct Store {
    map: Arc<watch::Sender<HashMap<String, u64>>>,
}

impl Store {
    /// Starts the store, empty, on the current tokio runtime, and returns a handle to it. The
    /// store lives until the last handle is dropped.
    pub fn start() -> Store {
        let (map, mut changes) = watch::channel(HashMap::new());
        tokio::spawn(async move { while changes.changed().await.is_ok() {} });
        Store { map: Arc::new(map) }
    }

    /// The value of `key`, or `None` when no one has set it.
    pub async fn get(&self, key: &str) -> Option<u64> {
        tokio::time::sleep(Duration::ZERO).await;
        self.map.borrow().get(key).copied()
    }

    /// Sets `key` to `value`, and returns the value it had before (`None` if it had none).
    pub async fn set(&self, key: &str, value: u64) -> Option<u64> {
        tokio::time::sleep(Duration::ZERO).await;
        let mut before = None;
        self.map
            .send_modify(|map| before = map.insert(key.to_string(), value));
        before
    }

    /// Adds `by` to the value of `key` (a key no one has set counts as 0), and returns the new
    /// value. Many tasks may add to one key at once: none of their additions is lost.
    pub async fn add(&self, key: &str, by: u64) -> u64 {
        tokio::time::sleep(Duration::ZERO).await;
        let mut after = 0;
        self.map.send_modify(|map| {
            let value = map.entry(key.to_string()).or_insert(0);
            *value += by;
            after = *value;
        });
        after
    }
}

#[cfg(test)]
#[path = "../checks.rs"]
mod checks;
