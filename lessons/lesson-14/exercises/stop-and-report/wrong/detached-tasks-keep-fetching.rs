//! Wrong: every fetch is a task of `tokio::spawn`, reporting back on a channel; at the stop the
//! crawl returns, and the tasks it never kept a handle on go on fetching.
//! verify says: "fetches were still running when crawl returned"
//! verify says: "A task of `tokio::spawn` runs on after its handle is dropped"

use std::collections::HashSet;
use std::future::Future;
use std::sync::Arc;
use std::time::Duration;

use course_site::{Checked, FetchError, Fetched, Scope};
use tokio::sync::{Semaphore, mpsc};
use tokio_util::sync::CancellationToken;
use url::Url;

#[derive(Debug, Default)]
pub struct Crawled {
    pub checked: Vec<Checked>,
    pub not_checked: Vec<Url>,
}

pub async fn crawl<F, Fut>(
    start: Url,
    k: usize,
    timeout: Duration,
    fetch: F,
    stop: CancellationToken,
) -> Crawled
where
    F: Fn(Url) -> Fut,
    Fut: Future<Output = Result<Fetched, FetchError>> + Send + 'static,
{
    let scope = Scope::new(&start, &[]);
    let permits = Arc::new(Semaphore::new(k));
    let (results, mut arrived) = mpsc::unbounded_channel();
    let spawn = |url: Url| {
        let (permits, results, fetching) =
            (Arc::clone(&permits), results.clone(), fetch(url.clone()));
        tokio::spawn(async move {
            let _permit = permits.acquire_owned().await.unwrap();
            let result = tokio::time::timeout(timeout, fetching)
                .await
                .unwrap_or(Err(FetchError::TimedOut(timeout)));
            let _ = results.send(Checked {
                url,
                result,
                attempts: 1,
            });
        });
    };
    let mut seen = HashSet::from([start.clone()]);
    let mut out = HashSet::from([start.clone()]);
    spawn(start);
    let mut crawled = Crawled::default();
    while !out.is_empty() {
        let checked = tokio::select! {
            biased;
            () = stop.cancelled() => break,
            checked = arrived.recv() => checked.unwrap(),
        };
        out.remove(&checked.url);
        if let Ok(fetched) = &checked.result {
            for link in fetched.links() {
                if let Some(found) = &link.url
                    && scope.follows(link)
                    && seen.insert(found.clone())
                {
                    out.insert(found.clone());
                    spawn(found.clone());
                }
            }
        }
        crawled.checked.push(checked);
    }
    crawled.not_checked = out.into_iter().collect();
    crawled
}

#[cfg(test)]
#[path = "../checks.rs"]
mod checks;
