//! Right: a semaphore of its own: a count of free places behind a std `Mutex` (never held
//! across an `.await`), and a `tokio::sync::Notify` that wakes a waiting task when a place is
//! given back.

pub use async_download::download;
use course_async_client as async_download;

use std::pin::pin;
use std::sync::{Arc, Mutex};

use tokio::sync::Notify;

/// Free places, and a way to wait for one without holding the thread.
struct Places {
    free: Mutex<usize>,
    given_back: Notify,
}

impl Places {
    async fn take(&self) {
        loop {
            // Registered before the count is read, so that a place given back meanwhile wakes it.
            let mut given_back = pin!(self.given_back.notified());
            given_back.as_mut().enable();
            {
                let mut free = self.free.lock().unwrap();
                if *free > 0 {
                    *free -= 1;
                    return;
                }
            }
            given_back.await;
        }
    }

    fn give_back(&self) {
        *self.free.lock().unwrap() += 1;
        self.given_back.notify_one();
    }
}

/// Downloads every URL of `urls` (with [`download`]), one tokio task each, with at most `k`
/// (`k` ≥ 1) downloading at the same time, and returns what each gave, in the order of `urls`.
pub async fn download_with_at_most(k: usize, urls: &[String]) -> Vec<Result<Vec<u8>, String>> {
    let places = Arc::new(Places {
        free: Mutex::new(k),
        given_back: Notify::new(),
    });
    let tasks: Vec<_> = urls
        .iter()
        .cloned()
        .map(|url| {
            let places = Arc::clone(&places);
            tokio::spawn(async move {
                places.take().await;
                let body = download(&url).await;
                places.give_back();
                body
            })
        })
        .collect();
    let mut results = Vec::new();
    for task in tasks {
        results.push(task.await.expect("a download task panicked"));
    }
    results
}

#[cfg(test)]
#[path = "../checks.rs"]
mod checks;
