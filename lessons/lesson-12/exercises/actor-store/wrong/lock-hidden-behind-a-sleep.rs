//! Wrong: the map is behind a tokio `Mutex` that every handle locks; a zero sleep before each
//! lock makes a call wait for the runtime, and a task that does nothing ends with the handles,
//! so that only reading the file shows the lock.
//! verify says: "names `Mutex`"

use std::collections::HashMap;
use std::sync::Arc;
use std::time::Duration;

use tokio::sync::{Mutex, mpsc};

/// A handle to the store. Clone it to give another task access; every clone reaches the same
/// store.
#[derive(Debug, Clone)]
pub struct Store {
    map: Arc<Mutex<HashMap<String, u64>>>,
    _alive: mpsc::Sender<()>,
}

impl Store {
    /// Starts the store, empty, on the current tokio runtime, and returns a handle to it. The
    /// store lives until the last handle is dropped.
    pub fn start() -> Store {
        let (alive, mut inbox) = mpsc::channel::<()>(1);
        tokio::spawn(async move { while inbox.recv().await.is_some() {} });
        Store {
            map: Arc::default(),
            _alive: alive,
        }
    }

    /// The value of `key`, or `None` when no one has set it.
    pub async fn get(&self, key: &str) -> Option<u64> {
        tokio::time::sleep(Duration::ZERO).await;
        self.map.lock().await.get(key).copied()
    }

    /// Sets `key` to `value`, and returns the value it had before (`None` if it had none).
    pub async fn set(&self, key: &str, value: u64) -> Option<u64> {
        tokio::time::sleep(Duration::ZERO).await;
        self.map.lock().await.insert(key.to_string(), value)
    }

    /// Adds `by` to the value of `key` (a key no one has set counts as 0), and returns the new
    /// value. Many tasks may add to one key at once: none of their additions is lost.
    pub async fn add(&self, key: &str, by: u64) -> u64 {
        tokio::time::sleep(Duration::ZERO).await;
        let mut map = self.map.lock().await;
        let value = map.entry(key.to_string()).or_insert(0);
        *value += by;
        *value
    }
}

#[cfg(test)]
#[path = "../checks.rs"]
mod checks;
