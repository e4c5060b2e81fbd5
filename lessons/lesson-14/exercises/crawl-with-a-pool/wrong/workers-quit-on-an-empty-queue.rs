//! Wrong: a worker quits when it finds the queue empty (`try_recv` fails), though another worker
//! still fetches a page whose links are not queued yet: one worker is left to crawl alone.
//! verify says: "must not quit while another worker still fetches a page"

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
    let (queue, addresses) = mpsc::channel();
    queue.send(start.clone()).unwrap();
    let seen = Arc::new(Mutex::new(HashSet::from([start])));
    let addresses = Arc::new(Mutex::new(addresses));
    let checked = Arc::new(Mutex::new(Vec::new()));
    let fetch = Arc::new(fetch);
    let pool: Vec<_> = (0..workers)
        .map(|_| {
            let (seen, addresses, checked) = (
                Arc::clone(&seen),
                Arc::clone(&addresses),
                Arc::clone(&checked),
            );
            let (queue, fetch, scope) = (queue.clone(), Arc::clone(&fetch), scope.clone());
            thread::spawn(move || {
                loop {
                    let next = addresses.lock().unwrap().try_recv();
                    let Ok(url) = next else { break }; // the queue is empty: done
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
                    checked.lock().unwrap().push(Checked {
                        url,
                        result,
                        attempts: 1,
                    });
                }
            })
        })
        .collect();
    for worker in pool {
        worker.join().unwrap();
    }
    std::mem::take(&mut *checked.lock().unwrap())
}

#[cfg(test)]
#[path = "../checks.rs"]
mod checks;
