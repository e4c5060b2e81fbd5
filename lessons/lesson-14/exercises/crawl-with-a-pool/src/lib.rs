//! Exercise `crawl-with-a-pool` (lesson 14).
//!
//! Check every address of a site, starting from its first page: fetch a page, queue the links
//! it has to the same site that were never seen before, and so on until nothing is left. With a
//! pool: `workers` threads, started once, take the addresses from one queue, so that `workers`
//! pages are fetched at once whenever there are that many to fetch. Each address is fetched
//! exactly once, however many pages link to it, and the crawl ends as soon as it is over: when
//! the queue is empty AND no worker is busy (a busy worker may still find new links).
//!
//! As shipped, one page at a time, on the calling thread.
//!
//! Check your work: `cargo xtask verify crawl-with-a-pool`. Stuck? `cargo xtask hint crawl-with-a-pool`.
//! The checks are in `checks.rs`, next to this folder's `src/`: read them, there is no need to change them.

use std::collections::{HashSet, VecDeque};

use course_site::{Checked, FetchError, Fetched, Scope};
use url::Url;

/// Checks every address of the site that `start` is the first page of, with `workers` (≥ 1)
/// threads that each fetch one address at a time with `fetch`, and returns what each fetch
/// brought back, one [`Checked`] per address (`attempts: 1`: no retries here), in any order.
///
/// The links followed are those [`Scope::new(&start, &[])`](Scope::new) follows (the same
/// host); a redirect's target is one more link (`Fetched::links` gives it).
pub fn crawl<F>(start: Url, workers: usize, fetch: F) -> Vec<Checked>
where
    F: Fn(&Url) -> Result<Fetched, FetchError> + Send + Sync + 'static,
{
    let scope = Scope::new(&start, &[]);
    // TODO: one page at a time on this thread, and `workers` is never looked at. Start a
    // pool of `workers` threads that take the addresses from one queue (a channel), share
    // the set of addresses seen, and end when the queue is empty and no worker is busy.
    let _ = workers;
    let mut seen = HashSet::from([start.clone()]);
    let mut queue = VecDeque::from([start]);
    let mut checked = Vec::new();
    while let Some(url) = queue.pop_front() {
        let result = fetch(&url);
        if let Ok(fetched) = &result {
            for link in fetched.links() {
                if let Some(found) = &link.url
                    && scope.follows(link)
                    && seen.insert(found.clone())
                {
                    queue.push_back(found.clone());
                }
            }
        }
        checked.push(Checked {
            url,
            result,
            attempts: 1,
        });
    }
    checked
}

#[cfg(test)]
#[path = "../checks.rs"]
mod checks;
