//! Wrong: every worker holds a Sender of the queue, to queue the links it finds, so the channel
//! never closes: when the crawl is over, every worker waits in `recv` forever, and so does the
//! loop over the results.
//! verify says: "crawl had not returned"
//! verify says: "If each worker holds a Sender of the queue, the channel never closes"

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
                results
                    .send(Checked {
                        url,
                        result,
                        attempts: 1,
                    })
                    .unwrap();
            }
        });
    }
    drop((queue, results));
    // Ends when every Sender of the results is gone: when every worker has ended.
    arrived.into_iter().collect()
}

#[cfg(test)]
#[path = "../checks.rs"]
mod checks;
