//! Wrong: `let _ = permits.acquire().await` drops the permit at once, so it limits nothing.
//! verify says: "ran at once, the limit is 3"

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
                let _ = permits.acquire().await.expect("never closed");
                download(&url).await
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
