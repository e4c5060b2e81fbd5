//! Wrong: the map sits in a `thread_local!` `Cell` that every handle takes and puts back: shared
//! state reached from the handle (and one map per thread, not per store), not a store's task. A
//! zero sleep before each call makes it wait for the runtime, and a task that does nothing ends
//! with the handles.
//! verify says: "names `Cell`"

use std::cell::Cell;
use std::collections::HashMap;
use std::time::Duration;

use tokio::sync::mpsc;

thread_local! {
    static MAP: Cell<HashMap<String, u64>> = Cell::new(HashMap::new());
}

/// A handle to the store. Clone it to give another task access; every clone reaches the same
/// store.
#[derive(Debug, Clone)]
pub struct Store {
    _alive: mpsc::Sender<()>,
}

/// Runs `change` on this thread's map.
fn with_map<T>(change: impl FnOnce(&mut HashMap<String, u64>) -> T) -> T {
    MAP.with(|cell| {
        let mut map = cell.take();
        let value = change(&mut map);
        cell.set(map);
        value
    })
}

impl Store {
    /// Starts the store, empty, on the current tokio runtime, and returns a handle to it. The
    /// store lives until the last handle is dropped.
    pub fn start() -> Store {
        let (alive, mut inbox) = mpsc::channel::<()>(1);
        tokio::spawn(async move { while inbox.recv().await.is_some() {} });
        Store { _alive: alive }
    }

    /// The value of `key`, or `None` when no one has set it.
    pub async fn get(&self, key: &str) -> Option<u64> {
        tokio::time::sleep(Duration::ZERO).await;
        with_map(|map| map.get(key).copied())
    }

    /// Sets `key` to `value`, and returns the value it had before (`None` if it had none).
    pub async fn set(&self, key: &str, value: u64) -> Option<u64> {
        tokio::time::sleep(Duration::ZERO).await;
        with_map(|map| map.insert(key.to_string(), value))
    }

    /// Adds `by` to the value of `key` (a key no one has set counts as 0), and returns the new
    /// value. Many tasks may add to one key at once: none of their additions is lost.
    pub async fn add(&self, key: &str, by: u64) -> u64 {
        tokio::time::sleep(Duration::ZERO).await;
        with_map(|map| {
            let value = map.entry(key.to_string()).or_insert(0);
            *value += by;
            *value
        })
    }
}

#[cfg(test)]
#[path = "../checks.rs"]
mod checks;
