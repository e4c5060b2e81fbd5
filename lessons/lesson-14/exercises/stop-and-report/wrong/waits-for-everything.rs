//! Wrong: at the stop, no new fetch is spawned, but the crawl waits for every task in flight to
//! end before it returns: a page that never answers holds it until its time-out.
//! verify says: "had not returned"
//! verify says: "after the stop"

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
    let mut crawled = Crawled::default();
    let spawn = |tasks: &mut JoinSet<Checked>, url: Url| {
        let (permits, fetching) = (Arc::clone(&permits), fetch(url.clone()));
        tasks.spawn(async move {
            let _permit = permits.acquire_owned().await.unwrap();
            let result = tokio::time::timeout(timeout, fetching)
                .await
                .unwrap_or(Err(FetchError::TimedOut(timeout)));
            Checked {
                url,
                result,
                attempts: 1,
            }
        });
    };
    if !stop.is_cancelled() {
        spawn(&mut tasks, start.clone());
    } else {
        crawled.not_checked.push(start);
    }
    // Every task spawned is waited for; after the stop, none is spawned.
    while let Some(done) = tasks.join_next().await {
        let checked = done.unwrap();
        if let Ok(fetched) = &checked.result {
            for link in fetched.links() {
                if let Some(found) = &link.url
                    && scope.follows(link)
                    && seen.insert(found.clone())
                {
                    if stop.is_cancelled() {
                        crawled.not_checked.push(found.clone());
                    } else {
                        spawn(&mut tasks, found.clone());
                    }
                }
            }
        }
        crawled.checked.push(checked);
    }
    crawled
}

#[cfg(test)]
#[path = "../checks.rs"]
mod checks;
