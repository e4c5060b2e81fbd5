//! Right: no semaphore: a queue, and at most `k` tasks in the `JoinSet` at once, each known by its
//! task id; at the stop, `abort_all`, then every task is waited for (`join_next_with_id`) until
//! none is left, and the addresses of those cut join the queue's as not checked.

use std::collections::{HashMap, HashSet, VecDeque};
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
    let mut tasks = JoinSet::new();
    let mut in_flight = HashMap::new();
    let mut crawled = Crawled::default();
    let mut take = |crawled: &mut Crawled, queue: &mut VecDeque<Url>, checked: Checked| {
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
    };
    loop {
        while tasks.len() < k
            && let Some(url) = queue.pop_front()
        {
            let fetching = fetch(url.clone());
            let handle = tasks.spawn(async move {
                tokio::time::timeout(timeout, fetching)
                    .await
                    .unwrap_or(Err(FetchError::TimedOut(timeout)))
            });
            in_flight.insert(handle.id(), url);
        }
        if tasks.is_empty() {
            break;
        }
        tokio::select! {
            biased;
            () = stop.cancelled() => break,
            Some(done) = tasks.join_next_with_id() => {
                let (id, result) = done.expect("a fetch task panicked");
                let url = in_flight.remove(&id).expect("spawned here");
                take(&mut crawled, &mut queue, Checked { url, result, attempts: 1 });
            }
        }
    }
    tasks.abort_all();
    while let Some(done) = tasks.join_next_with_id().await {
        match done {
            // Ended before it could be cut: it was checked after all.
            Ok((id, result)) => {
                let url = in_flight.remove(&id).expect("spawned here");
                crawled.checked.push(Checked {
                    url,
                    result,
                    attempts: 1,
                });
            }
            Err(cut) => queue.push_back(in_flight.remove(&cut.id()).expect("spawned here")),
        }
    }
    crawled.not_checked = queue.into_iter().collect();
    crawled
}

#[cfg(test)]
#[path = "../checks.rs"]
mod checks;
