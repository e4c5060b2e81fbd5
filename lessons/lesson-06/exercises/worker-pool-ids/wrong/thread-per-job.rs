//! Wrong: a thread for every job instead of a pool of `workers` threads.
//! verify says: "the jobs ran on"
//! verify says: "a pool runs every job on one of its"

use std::sync::mpsc;
use std::thread;

pub fn run_pool<R, F>(_workers: usize, jobs: Vec<F>) -> Vec<(usize, R)>
where
    R: Send + 'static,
    F: FnOnce() -> R + Send + 'static,
{
    let (results, arrived) = mpsc::channel();
    for (id, job) in jobs.into_iter().enumerate() {
        let results = results.clone();
        thread::spawn(move || results.send((id, job())).unwrap());
    }
    drop(results);
    arrived.into_iter().collect()
}

#[cfg(test)]
#[path = "../checks.rs"]
mod checks;
