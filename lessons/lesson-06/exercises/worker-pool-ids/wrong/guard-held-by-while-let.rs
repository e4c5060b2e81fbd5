//! Wrong: `while let Ok(..) = queue.lock().unwrap().recv()` keeps the lock's guard for the whole
//! loop body, so one job runs at a time.
//! verify says: "only one job ran at a time"
//! verify says: "while let"

use std::sync::mpsc;
use std::sync::{Arc, Mutex};
use std::thread;

pub fn run_pool<R, F>(workers: usize, jobs: Vec<F>) -> Vec<(usize, R)>
where
    R: Send + 'static,
    F: FnOnce() -> R + Send + 'static,
{
    let (queue, waiting_jobs) = mpsc::channel();
    for (id, job) in jobs.into_iter().enumerate() {
        queue.send((id, job)).unwrap();
    }
    drop(queue);
    let waiting_jobs = Arc::new(Mutex::new(waiting_jobs));
    let (results, arrived) = mpsc::channel();
    for _ in 0..workers {
        let waiting_jobs = Arc::clone(&waiting_jobs);
        let results = results.clone();
        thread::spawn(move || {
            while let Ok((id, job)) = waiting_jobs.lock().unwrap().recv() {
                results.send((id, job())).unwrap();
            }
        });
    }
    drop(results);
    arrived.into_iter().collect()
}

#[cfg(test)]
#[path = "../checks.rs"]
mod checks;
