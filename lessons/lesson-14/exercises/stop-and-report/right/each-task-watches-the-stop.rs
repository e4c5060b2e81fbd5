//! Right: each task waits for the stop beside its permit and its fetch, and ends at once when it
//! comes, giving its address back unchecked; the crawl waits for every task, which is quick,
//! since none outlives the stop by more than a poll.

use std::collections::HashSet;
use std::future::Future;
use std::sync::Arc;
use std::time::Duration;

use course_site::{Checked, FetchError, Fetched, Scope};
use tokio::sync::Semaphore;
use tokio::task::JoinSet;
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
    let mut seen = HashSet::from([start.clone()]);
    let mut tasks = JoinSet::new();
    let spawn = |tasks: &mut JoinSet<(Url, Option<_>)>, url: Url| {
        let (permits, stop, fetching) = (Arc::clone(&permits), stop.clone(), fetch(url.clone()));
        tasks.spawn(async move {
            let checking = async {
                let _permit = permits.acquire_owned().await.unwrap();
                tokio::time::timeout(timeout, fetching)
                    .await
                    .unwrap_or(Err(FetchError::TimedOut(timeout)))
            };
            tokio::select! {
                biased;
                () = stop.cancelled() => (url, None),
                result = checking => (url, Some(result)),
            }
        });
    };
    spawn(&mut tasks, start);
    let mut crawled = Crawled::default();
    while let Some(done) = tasks.join_next().await {
        let (url, result) = done.expect("a fetch task panicked");
        let Some(result) = result else {
            crawled.not_checked.push(url);
            continue;
        };
        if let Ok(fetched) = &result {
            for link in fetched.links() {
                if let Some(found) = &link.url
                    && scope.follows(link)
                    && seen.insert(found.clone())
                {
                    // After the stop the task ends at once and gives the address back.
                    spawn(&mut tasks, found.clone());
                }
            }
        }
        crawled.checked.push(Checked {
            url,
            result,
            attempts: 1,
        });
    }
    crawled
}

#[cfg(test)]
#[path = "../checks.rs"]
mod checks;
