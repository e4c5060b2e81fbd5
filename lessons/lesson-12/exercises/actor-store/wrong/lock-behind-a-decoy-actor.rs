//! Wrong: a task is started, but the map is shared with it behind a `Mutex`, and `get` and `set`
//! lock that map from the handle instead of asking the task: a lock behind the "actor".
//! verify says: "answered while no task could run"

use std::collections::HashMap;
use std::sync::{Arc, Mutex};

use tokio::sync::{mpsc, oneshot};

type Map = Arc<Mutex<HashMap<String, u64>>>;

/// A handle to the store. Clone it to give another task access; every clone reaches the same
/// store.
#[derive(Debug, Clone)]
pub struct Store {
    map: Map,
    adds: mpsc::Sender<(String, u64, oneshot::Sender<u64>)>,
}

#[allow(
    clippy::unused_async,
    reason = "the methods of a store that answers by message"
)]
impl Store {
    /// Starts the store, empty, on the current tokio runtime, and returns a handle to it. The
    /// store lives until the last handle is dropped.
    pub fn start() -> Store {
        let map: Map = Arc::default();
        let (adds, mut inbox) = mpsc::channel::<(String, u64, oneshot::Sender<u64>)>(64);
        let owned = Arc::clone(&map);
        tokio::spawn(async move {
            while let Some((key, by, reply)) = inbox.recv().await {
                let mut map = owned.lock().unwrap();
                let value = map.entry(key).or_insert(0);
                *value += by;
                let _ = reply.send(*value);
            }
        });
        Store { map, adds }
    }

    /// The value of `key`, or `None` when no one has set it.
    pub async fn get(&self, key: &str) -> Option<u64> {
        self.map.lock().unwrap().get(key).copied()
    }

    /// Sets `key` to `value`, and returns the value it had before (`None` if it had none).
    pub async fn set(&self, key: &str, value: u64) -> Option<u64> {
        self.map.lock().unwrap().insert(key.to_string(), value)
    }

    /// Adds `by` to the value of `key` (a key no one has set counts as 0), and returns the new
    /// value. Many tasks may add to one key at once: none of their additions is lost.
    pub async fn add(&self, key: &str, by: u64) -> u64 {
        let (reply, answer) = oneshot::channel();
        self.adds.send((key.to_string(), by, reply)).await.unwrap();
        answer.await.unwrap()
    }
}

#[cfg(test)]
#[path = "../checks.rs"]
mod checks;
