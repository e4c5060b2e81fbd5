//! Right: a task for every link, duplicates included (a few thousand small tasks); each looks
//! at the shared seen set and marks its address in one step, under one lock, before it waits
//! for a place: only the first task of an address asks it.

use std::collections::HashSet;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use course_site::fetch::asynchronous::fetch;
use course_site::{Checked, FetchError, Scope};
use tokio::sync::Semaphore;
use tokio::task::JoinSet;
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
    let seen = Arc::new(Mutex::new(HashSet::new()));
    let permits = Arc::new(Semaphore::new(k));
    let mut in_flight = JoinSet::new();
    let spawn = |in_flight: &mut JoinSet<Option<Checked>>, url: Url| {
        let (seen, permits) = (Arc::clone(&seen), Arc::clone(&permits));
        in_flight.spawn(async move {
            if !seen.lock().unwrap().insert(url.clone()) {
                return None;
            }
            let _permit = permits.acquire().await.expect("never closed");
            Some(check(url).await)
        });
    };
    spawn(&mut in_flight, start);
    let mut checked = Vec::new();
    while let Some(done) = in_flight.join_next().await {
        let Some(answer) = done.expect("a check panicked") else {
            continue;
        };
        for next in addresses_to_follow(&answer, &scope) {
            spawn(&mut in_flight, next);
        }
        checked.push(answer);
    }
    checked
}

#[cfg(test)]
#[path = "../checks.rs"]
mod checks;
