//! Exercise `at-most-k-in-flight` (lesson 14).
//!
//! Crawl the whole site from `start` with at most `k` requests in flight at any moment: as soon
//! as any answer comes, the next address waiting goes out, so that `k` are in flight whenever
//! that many addresses are known and not yet asked. Every address is asked once, whichever
//! pages link to it; the crawl returns when every address it found has been checked, and
//! leaves nothing running behind it.
//!
//! [`check`] asks one address (with a time-out, so the site's stalled page holds a place for
//! [`TIME_OUT`] only) and [`addresses_to_follow`] gives the addresses an answer links to; what
//! is left to you is the concurrency. As shipped, the crawl asks one address at a time.
//!
//! Check your work: `cargo xtask verify at-most-k-in-flight`. Stuck? `cargo xtask hint
//! at-most-k-in-flight`. The checks' site counts every request it receives, the most in flight
//! at once, and when each one waited; they draw `k` and the number of pages anew on every run.

use std::collections::{HashSet, VecDeque};
use std::time::Duration;

use course_site::fetch::asynchronous::fetch;
use course_site::{Checked, FetchError, Scope};
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
    // TODO: one address at a time, and `k` is never looked at. Give every address its own
    // task, and let at most `k` of them ask at once (`tokio::sync::Semaphore`, a
    // `tokio::task::JoinSet` to collect them).
    let _ = k;
    let mut waiting = VecDeque::from([start]);
    let mut checked = Vec::new();
    while let Some(url) = waiting.pop_front() {
        let answer = check(url).await;
        for next in addresses_to_follow(&answer, &scope) {
            if seen.insert(next.clone()) {
                waiting.push_back(next);
            }
        }
        checked.push(answer);
    }
    checked
}

#[cfg(test)]
#[path = "../checks.rs"]
mod checks;
