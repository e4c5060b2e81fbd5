//! Right: scoped threads share one `Mutex` (a `VecDeque` queue, the set seen, a count of busy
//! workers) and a `Condvar`; a worker with nothing to take waits on it, and the last one to find
//! the queue empty and nobody busy wakes the others to end.

use std::collections::{HashSet, VecDeque};
use std::sync::{Condvar, Mutex};
use std::thread;

use course_site::{Checked, FetchError, Fetched, Scope};
use url::Url;

struct State {
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
    let state = Mutex::new(State {
        seen: HashSet::from([start.clone()]),
        queue: VecDeque::from([start]),
        busy: 0,
        checked: Vec::new(),
    });
    let changed = Condvar::new();
    thread::scope(|threads| {
        for _ in 0..workers {
            threads.spawn(|| {
                loop {
                    let url = {
                        let mut now = changed
                            .wait_while(state.lock().unwrap(), |s| s.queue.is_empty() && s.busy > 0)
                            .unwrap();
                        let Some(url) = now.queue.pop_front() else {
                            break; // empty, and nobody busy: over
                        };
                        now.busy += 1;
                        url
                    };
                    let result = fetch(&url);
                    let mut now = state.lock().unwrap();
                    if let Ok(fetched) = &result {
                        for link in fetched.links() {
                            if let Some(found) = &link.url
                                && scope.follows(link)
                                && now.seen.insert(found.clone())
                            {
                                now.queue.push_back(found.clone());
                            }
                        }
                    }
                    now.checked.push(Checked {
                        url,
                        result,
                        attempts: 1,
                    });
                    now.busy -= 1;
                    changed.notify_all();
                }
            });
        }
    });
    state.into_inner().unwrap().checked
}

#[cfg(test)]
#[path = "../checks.rs"]
mod checks;
