//! Right: a sliding window over a `JoinSet`: `k` tasks at first, then a new one each time
//! `join_next` gives one back; every result goes to the place of its URL.

pub use async_download::download;
use course_async_client as async_download;

use tokio::task::JoinSet;

/// Downloads every URL of `urls` (with [`download`]), one tokio task each, with at most `k`
/// (`k` ≥ 1) downloading at the same time, and returns what each gave, in the order of `urls`.
pub async fn download_with_at_most(k: usize, urls: &[String]) -> Vec<Result<Vec<u8>, String>> {
    let mut results: Vec<Option<Result<Vec<u8>, String>>> = vec![None; urls.len()];
    let mut running = JoinSet::new();
    let mut next = urls.iter().cloned().enumerate();
    loop {
        while running.len() < k {
            let Some((place, url)) = next.next() else {
                break;
            };
            running.spawn(async move { (place, download(&url).await) });
        }
        let Some(done) = running.join_next().await else {
            break;
        };
        let (place, body) = done.expect("a download task panicked");
        results[place] = Some(body);
    }
    results
        .into_iter()
        .map(|result| result.expect("every URL was downloaded"))
        .collect()
}

#[cfg(test)]
#[path = "../checks.rs"]
mod checks;
