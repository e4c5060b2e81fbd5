//! Wrong: a counting semaphore made of std's `Mutex` and `Condvar`: a task that waits blocks
//! the runtime's only thread, so the task that would wake it never runs.
//! verify says: "the runtime's only thread has been blocked"
//! verify says: "a std `Mutex` or `Condvar`"

pub use async_download::download;
use course_async_client as async_download;

use std::sync::{Arc, Condvar, Mutex};

/// Downloads every URL of `urls` (with [`download`]), one tokio task each, with at most `k`
/// (`k` ≥ 1) downloading at the same time, and returns what each gave, in the order of `urls`.
pub async fn download_with_at_most(k: usize, urls: &[String]) -> Vec<Result<Vec<u8>, String>> {
    let places = Arc::new((Mutex::new(k), Condvar::new()));
    let tasks: Vec<_> = urls
        .iter()
        .cloned()
        .map(|url| {
            let places = Arc::clone(&places);
            tokio::spawn(async move {
                {
                    let (free, freed) = &*places;
                    let mut free = freed
                        .wait_while(free.lock().unwrap(), |free| *free == 0)
                        .unwrap();
                    *free -= 1;
                }
                let body = download(&url).await;
                let (free, freed) = &*places;
                *free.lock().unwrap() += 1;
                freed.notify_one();
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
