//! Right: the caller takes an owned permit (`acquire_owned`) before it spawns each task, and
//! moves it into the task, which drops it when its download is done.

pub use async_download::download;
use course_async_client as async_download;

use std::sync::Arc;

use tokio::sync::Semaphore;

/// Downloads every URL of `urls` (with [`download`]), one tokio task each, with at most `k`
/// (`k` ≥ 1) downloading at the same time, and returns what each gave, in the order of `urls`.
pub async fn download_with_at_most(k: usize, urls: &[String]) -> Vec<Result<Vec<u8>, String>> {
    let permits = Arc::new(Semaphore::new(k));
    let mut tasks = Vec::new();
    for url in urls.iter().cloned() {
        let permit = Arc::clone(&permits)
            .acquire_owned()
            .await
            .expect("the semaphore is never closed");
        tasks.push(tokio::spawn(async move {
            let body = download(&url).await;
            drop(permit);
            body
        }));
    }
    let mut results = Vec::new();
    for task in tasks {
        results.push(task.await.expect("a download task panicked"));
    }
    results
}

#[cfg(test)]
#[path = "../checks.rs"]
mod checks;
