//! Part 5: an actor owns its state; the others send it requests, and a `oneshot` channel brings
//! each answer back.

use std::collections::HashMap;

use tokio::sync::{mpsc, oneshot};
use tokio::task::JoinHandle;

const VISITORS: u32 = 100;

// ANCHOR: actor
enum Request {
    Add {
        key: String,
        by: u64,
    },
    Get {
        key: String,
        reply: oneshot::Sender<Option<u64>>,
    },
}

/// The only owner of the map: no lock, because no other task can reach it.
async fn run_store(mut requests: mpsc::Receiver<Request>) {
    let mut map = HashMap::new();
    while let Some(request) = requests.recv().await {
        match request {
            Request::Add { key, by } => *map.entry(key).or_insert(0) += by,
            Request::Get { key, reply } => reply.send(map.get(&key).copied()).unwrap_or(()),
        }
    } // every handle is dropped: the actor ends
}

/// A handle to the actor; clone it to give another task access.
#[derive(Clone)]
struct Store {
    requests: mpsc::Sender<Request>,
}

impl Store {
    fn start() -> (Store, JoinHandle<()>) {
        let (requests, inbox) = mpsc::channel(32);
        (Store { requests }, tokio::spawn(run_store(inbox)))
    }

    async fn add(&self, key: &str, by: u64) {
        let request = Request::Add {
            key: key.to_string(),
            by,
        };
        self.requests.send(request).await.expect("the store runs");
    }

    async fn get(&self, key: &str) -> Option<u64> {
        let (reply, answer) = oneshot::channel();
        let request = Request::Get {
            key: key.to_string(),
            reply,
        };
        self.requests.send(request).await.expect("the store runs");
        answer.await.expect("the store answers")
    }
}
// ANCHOR_END: actor

pub async fn an_actor_owns_the_store() {
    let (store, actor) = Store::start();
    let visitors: Vec<_> = (0..VISITORS)
        .map(|_| {
            let store = store.clone();
            tokio::spawn(async move { store.add("visits", 1).await })
        })
        .collect();
    for visitor in visitors {
        visitor.await.expect("a visitor panicked");
    }
    println!(
        "{VISITORS} tasks added 1 each, with no lock: visits = {:?}",
        store.get("visits").await
    );
    println!("a key no one added to: {:?}", store.get("orders").await);
    drop(store);
    actor.await.expect("the actor panicked");
    println!("the last handle was dropped, so the actor's inbox closed and the actor ended");
}
