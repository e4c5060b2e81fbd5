//! Wrong: an address is checked against the set of those seen when a worker takes it, and marked
//! seen only after its fetch: two workers that take two copies of one address both find it new.
//! verify says: "fetched more than once"
//! verify says: "checked against the set of those seen in one step and marked in another"

use std::collections::HashSet;
use std::sync::mpsc::{self, Sender};
use std::sync::{Arc, Mutex};
use std::thread;

use course_site::{Checked, FetchError, Fetched, Scope};
use url::Url;

struct Shared {
    seen: HashSet<Url>,
    pending: usize,
    queue: Option<Sender<Url>>,
    checked: Vec<Checked>,
}

pub fn crawl<F>(start: Url, workers: usize, fetch: F) -> Vec<Checked>
where
    F: Fn(&Url) -> Result<Fetched, FetchError> + Send + Sync + 'static,
{
    let scope = Scope::new(&start, &[]);
    let (queue, addresses) = mpsc::channel();
    queue.send(start).unwrap();
    let shared = Arc::new(Mutex::new(Shared {
        seen: HashSet::new(),
        pending: 1,
        queue: Some(queue),
        checked: Vec::new(),
    }));
    let addresses = Arc::new(Mutex::new(addresses));
    let fetch = Arc::new(fetch);
    let pool: Vec<_> = (0..workers)
        .map(|_| {
            let (shared, addresses) = (Arc::clone(&shared), Arc::clone(&addresses));
            let (fetch, scope) = (Arc::clone(&fetch), scope.clone());
            thread::spawn(move || {
                loop {
                    let next = addresses.lock().unwrap().recv();
                    let Ok(url) = next else { break };
                    let already = shared.lock().unwrap().seen.contains(&url);
                    if !already {
                        let result = fetch(&url);
                        let mut shared = shared.lock().unwrap();
                        shared.seen.insert(url.clone());
                        if let Ok(fetched) = &result {
                            for link in fetched.links() {
                                if let Some(found) = &link.url
                                    && scope.follows(link)
                                    && !shared.seen.contains(found)
                                {
                                    shared.pending += 1;
                                    shared.queue.as_ref().unwrap().send(found.clone()).unwrap();
                                }
                            }
                        }
                        shared.checked.push(Checked {
                            url,
                            result,
                            attempts: 1,
                        });
                    }
                    let mut shared = shared.lock().unwrap();
                    shared.pending -= 1;
                    if shared.pending == 0 {
                        shared.queue = None;
                    }
                }
            })
        })
        .collect();
    for worker in pool {
        worker.join().unwrap();
    }
    let mut shared = shared.lock().unwrap();
    std::mem::take(&mut shared.checked)
}

#[cfg(test)]
#[path = "../checks.rs"]
mod checks;
