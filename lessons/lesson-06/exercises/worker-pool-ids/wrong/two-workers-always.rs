//! Wrong: two workers whatever `workers` says.
//! verify says: "jobs to run at once, and it never happened"

use std::sync::mpsc;
use std::sync::{Arc, Mutex};
use std::thread;

pub fn run_pool<R, F>(_workers: usize, jobs: Vec<F>) -> Vec<(usize, R)>
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
    for _ in 0..2 {
        let waiting_jobs = Arc::clone(&waiting_jobs);
        let results = results.clone();
        thread::spawn(move || {
            loop {
                let job = waiting_jobs.lock().unwrap().recv();
                let Ok((id, job)) = job else { break };
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
