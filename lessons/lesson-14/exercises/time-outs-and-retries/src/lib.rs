//! Exercise `time-outs-and-retries` (lesson 14).
//!
//! A crawl meets pages that never answer and servers that ask to be asked again later. Write
//! [`check`], which asks one address under a [`Policy`]: each request is given up on after
//! `policy.time_out`; an answer `503 Service Unavailable` is asked again, at most
//! `policy.retries` times, after a wait that starts at `policy.back_off` and doubles each time;
//! anything else (a page, a redirect, a `404`, a time-out, a broken connection) is the answer,
//! asked once. A redirect is not followed here: its target is one more address for the crawl,
//! whose seen set ends a redirect loop. [`crawl`] is given: at most [`PLACES`] requests at once.
//!
//! As shipped, `check` asks once and waits for the answer as long as it takes: the site's
//! stalled page holds its place for ever, and the crawl never ends.
//!
//! Check your work: `cargo xtask verify time-outs-and-retries`. Stuck? `cargo xtask hint
//! time-outs-and-retries`. The checks' site counts every request and notes when each arrived
//! and when its answer started; they draw the policy anew on every run.

use std::collections::HashSet;
use std::sync::Arc;
use std::time::Duration;

use course_site::fetch::asynchronous::fetch;
use course_site::{Checked, Scope};
use tokio::sync::Semaphore;
use tokio::task::JoinSet;
use url::Url;

/// How the crawl asks each address.
#[derive(Debug, Clone, Copy)]
pub struct Policy {
    /// How long one request may wait for its whole answer before it is given up on.
    pub time_out: Duration,
    /// How many times, at most, an address that answered `503` is asked again.
    pub retries: u32,
    /// The wait before the first retry; each next wait is twice the one before.
    pub back_off: Duration,
}

/// Asks `url` under `policy`: a time-out on each request, and retries with a growing wait on a
/// `503` only. `attempts` is how many requests were made.
pub async fn check(url: Url, policy: &Policy) -> Checked {
    // TODO: no time-out, and no retry. Put `tokio::time::timeout(policy.time_out, …)` around
    // the fetch (its `Err` is `FetchError::TimedOut(policy.time_out)`), and ask again after a
    // `503` (`fetched.is_busy()`), at most `policy.retries` times, sleeping `policy.back_off`
    // before the first retry and twice as long before each next one.
    let _ = policy;
    let result = fetch(&url).await;
    Checked {
        url,
        result,
        attempts: 1,
    }
}

/// How many requests the crawl has in flight at most.
pub const PLACES: usize = 4;

/// Crawls the site from `start`, every address once, at most [`PLACES`] at a time, each with
/// [`check`]; returns every address checked, in any order.
pub async fn crawl(start: Url, policy: Policy) -> Vec<Checked> {
    let scope = Scope::new(&start, &[]);
    let mut seen = HashSet::from([start.clone()]);
    let permits = Arc::new(Semaphore::new(PLACES));
    let mut in_flight = JoinSet::new();
    let spawn = |in_flight: &mut JoinSet<Checked>, url: Url| {
        let permits = Arc::clone(&permits);
        in_flight.spawn(async move {
            let _permit = permits.acquire().await.expect("never closed");
            check(url, &policy).await
        });
    };
    spawn(&mut in_flight, start);
    let mut checked = Vec::new();
    while let Some(done) = in_flight.join_next().await {
        let answer = done.expect("a check panicked");
        if let Ok(fetched) = &answer.result {
            for link in fetched.links() {
                if let Some(next) = link.url.clone().filter(|_| scope.follows(link))
                    && seen.insert(next.clone())
                {
                    spawn(&mut in_flight, next);
                }
            }
        }
        checked.push(answer);
    }
    checked
}

#[cfg(test)]
#[path = "../checks.rs"]
mod checks;
