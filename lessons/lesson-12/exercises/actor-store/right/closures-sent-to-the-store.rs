//! Right: the requests are closures that the store's task runs on its map, each sending its own
//! answer on a `oneshot`; the handle's methods only say what to do.

use std::collections::HashMap;

use tokio::sync::{mpsc, oneshot};

/// Something to do with the map, run by the store's task.
type Job = Box<dyn FnOnce(&mut HashMap<String, u64>) + Send>;

/// A handle to the store. Clone it to give another task access; every clone reaches the same
/// store.
#[derive(Debug, Clone)]
pub struct Store {
    jobs: mpsc::Sender<Job>,
}

impl Store {
    /// Starts the store, empty, on the current tokio runtime, and returns a handle to it. The
    /// store lives until the last handle is dropped.
    pub fn start() -> Store {
        let (jobs, mut inbox) = mpsc::channel::<Job>(16);
        tokio::spawn(async move {
            let mut map = HashMap::new();
            while let Some(job) = inbox.recv().await {
                job(&mut map);
            }
        });
        Store { jobs }
    }

    /// Runs `job` on the store's map, in the store's task, and returns what it gave.
    async fn run<T: Send + 'static>(
        &self,
        job: impl FnOnce(&mut HashMap<String, u64>) -> T + Send + 'static,
    ) -> T {
        let (reply, answer) = oneshot::channel();
        let job: Job = Box::new(move |map| {
            let _ = reply.send(job(map));
        });
        self.jobs.send(job).await.expect("the store runs");
        answer.await.expect("the store answers")
    }

    /// The value of `key`, or `None` when no one has set it.
    pub async fn get(&self, key: &str) -> Option<u64> {
        let key = key.to_string();
        self.run(move |map| map.get(&key).copied()).await
    }

    /// Sets `key` to `value`, and returns the value it had before (`None` if it had none).
    pub async fn set(&self, key: &str, value: u64) -> Option<u64> {
        let key = key.to_string();
        self.run(move |map| map.insert(key, value)).await
    }

    /// Adds `by` to the value of `key` (a key no one has set counts as 0), and returns the new
    /// value. Many tasks may add to one key at once: none of their additions is lost.
    pub async fn add(&self, key: &str, by: u64) -> u64 {
        let key = key.to_string();
        self.run(move |map| {
            let value = map.entry(key).or_insert(0);
            *value += by;
            *value
        })
        .await
    }
}

#[cfg(test)]
#[path = "../checks.rs"]
mod checks;
