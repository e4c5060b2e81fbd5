//! Wrong: the set seen looked up through a guard that is dropped at the end of its block, then
//! marked through a second guard: two locks, as with `seen.lock().unwrap()` written twice, and
//! between them two workers can both find an address new.
//! verify says: "The set is checked in one step and marked in another"
use std::collections::HashSet;
use std::sync::atomic::{AtomicUsize, Ordering::SeqCst};
use std::sync::{Mutex, mpsc};
use std::thread;

use course_site::{Checked, FetchError, Fetched, Scope};
use url::Url;

pub fn crawl<F>(start: Url, workers: usize, fetch: F) -> Vec<Checked>
where
    F: Fn(&Url) -> Result<Fetched, FetchError> + Send + Sync + 'static,
{
    let scope = Scope::new(&start, &[]);
    let (sender, receiver) = mpsc::channel::<Option<Url>>();
    let receiver = Mutex::new(receiver);
    let seen = Mutex::new(HashSet::from([start.clone()]));
    let pending = AtomicUsize::new(1);
    let checked = Mutex::new(Vec::new());
    sender.send(Some(start)).unwrap();
    let over = || (0..workers).for_each(|_| sender.send(None).unwrap());
    thread::scope(|s| {
        for _ in 0..workers {
            s.spawn(|| {
                loop {
                    let next = receiver.lock().unwrap().recv().unwrap();
                    let Some(url) = next else { break };
                    let result = fetch(&url);
                    for link in result.iter().flat_map(Fetched::links) {
                        let Some(found) = &link.url else { continue };
                        let new = {
                            let seen = seen.lock().unwrap();
                            scope.follows(link) && !seen.contains(found)
                        }; // the guard goes here
                        if new {
                            let mut seen = seen.lock().unwrap();
                            seen.insert(found.clone());
                            drop(seen);
                            pending.fetch_add(1, SeqCst);
                            sender.send(Some(found.clone())).unwrap();
                        }
                    }
                    checked.lock().unwrap().push(Checked {
                        url,
                        result,
                        attempts: 1,
                    });
                    if pending.fetch_sub(1, SeqCst) == 1 {
                        over();
                    }
                }
            });
        }
    });
    checked.into_inner().unwrap()
}

#[cfg(test)]
#[path = "../checks.rs"]
mod checks;
