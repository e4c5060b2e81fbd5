//! Wrong: each page's task spawns the tasks of the addresses it links to with `tokio::spawn`
//! and drops their handles; the crawl waits only for the first page's task, and returns while
//! the others still run.
//! verify says: "returned before the crawl ended"

use std::collections::HashSet;
use std::future::Future;
use std::pin::Pin;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use course_site::fetch::asynchronous::fetch;
use course_site::{Checked, FetchError, Scope};
use tokio::sync::Semaphore;
use url::Url;

/// How long [`check`] waits for an answer before it gives up on an address.
pub const TIME_OUT: Duration = Duration::from_secs(1);

/// Asks `url` once; gives up after [`TIME_OUT`].
pub async fn check(url: Url) -> Checked {
    let result = match tokio::time::timeout(TIME_OUT, fetch(&url)).await {
        Ok(result) => result,
        Err(_) => Err(FetchError::TimedOut(TIME_OUT)),
    };
    Checked {
        url,
        result,
        attempts: 1,
    }
}

/// The addresses that the answer in `checked` links to and that a crawl in `scope` follows
/// (duplicates included: the crawl asks each address once).
pub fn addresses_to_follow(checked: &Checked, scope: &Scope) -> Vec<Url> {
    let Ok(fetched) = &checked.result else {
        return Vec::new();
    };
    fetched
        .links()
        .iter()
        .filter(|link| scope.follows(link))
        .filter_map(|link| link.url.clone())
        .collect()
}

/// Crawls the site from `start` with at most `k` (≥ 1) requests in flight, the next as soon as
/// any answer comes; returns every address checked, once each, in any order.
pub async fn crawl(start: Url, k: usize) -> Vec<Checked> {
    let scope = Scope::new(&start, &[]);
    let shared = Arc::new(Shared {
        scope,
        seen: Mutex::new(HashSet::from([start.clone()])),
        permits: Semaphore::new(k),
        checked: Mutex::new(Vec::new()),
    });
    let first = tokio::spawn(visit(Arc::clone(&shared), start));
    first.await.expect("the first page's task panicked");
    let checked = shared.checked.lock().unwrap().clone();
    checked
}

/// What the crawl's tasks share.
struct Shared {
    scope: Scope,
    seen: Mutex<HashSet<Url>>,
    permits: Semaphore,
    checked: Mutex<Vec<Checked>>,
}

/// (Boxed: a task that spawns itself needs a future of a known size.) Checks `url`, and spawns a task for each new address it links to.
fn visit(shared: Arc<Shared>, url: Url) -> Pin<Box<dyn Future<Output = ()> + Send>> {
    Box::pin(async move {
        let answer = {
            let _permit = shared.permits.acquire().await.expect("never closed");
            check(url).await
        };
        for next in addresses_to_follow(&answer, &shared.scope) {
            if shared.seen.lock().unwrap().insert(next.clone()) {
                tokio::spawn(visit(Arc::clone(&shared), next));
            }
        }
        shared.checked.lock().unwrap().push(answer);
    })
}

#[cfg(test)]
#[path = "../checks.rs"]
mod checks;
