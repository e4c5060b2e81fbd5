//! Wrong: the store's task looks into its inbox with `try_recv`, and sleeps a millisecond
//! (`tokio::time::sleep`) whenever it is empty: the runtime's thread is idle most of the time,
//! yet it wakes a thousand times a second to find nothing.
//! verify says: "checks its inbox again and again"
//! verify says: "woke up"

use std::collections::HashMap;

use tokio::sync::{mpsc, oneshot};

/// What a handle asks the store's task; each carries a `oneshot` sender for its answer.
#[derive(Debug)]
enum Request {
    Get {
        key: String,
        reply: oneshot::Sender<Option<u64>>,
    },
    Set {
        key: String,
        value: u64,
        reply: oneshot::Sender<Option<u64>>,
    },
    Add {
        key: String,
        by: u64,
        reply: oneshot::Sender<u64>,
    },
}

/// The store's task: the only owner of the map. It serves one request at a time, in the order
/// they came, and ends when every handle is dropped (`recv` gives `None`).
async fn serve(mut inbox: mpsc::Receiver<Request>) {
    let mut map: HashMap<String, u64> = HashMap::new();
    loop {
        let request = match inbox.try_recv() {
            Ok(request) => request,
            Err(mpsc::error::TryRecvError::Empty) => {
                // Sleep a millisecond, then look again: the runtime is idle meanwhile.
                tokio::time::sleep(std::time::Duration::from_millis(1)).await;
                continue;
            }
            Err(mpsc::error::TryRecvError::Disconnected) => break,
        };
        // A handle that stopped waiting dropped its receiver: nobody to tell, nothing to undo.
        match request {
            Request::Get { key, reply } => {
                let _ = reply.send(map.get(&key).copied());
            }
            Request::Set { key, value, reply } => {
                let _ = reply.send(map.insert(key, value));
            }
            Request::Add { key, by, reply } => {
                let value = map.entry(key).or_insert(0);
                *value += by;
                let _ = reply.send(*value);
            }
        }
    }
}

/// A handle to the store. Clone it to give another task access; every clone reaches the same
/// store.
#[derive(Debug, Clone)]
pub struct Store {
    requests: mpsc::Sender<Request>,
}

impl Store {
    /// Starts the store, empty, on the current tokio runtime, and returns a handle to it. The
    /// store lives until the last handle is dropped.
    pub fn start() -> Store {
        let (requests, inbox) = mpsc::channel(64);
        tokio::spawn(serve(inbox));
        Store { requests }
    }

    /// The value of `key`, or `None` when no one has set it.
    pub async fn get(&self, key: &str) -> Option<u64> {
        let (reply, answer) = oneshot::channel();
        let key = key.to_string();
        self.ask(Request::Get { key, reply }, answer).await
    }

    /// Sets `key` to `value`, and returns the value it had before (`None` if it had none).
    pub async fn set(&self, key: &str, value: u64) -> Option<u64> {
        let (reply, answer) = oneshot::channel();
        let key = key.to_string();
        self.ask(Request::Set { key, value, reply }, answer).await
    }

    /// Adds `by` to the value of `key` (a key no one has set counts as 0), and returns the new
    /// value. Many tasks may add to one key at once: none of their additions is lost.
    pub async fn add(&self, key: &str, by: u64) -> u64 {
        let (reply, answer) = oneshot::channel();
        let key = key.to_string();
        self.ask(Request::Add { key, by, reply }, answer).await
    }

    /// Sends `request` to the store's task and awaits its answer.
    async fn ask<T>(&self, request: Request, answer: oneshot::Receiver<T>) -> T {
        self.requests
            .send(request)
            .await
            .expect("the store's task runs while a handle exists");
        answer
            .await
            .expect("the store's task answers every request")
    }
}

#[cfg(test)]
#[path = "../checks.rs"]
mod checks;
