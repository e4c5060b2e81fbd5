//! Exercise `at-most-k-tasks` (lesson 10).
//!
//! Tasks are cheap, so starting one per URL is easy; but each of them opens a connection, and
//! ten thousand connections at once is more than most servers will take from one client. Here
//! every URL still gets a task of its own, but at most `k` of them download at the same time:
//! the others wait, without holding a thread, until one of the `k` is done. The bodies come back
//! in the order of the URLs.
//!
//! Check your work: `cargo xtask verify at-most-k-tasks`. Stuck? `cargo xtask hint at-most-k-tasks`.
//! The checks in `checks.rs` download from a loopback HTTP server inside the test program; every
//! answer waits a while before it starts, and the server counts how many requests were waiting at
//! the same moment.

pub use async_download::download;
use course_async_client as async_download;

/// Downloads every URL of `urls` (with [`download`]), one tokio task each, with at most `k`
/// (`k` ≥ 1) downloading at the same time, and returns what each gave, in the order of `urls`.
pub async fn download_with_at_most(k: usize, urls: &[String]) -> Vec<Result<Vec<u8>, String>> {
    // TODO: every task starts its download at once, and `k` is never looked at. Give the tasks
    // `k` permits to share (`tokio::sync::Semaphore`, in an `Arc`), and let each one download
    // only while it holds a permit.
    let _ = k;
    let tasks: Vec<_> = urls
        .iter()
        .cloned()
        .map(|url| tokio::spawn(async move { download(&url).await }))
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
