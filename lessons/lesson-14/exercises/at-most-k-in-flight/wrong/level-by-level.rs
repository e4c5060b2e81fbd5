//! Wrong: level by level: a sliding window of k over one level's addresses, and the next level
//! only when the whole level is answered.
//! verify says: "went in waves"

use std::collections::{HashSet, VecDeque};
use std::time::Duration;

use course_site::fetch::asynchronous::fetch;
use course_site::{Checked, FetchError, Scope};
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
    let mut seen = HashSet::from([start.clone()]);
    let mut level = vec![start];
    let mut checked = Vec::new();
    while !level.is_empty() {
        let mut waiting: VecDeque<Url> = level.drain(..).collect();
        let mut in_flight = JoinSet::new();
        loop {
            while in_flight.len() < k
                && let Some(url) = waiting.pop_front()
            {
                in_flight.spawn(check(url));
            }
            let Some(done) = in_flight.join_next().await else {
                break;
            };
            let answer = done.expect("a check panicked");
            for next in addresses_to_follow(&answer, &scope) {
                if seen.insert(next.clone()) {
                    level.push(next);
                }
            }
            checked.push(answer);
        }
    }
    checked
}

#[cfg(test)]
#[path = "../checks.rs"]
mod checks;
