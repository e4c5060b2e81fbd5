//! Wrong: the end is right (the queue empty and no worker busy), but a worker with nothing to do
//! tries the queue again at once, in a loop, burning a core while it waits.
//! verify says: "something polls"
//! verify says: "cores busy"

use std::collections::{HashSet, VecDeque};
use std::sync::{Arc, Mutex};
use std::thread;

use course_site::{Checked, FetchError, Fetched, Scope};
use url::Url;

struct Shared {
    seen: HashSet<Url>,
    queue: VecDeque<Url>,
    busy: usize,
    checked: Vec<Checked>,
}

pub fn crawl<F>(start: Url, workers: usize, fetch: F) -> Vec<Checked>
where
    F: Fn(&Url) -> Result<Fetched, FetchError> + Send + Sync + 'static,
{
    let scope = Scope::new(&start, &[]);
    let shared = Arc::new(Mutex::new(Shared {
        seen: HashSet::from([start.clone()]),
        queue: VecDeque::from([start]),
        busy: 0,
        checked: Vec::new(),
    }));
    let fetch = Arc::new(fetch);
    let pool: Vec<_> = (0..workers)
        .map(|_| {
            let (shared, fetch, scope) = (Arc::clone(&shared), Arc::clone(&fetch), scope.clone());
            thread::spawn(move || {
                loop {
                    let url = {
                        let mut state = shared.lock().unwrap();
                        match state.queue.pop_front() {
                            Some(url) => {
                                state.busy += 1;
                                url
                            }
                            None if state.busy == 0 => break,
                            None => continue, // someone is busy: look again
                        }
                    };
                    let result = fetch(&url);
                    let mut state = shared.lock().unwrap();
                    if let Ok(fetched) = &result {
                        for link in fetched.links() {
                            if let Some(found) = &link.url
                                && scope.follows(link)
                                && state.seen.insert(found.clone())
                            {
                                state.queue.push_back(found.clone());
                            }
                        }
                    }
                    state.checked.push(Checked {
                        url,
                        result,
                        attempts: 1,
                    });
                    state.busy -= 1;
                }
            })
        })
        .collect();
    for worker in pool {
        worker.join().unwrap();
    }
    let mut state = shared.lock().unwrap();
    std::mem::take(&mut state.checked)
}

#[cfg(test)]
#[path = "../checks.rs"]
mod checks;
