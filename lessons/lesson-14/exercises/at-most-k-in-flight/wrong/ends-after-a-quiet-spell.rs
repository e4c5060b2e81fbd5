//! Wrong: the tasks send their answers on a channel, and the crawl ends when no answer has come
//! for twice `check`'s time-out: every address is asked, k at a time, and no task is left, but
//! the crawl returns seconds after its last answer. It is over when no task is left (a
//! `JoinSet`'s `join_next` gives `None`), not after a quiet spell.
//! verify says: "after the last answer"

use std::collections::HashSet;
use std::sync::Arc;
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
    let mut seen = HashSet::from([start.clone()]);
    let permits = Arc::new(Semaphore::new(k));
    let (answers, mut answered) = tokio::sync::mpsc::unbounded_channel();
    let spawn = |url: Url| {
        let (permits, answers) = (Arc::clone(&permits), answers.clone());
        tokio::spawn(async move {
            let _permit = permits.acquire().await.expect("never closed");
            let _ = answers.send(check(url).await);
        });
    };
    spawn(start);
    let mut checked = Vec::new();
    // The crawl is over when no answer has come for a while: longer than `check`'s time-out,
    // so that the stalled page cannot end it too early.
    while let Ok(Some(answer)) = tokio::time::timeout(2 * TIME_OUT, answered.recv()).await {
        for next in addresses_to_follow(&answer, &scope) {
            if seen.insert(next.clone()) {
                spawn(next);
            }
        }
        checked.push(answer);
    }
    checked
}

#[cfg(test)]
#[path = "../checks.rs"]
mod checks;
