//~ starter:
//~ //! Exercise `actor-store` (lesson 12).
//~ solution:
//! Exercise `actor-store` (lesson 12): the reference solution.
//~ end
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
//~ starter:
//~ use std::sync::{Arc, Mutex};
//~ solution:

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
    while let Some(request) = inbox.recv().await {
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
//~ end

/// A handle to the store. Clone it to give another task access; every clone reaches the same
/// store.
#[derive(Debug, Clone)]
pub struct Store {
    //~ starter:
    //~ // TODO: the map is behind a lock that every handle takes. Keep only a sender of requests
    //~ // here (`tokio::sync::mpsc`), and give the map to a task of its own.
    //~ map: Arc<Mutex<HashMap<String, u64>>>,
    //~ solution:
    requests: mpsc::Sender<Request>,
    //~ end
}

//~ starter:
//~ #[allow(
//~     clippy::unused_async,
//~     reason = "async for the store you make of it, whose answers are awaited"
//~ )]
//~ solution:
//~ end
impl Store {
    /// Starts the store, empty, on the current tokio runtime, and returns a handle to it. The
    /// store lives until the last handle is dropped.
    pub fn start() -> Store {
        //~ starter:
        //~ // TODO: start the store's task here (`tokio::spawn`), owning the map and the
        //~ // receiver of the requests.
        //~ Store {
        //~     map: Arc::new(Mutex::new(HashMap::new())),
        //~ }
        //~ solution:
        let (requests, inbox) = mpsc::channel(64);
        tokio::spawn(serve(inbox));
        Store { requests }
        //~ end
    }

    /// The value of `key`, or `None` when no one has set it.
    pub async fn get(&self, key: &str) -> Option<u64> {
        //~ starter:
        //~ // TODO: send a request with a `oneshot` sender, and await the answer.
        //~ self.map.lock().unwrap().get(key).copied()
        //~ solution:
        let (reply, answer) = oneshot::channel();
        let key = key.to_string();
        self.ask(Request::Get { key, reply }, answer).await
        //~ end
    }

    /// Sets `key` to `value`, and returns the value it had before (`None` if it had none).
    pub async fn set(&self, key: &str, value: u64) -> Option<u64> {
        //~ starter:
        //~ self.map.lock().unwrap().insert(key.to_string(), value)
        //~ solution:
        let (reply, answer) = oneshot::channel();
        let key = key.to_string();
        self.ask(Request::Set { key, value, reply }, answer).await
        //~ end
    }

    /// Adds `by` to the value of `key` (a key no one has set counts as 0), and returns the new
    /// value. Many tasks may add to one key at once: none of their additions is lost.
    pub async fn add(&self, key: &str, by: u64) -> u64 {
        //~ starter:
        //~ let mut map = self.map.lock().unwrap();
        //~ let value = map.entry(key.to_string()).or_insert(0);
        //~ *value += by;
        //~ *value
        //~ solution:
        let (reply, answer) = oneshot::channel();
        let key = key.to_string();
        self.ask(Request::Add { key, by, reply }, answer).await
        //~ end
    }
    //~ starter:
    //~ solution:

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
    //~ end
}

#[cfg(test)]
#[path = "../checks.rs"]
mod checks;
