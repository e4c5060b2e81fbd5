//! Wrong: a task waits for its turn by checking an atomic counter again and again, with
//! `yield_now` between tries, in place of a semaphore: it never sleeps.
//! verify says: "a task that waits checks again and again instead of sleeping"

pub use async_download::download;
use course_async_client as async_download;

use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};

/// Downloads every URL of `urls` (with [`download`]), one tokio task each, with at most `k`
/// (`k` ≥ 1) downloading at the same time, and returns what each gave, in the order of `urls`.
pub async fn download_with_at_most(k: usize, urls: &[String]) -> Vec<Result<Vec<u8>, String>> {
    let running = Arc::new(AtomicUsize::new(0));
    let tasks: Vec<_> = urls
        .iter()
        .cloned()
        .map(|url| {
            let running = Arc::clone(&running);
            tokio::spawn(async move {
                // Take a place if one is free, else let the others run and try again.
                while running
                    .fetch_update(Ordering::SeqCst, Ordering::SeqCst, |now| {
                        (now < k).then_some(now + 1)
                    })
                    .is_err()
                {
                    tokio::task::yield_now().await;
                }
                let body = download(&url).await;
                running.fetch_sub(1, Ordering::SeqCst);
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
