//! Wrong: the end is right, but a worker with nothing to do yields (`yield_now`) and looks again,
//! in a loop. On a core of its own it burns the core; on a core shared with another program it
//! gives most of its time away and burns little, but still takes its turn again and again.
//! verify says: "something polls"

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
                            None => {
                                // Someone is busy: let the others run, then look again.
                                drop(state);
                                thread::yield_now();
                                continue;
                            }
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
