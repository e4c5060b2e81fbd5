//! Wrong: the first request has its time-out, but the retries after a 503 have none: a retry that
//! never answers holds `check` for ever. The site's busy page always answers its retries, so only
//! a server of the checks' own shows it.
//! verify says: "retries included"

use std::collections::HashSet;
use std::sync::Arc;
use std::time::Duration;

use course_site::fetch::asynchronous::fetch;
use course_site::{Checked, FetchError, Scope};
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
    let mut result = match tokio::time::timeout(policy.time_out, fetch(&url)).await {
        Ok(result) => result,
        Err(_) => Err(FetchError::TimedOut(policy.time_out)),
    };
    let mut attempts = 1;
    let mut wait = policy.back_off;
    while attempts <= policy.retries && matches!(&result, Ok(fetched) if fetched.is_busy()) {
        tokio::time::sleep(wait).await;
        wait *= 2;
        attempts += 1;
        // The server answered a moment ago: the retry is asked without a time-out.
        result = fetch(&url).await;
    }
    Checked {
        url,
        result,
        attempts,
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
