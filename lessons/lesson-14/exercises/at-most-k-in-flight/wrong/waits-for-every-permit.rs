//! Wrong: the crawl decides it is over when all `k` permits are back (`acquire_many(k)`), as if
//! no permit out meant no work left; but a page's task gives its permit back before the tasks it
//! spawned have taken theirs, and the crawl returns while they wait.
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
    tokio::spawn(visit(Arc::clone(&shared), start));
    tokio::task::yield_now().await;
    let all = shared
        .permits
        .acquire_many(u32::try_from(k).expect("k fits a u32"))
        .await
        .expect("never closed");
    drop(all);
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

/// (Boxed: a task that spawns itself needs a future of a known size.) Checks `url` holding a permit, and spawns a task for each new address it links to.
fn visit(shared: Arc<Shared>, url: Url) -> Pin<Box<dyn Future<Output = ()> + Send>> {
    Box::pin(async move {
        let _permit = shared.permits.acquire().await.expect("never closed");
        let answer = check(url).await;
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
