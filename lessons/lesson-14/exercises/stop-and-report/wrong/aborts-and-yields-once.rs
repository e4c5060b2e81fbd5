//! Wrong: aborts every task, drops the set and yields once, hoping the tasks are gone by then.
//! verify says: "still running"

use std::collections::HashSet;
use std::future::Future;
use std::sync::Arc;
use std::time::Duration;

use course_site::{Checked, FetchError, Fetched, Scope};
use tokio::sync::Semaphore;
use tokio::task::JoinSet;
use tokio_util::sync::CancellationToken;
use url::Url;

/// What a crawl returns, stopped or not.
#[derive(Debug, Default)]
pub struct Crawled {
    /// The addresses whose fetch ended (a page, a status, a time-out…), each once.
    pub checked: Vec<Checked>,
    /// The addresses found but not checked: queued, or being fetched when the stop came. Empty
    /// when the crawl was not stopped.
    pub not_checked: Vec<Url>,
}

/// Crawls the site that `start` is the first page of, following the links
/// [`Scope::new(&start, &[])`](Scope::new) follows, with at most `k` (≥ 1) fetches at once, each
/// given up after `timeout` (then its result is `Err(FetchError::TimedOut(timeout))`). `fetch`
/// makes the future that fetches one address (in the lesson,
/// `course_site::fetch::asynchronous::fetch`).
///
/// When `stop` is cancelled, stops at once: starts no new fetch, cuts the fetches in flight, and
/// returns once no task of the crawl is left, with every address found either in `checked` or in
/// `not_checked`.
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
    let permits = Arc::new(Semaphore::new(k.max(1)));
    let mut seen = HashSet::from([start.clone()]);
    // Spawned and not back yet: waiting for a permit, or being fetched.
    let mut out = HashSet::from([start.clone()]);
    let mut tasks = JoinSet::new();
    spawn_check(&mut tasks, &permits, timeout, start.clone(), fetch(start));
    let mut crawled = Crawled::default();
    loop {
        let done = tokio::select! {
            biased; // the stop first: a fetch that ends at the same moment is not taken
            () = stop.cancelled() => break,
            done = tasks.join_next() => done,
        };
        let Some(done) = done else {
            break; // no task left: the crawl is over
        };
        let checked = done.expect("a fetch task panicked");
        out.remove(&checked.url);
        if let Ok(fetched) = &checked.result {
            for link in fetched.links() {
                if let Some(found) = &link.url
                    && scope.follows(link)
                    && seen.insert(found.clone())
                {
                    out.insert(found.clone());
                    spawn_check(
                        &mut tasks,
                        &permits,
                        timeout,
                        found.clone(),
                        fetch(found.clone()),
                    );
                }
            }
        }
        crawled.checked.push(checked);
    }
    // Cut every task left, and wait until each is gone: dropping the JoinSet would only ask.
    tasks.abort_all();
    drop(tasks);
    tokio::task::yield_now().await; // let the aborted tasks go
    crawled.not_checked = out.into_iter().collect();
    crawled
}

/// Spawns the check of `url`: a permit first, then `fetching`, given up after `timeout`.
fn spawn_check<Fut>(
    tasks: &mut JoinSet<Checked>,
    permits: &Arc<Semaphore>,
    timeout: Duration,
    url: Url,
    fetching: Fut,
) where
    Fut: Future<Output = Result<Fetched, FetchError>> + Send + 'static,
{
    let permits = Arc::clone(permits);
    tasks.spawn(async move {
        let _permit = permits
            .acquire_owned()
            .await
            .expect("the semaphore is never closed");
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

#[cfg(test)]
#[path = "../checks.rs"]
mod checks;
