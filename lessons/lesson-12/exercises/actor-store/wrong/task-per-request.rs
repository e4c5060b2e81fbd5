//! Wrong: every call spawns a task of its own that locks a shared map; no task owns the map, and
//! the lock is still there, only moved into the tasks.
//! verify says: "Store::start started no task"

use std::collections::HashMap;
use std::sync::Arc;

use tokio::sync::{Mutex, oneshot};

/// A handle to the store. Clone it to give another task access; every clone reaches the same
/// store.
#[derive(Debug, Clone)]
pub struct Store {
    map: Arc<Mutex<HashMap<String, u64>>>,
}

impl Store {
    /// Starts the store, empty, on the current tokio runtime, and returns a handle to it. The
    /// store lives until the last handle is dropped.
    pub fn start() -> Store {
        Store {
            map: Arc::default(),
        }
    }

    /// The value of `key`, or `None` when no one has set it.
    pub async fn get(&self, key: &str) -> Option<u64> {
        let (map, key) = (Arc::clone(&self.map), key.to_string());
        let (reply, answer) = oneshot::channel();
        tokio::spawn(async move {
            let _ = reply.send(map.lock().await.get(&key).copied());
        });
        answer.await.unwrap()
    }

    /// Sets `key` to `value`, and returns the value it had before (`None` if it had none).
    pub async fn set(&self, key: &str, value: u64) -> Option<u64> {
        let (map, key) = (Arc::clone(&self.map), key.to_string());
        let (reply, answer) = oneshot::channel();
        tokio::spawn(async move {
            let _ = reply.send(map.lock().await.insert(key, value));
        });
        answer.await.unwrap()
    }

    /// Adds `by` to the value of `key` (a key no one has set counts as 0), and returns the new
    /// value. Many tasks may add to one key at once: none of their additions is lost.
    pub async fn add(&self, key: &str, by: u64) -> u64 {
        let (map, key) = (Arc::clone(&self.map), key.to_string());
        let (reply, answer) = oneshot::channel();
        tokio::spawn(async move {
            let mut map = map.lock().await;
            let value = map.entry(key).or_insert(0);
            *value += by;
            let _ = reply.send(*value);
        });
        answer.await.unwrap()
    }
}

#[cfg(test)]
#[path = "../checks.rs"]
mod checks;
