//! Wrong: keeps its own Sender of the results, so the loop over them never ends.
//! verify says: "every Sender of the results is dropped"

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
            loop {
                let job = waiting_jobs.lock().unwrap().recv();
                let Ok((id, job)) = job else { break };
                results.send((id, job())).unwrap();
            }
        });
    }
    arrived.into_iter().collect()
}

#[cfg(test)]
#[path = "../checks.rs"]
mod checks;
