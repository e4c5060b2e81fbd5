//~ starter:
//~ //! Exercise `crawl-with-a-pool` (lesson 14).
//~ solution:
//! Exercise `crawl-with-a-pool` (lesson 14): reference solution.
//~ end
//!
//! Check every address of a site, starting from its first page: fetch a page, queue the links
//! it has to the same site that were never seen before, and so on until nothing is left. With a
//! pool: `workers` threads, started once, take the addresses from one queue, so that `workers`
//! pages are fetched at once whenever there are that many to fetch. Each address is fetched
//! exactly once, however many pages link to it, and the crawl ends as soon as it is over: when
//! the queue is empty AND no worker is busy (a busy worker may still find new links).
//~ starter:
//~ //!
//~ //! As shipped, one page at a time, on the calling thread.
//~ //!
//~ //! Check your work: `cargo xtask verify crawl-with-a-pool`. Stuck? `cargo xtask hint crawl-with-a-pool`.
//~ //! The checks are in `checks.rs`, next to this folder's `src/`: read them, there is no need to change them.
//~ solution:
//~ end

//~ starter:
//~ use std::collections::{HashSet, VecDeque};
//~ solution:
use std::collections::HashSet;
use std::sync::mpsc::{self, Sender};
use std::sync::{Arc, Mutex};
use std::thread;
//~ end

use course_site::{Checked, FetchError, Fetched, Scope};
use url::Url;

//~ starter:
//~ solution:
/// What the workers share, behind one lock.
struct Shared {
    /// Every address ever queued: a link to one of them is not queued again.
    seen: HashSet<Url>,
    /// Addresses queued or being fetched. Zero means the queue is empty and no worker is busy.
    pending: usize,
    /// The queue's one `Sender`, dropped when `pending` reaches zero: the channel closes, and
    /// every worker's `recv` fails.
    queue: Option<Sender<Url>>,
    checked: Vec<Checked>,
}

//~ end
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
    //~ starter:
    //~ // TODO: one page at a time on this thread, and `workers` is never looked at. Start a
    //~ // pool of `workers` threads that take the addresses from one queue (a channel), share
    //~ // the set of addresses seen, and end when the queue is empty and no worker is busy.
    //~ let _ = workers;
    //~ let mut seen = HashSet::from([start.clone()]);
    //~ let mut queue = VecDeque::from([start]);
    //~ let mut checked = Vec::new();
    //~ while let Some(url) = queue.pop_front() {
    //~     let result = fetch(&url);
    //~     if let Ok(fetched) = &result {
    //~         for link in fetched.links() {
    //~             if let Some(found) = &link.url
    //~                 && scope.follows(link)
    //~                 && seen.insert(found.clone())
    //~             {
    //~                 queue.push_back(found.clone());
    //~             }
    //~         }
    //~     }
    //~     checked.push(Checked {
    //~         url,
    //~         result,
    //~         attempts: 1,
    //~     });
    //~ }
    //~ checked
    //~ solution:
    let (queue, addresses) = mpsc::channel();
    queue.send(start.clone()).expect("the Receiver is here");
    let shared = Arc::new(Mutex::new(Shared {
        seen: HashSet::from([start]),
        pending: 1,
        queue: Some(queue),
        checked: Vec::new(),
    }));
    // One Receiver for every worker: the Mutex lets one at a time take an address.
    let addresses = Arc::new(Mutex::new(addresses));
    let fetch = Arc::new(fetch);
    let pool: Vec<_> = (0..workers.max(1))
        .map(|_| {
            let (shared, addresses) = (Arc::clone(&shared), Arc::clone(&addresses));
            let (fetch, scope) = (Arc::clone(&fetch), scope.clone());
            thread::spawn(move || {
                loop {
                    // A statement of its own: the lock is released before the fetch.
                    let next = addresses.lock().unwrap().recv();
                    let Ok(url) = next else { break }; // the Sender is gone: the crawl is over
                    let result = fetch(&url);
                    let mut shared = shared.lock().unwrap();
                    let Shared {
                        seen,
                        pending,
                        queue,
                        checked,
                    } = &mut *shared;
                    if let Ok(fetched) = &result {
                        for link in fetched.links() {
                            // Checked and marked in one step, under the lock: `insert` is false
                            // for an address seen before.
                            if let (Some(found), Some(queue)) = (&link.url, queue.as_ref())
                                && scope.follows(link)
                                && seen.insert(found.clone())
                            {
                                *pending += 1;
                                queue
                                    .send(found.clone())
                                    .expect("a worker holds the Receiver");
                            }
                        }
                    }
                    checked.push(Checked {
                        url,
                        result,
                        attempts: 1,
                    });
                    *pending -= 1; // this page is done, its links queued
                    if *pending == 0 {
                        *queue = None; // nothing queued, nobody busy: close the channel
                    }
                }
            })
        })
        .collect();
    for worker in pool {
        worker.join().expect("a worker panicked");
    }
    let mut shared = shared.lock().unwrap();
    std::mem::take(&mut shared.checked)
    //~ end
}

#[cfg(test)]
#[path = "../checks.rs"]
mod checks;
