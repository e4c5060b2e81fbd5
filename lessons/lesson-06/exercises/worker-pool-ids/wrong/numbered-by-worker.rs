//! Wrong: each worker numbers its own results `w, w + workers, …`, as if the workers took the
//! jobs in turn.
//! verify says: "came back labelled with id"

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::mpsc;
use std::sync::{Arc, Mutex};
use std::thread;

pub fn run_pool<R, F>(workers: usize, jobs: Vec<F>) -> Vec<(usize, R)>
where
    R: Send + 'static,
    F: FnOnce() -> R + Send + 'static,
{
    let (queue, waiting_jobs) = mpsc::channel();
    for job in jobs {
        queue.send(job).unwrap();
    }
    drop(queue);
    let waiting_jobs = Arc::new(Mutex::new(waiting_jobs));
    let next_worker = Arc::new(AtomicUsize::new(0));
    let (results, arrived) = mpsc::channel();
    for _ in 0..workers {
        let waiting_jobs = Arc::clone(&waiting_jobs);
        let next_worker = Arc::clone(&next_worker);
        let results = results.clone();
        thread::spawn(move || {
            let mut id = next_worker.fetch_add(1, Ordering::SeqCst);
            loop {
                let job = waiting_jobs.lock().unwrap().recv();
                let Ok(job) = job else { break };
                results.send((id, job())).unwrap();
                id += workers;
            }
        });
    }
    drop(results);
    arrived.into_iter().collect()
}

#[cfg(test)]
#[path = "../checks.rs"]
mod checks;
