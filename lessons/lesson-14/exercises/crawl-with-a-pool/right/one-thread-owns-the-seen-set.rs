//! Right: the calling thread alone owns the set seen and counts the addresses sent to the pool
//! and not yet back; the workers only fetch. When that count is zero, the crawl is over: the
//! calling thread drops the queue's Sender, and the workers end.

use std::collections::HashSet;
use std::sync::mpsc;
use std::sync::{Arc, Mutex};
use std::thread;

use course_site::{Checked, FetchError, Fetched, Scope};
use url::Url;

pub fn crawl<F>(start: Url, workers: usize, fetch: F) -> Vec<Checked>
where
    F: Fn(&Url) -> Result<Fetched, FetchError> + Send + Sync + 'static,
{
    let scope = Scope::new(&start, &[]);
    let (queue, addresses) = mpsc::channel::<Url>();
    let addresses = Arc::new(Mutex::new(addresses));
    let (results, arrived) = mpsc::channel();
    let fetch = Arc::new(fetch);
    let pool: Vec<_> = (0..workers)
        .map(|_| {
            let (addresses, results, fetch) =
                (Arc::clone(&addresses), results.clone(), Arc::clone(&fetch));
            thread::spawn(move || {
                loop {
                    let next = addresses.lock().unwrap().recv();
                    let Ok(url) = next else { break };
                    let result = fetch(&url);
                    results.send((url, result)).unwrap();
                }
            })
        })
        .collect();
    drop(results);
    let mut seen = HashSet::from([start.clone()]);
    queue.send(start).unwrap();
    let mut out = 1;
    let mut checked = Vec::new();
    while out > 0 {
        let (url, result) = arrived.recv().unwrap();
        out -= 1;
        if let Ok(fetched) = &result {
            for link in fetched.links() {
                if let Some(found) = &link.url
                    && scope.follows(link)
                    && seen.insert(found.clone())
                {
                    queue.send(found.clone()).unwrap();
                    out += 1;
                }
            }
        }
        checked.push(Checked {
            url,
            result,
            attempts: 1,
        });
    }
    drop(queue);
    for worker in pool {
        worker.join().unwrap();
    }
    checked
}

#[cfg(test)]
#[path = "../checks.rs"]
mod checks;
