//! Right: the actor is a struct that owns its map and its inbox, run by `tokio::spawn`, on an
//! unbounded channel; the answers come back on `oneshot` channels.

use std::collections::HashMap;

use tokio::sync::{mpsc, oneshot};

#[derive(Debug)]
enum Message {
    Read(String, oneshot::Sender<Option<u64>>),
    Write(String, u64, oneshot::Sender<Option<u64>>),
    Increase(String, u64, oneshot::Sender<u64>),
}

/// The actor: its state and its inbox, owned by its task.
#[derive(Debug)]
struct StoreActor {
    values: HashMap<String, u64>,
    inbox: mpsc::UnboundedReceiver<Message>,
}

impl StoreActor {
    async fn run(mut self) {
        while let Some(message) = self.inbox.recv().await {
            self.handle(message);
        }
    }

    fn handle(&mut self, message: Message) {
        match message {
            Message::Read(key, reply) => drop(reply.send(self.values.get(&key).copied())),
            Message::Write(key, value, reply) => drop(reply.send(self.values.insert(key, value))),
            Message::Increase(key, by, reply) => {
                let value = self.values.entry(key).or_default();
                *value += by;
                drop(reply.send(*value));
            }
        }
    }
}

/// A handle to the store. Clone it to give another task access; every clone reaches the same
/// store.
#[derive(Debug, Clone)]
pub struct Store {
    to_actor: mpsc::UnboundedSender<Message>,
}

impl Store {
    /// Starts the store, empty, on the current tokio runtime, and returns a handle to it. The
    /// store lives until the last handle is dropped.
    pub fn start() -> Store {
        let (to_actor, inbox) = mpsc::unbounded_channel();
        let actor = StoreActor {
            values: HashMap::new(),
            inbox,
        };
        tokio::spawn(actor.run());
        Store { to_actor }
    }

    /// The value of `key`, or `None` when no one has set it.
    pub async fn get(&self, key: &str) -> Option<u64> {
        let (reply, answer) = oneshot::channel();
        self.to_actor
            .send(Message::Read(key.to_owned(), reply))
            .expect("the actor runs");
        answer.await.expect("the actor answers")
    }

    /// Sets `key` to `value`, and returns the value it had before (`None` if it had none).
    pub async fn set(&self, key: &str, value: u64) -> Option<u64> {
        let (reply, answer) = oneshot::channel();
        self.to_actor
            .send(Message::Write(key.to_owned(), value, reply))
            .expect("the actor runs");
        answer.await.expect("the actor answers")
    }

    /// Adds `by` to the value of `key` (a key no one has set counts as 0), and returns the new
    /// value. Many tasks may add to one key at once: none of their additions is lost.
    pub async fn add(&self, key: &str, by: u64) -> u64 {
        let (reply, answer) = oneshot::channel();
        self.to_actor
            .send(Message::Increase(key.to_owned(), by, reply))
            .expect("the actor runs");
        answer.await.expect("the actor answers")
    }
}

#[cfg(test)]
#[path = "../checks.rs"]
mod checks;
