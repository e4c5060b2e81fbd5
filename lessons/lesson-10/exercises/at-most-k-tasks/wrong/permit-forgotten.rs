//! Wrong: each task `forget`s its permit when its download is done, so after `k` downloads no
//! permit is left and the other tasks wait for ever.
//! verify says: "tasks are still waiting for permits that nobody gives back"

pub use async_download::download;
use course_async_client as async_download;

use std::sync::Arc;

use tokio::sync::Semaphore;

/// Downloads every URL of `urls` (with [`download`]), one tokio task each, with at most `k`
/// (`k` ≥ 1) downloading at the same time, and returns what each gave, in the order of `urls`.
pub async fn download_with_at_most(k: usize, urls: &[String]) -> Vec<Result<Vec<u8>, String>> {
    let permits = Arc::new(Semaphore::new(k));
    let tasks: Vec<_> = urls
        .iter()
        .cloned()
        .map(|url| {
            let permits = Arc::clone(&permits);
            tokio::spawn(async move {
                let permit = permits.acquire().await.expect("never closed");
                let body = download(&url).await;
                permit.forget();
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
