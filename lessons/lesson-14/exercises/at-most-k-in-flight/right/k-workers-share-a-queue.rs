//! Right: `k` worker tasks take addresses from one shared channel and send back what they
//! checked; the crawl keeps the seen set, sends each new address, counts those not yet
//! answered, and closes the channel when none is left, which ends the workers.

use std::collections::HashSet;
use std::sync::Arc;
use std::time::Duration;

use course_site::fetch::asynchronous::fetch;
use course_site::{Checked, FetchError, Scope};
use tokio::sync::{Mutex, mpsc};
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
    let (to_workers, addresses) = mpsc::unbounded_channel::<Url>();
    let addresses = Arc::new(Mutex::new(addresses));
    let (answers_tx, mut answers) = mpsc::unbounded_channel::<Checked>();
    let mut workers = JoinSet::new();
    for _ in 0..k {
        let (addresses, answers_tx) = (Arc::clone(&addresses), answers_tx.clone());
        workers.spawn(async move {
            loop {
                // The lock is held only while waiting for the next address, not while asking.
                let next = addresses.lock().await.recv().await;
                let Some(url) = next else { break };
                if answers_tx.send(check(url).await).is_err() {
                    break;
                }
            }
        });
    }
    drop(answers_tx);
    to_workers.send(start).expect("the workers are there");
    let mut unanswered = 1;
    let mut checked = Vec::new();
    while unanswered > 0 {
        let answer = answers.recv().await.expect("the workers are there");
        unanswered -= 1;
        for next in addresses_to_follow(&answer, &scope) {
            if seen.insert(next.clone()) {
                to_workers.send(next).expect("the workers are there");
                unanswered += 1;
            }
        }
        checked.push(answer);
    }
    // No address left: closing the channel ends every worker's loop.
    drop(to_workers);
    while workers.join_next().await.is_some() {}
    checked
}

#[cfg(test)]
#[path = "../checks.rs"]
mod checks;
