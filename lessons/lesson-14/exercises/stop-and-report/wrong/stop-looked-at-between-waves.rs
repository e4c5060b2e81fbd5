//! Wrong: the crawl goes in waves of `k` fetches, and looks at the stop (or the budget) only
//! between two waves: a stop during a wave waits for the whole wave, the slowest fetch included.
//! verify says: "had not returned"
//! verify says: "when a whole wave of fetches has ended"

use std::collections::{HashSet, VecDeque};
use std::future::Future;
use std::time::Duration;

use course_site::{Checked, FetchError, Fetched, Scope};
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
    let mut seen = HashSet::from([start.clone()]);
    let mut queue = VecDeque::from([start]);
    let mut crawled = Crawled::default();
    while !queue.is_empty() && !stop.is_cancelled() {
        let mut wave = JoinSet::new();
        for url in queue.drain(..k.min(queue.len())) {
            let fetching = fetch(url.clone());
            wave.spawn(async move {
                let result = tokio::time::timeout(timeout, fetching)
                    .await
                    .unwrap_or(Err(FetchError::TimedOut(timeout)));
                Checked {
                    url,
                    result,
                    attempts: 1,
                }
            });
        }
        while let Some(done) = wave.join_next().await {
            let checked = done.unwrap();
            if let Ok(fetched) = &checked.result {
                for link in fetched.links() {
                    if let Some(found) = &link.url
                        && scope.follows(link)
                        && seen.insert(found.clone())
                    {
                        queue.push_back(found.clone());
                    }
                }
            }
            crawled.checked.push(checked);
        }
    }
    crawled.not_checked = queue.into_iter().collect();
    crawled
}

#[cfg(test)]
#[path = "../checks.rs"]
mod checks;
