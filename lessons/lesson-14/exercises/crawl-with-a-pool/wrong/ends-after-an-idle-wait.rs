//! Wrong: the crawl is taken to be over when no page has been checked for half a second
//! (`recv_timeout`): a page that takes longer than that ends it too early.
//! verify says: "it ended before the crawl was over"
//! verify says: "a wait with a time-out"

use std::collections::HashSet;
use std::sync::mpsc;
use std::sync::{Arc, Mutex};
use std::thread;
use std::time::Duration;

use course_site::{Checked, FetchError, Fetched, Scope};
use url::Url;

pub fn crawl<F>(start: Url, workers: usize, fetch: F) -> Vec<Checked>
where
    F: Fn(&Url) -> Result<Fetched, FetchError> + Send + Sync + 'static,
{
    let scope = Scope::new(&start, &[]);
    let (queue, addresses) = mpsc::channel();
    queue.send(start.clone()).unwrap();
    let seen = Arc::new(Mutex::new(HashSet::from([start])));
    let addresses = Arc::new(Mutex::new(addresses));
    let (results, arrived) = mpsc::channel();
    let fetch = Arc::new(fetch);
    for _ in 0..workers {
        let (seen, addresses) = (Arc::clone(&seen), Arc::clone(&addresses));
        let (queue, results) = (queue.clone(), results.clone());
        let (fetch, scope) = (Arc::clone(&fetch), scope.clone());
        thread::spawn(move || {
            loop {
                let next = addresses.lock().unwrap().recv();
                let Ok(url) = next else { break };
                let result = fetch(&url);
                if let Ok(fetched) = &result {
                    for link in fetched.links() {
                        if let Some(found) = &link.url
                            && scope.follows(link)
                            && seen.lock().unwrap().insert(found.clone())
                        {
                            queue.send(found.clone()).unwrap();
                        }
                    }
                }
                if results
                    .send(Checked {
                        url,
                        result,
                        attempts: 1,
                    })
                    .is_err()
                {
                    break;
                }
            }
        });
    }
    let mut checked = Vec::new();
    // Half a second without a new page: surely the crawl is over.
    while let Ok(one) = arrived.recv_timeout(Duration::from_millis(500)) {
        checked.push(one);
    }
    checked
}

#[cfg(test)]
#[path = "../checks.rs"]
mod checks;
