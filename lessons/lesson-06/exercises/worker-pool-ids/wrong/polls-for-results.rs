//! Wrong: the caller polls the results with `try_recv` in a loop, burning a core while the jobs
//! run.
//! verify says: "something polls"
//! verify says: "cores busy"

use std::sync::mpsc::{self, TryRecvError};
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
    drop(results);
    let mut collected = Vec::new();
    loop {
        match arrived.try_recv() {
            Ok(result) => collected.push(result),
            Err(TryRecvError::Empty) => thread::yield_now(),
            Err(TryRecvError::Disconnected) => return collected,
        }
    }
}

#[cfg(test)]
#[path = "../checks.rs"]
mod checks;
