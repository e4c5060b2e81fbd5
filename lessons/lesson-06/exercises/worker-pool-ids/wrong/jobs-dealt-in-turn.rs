//! Wrong: the jobs are dealt to the workers in turn, a queue each, so a job waits behind a slow
//! one while another worker is idle.
//! verify says: "a worker that is free must take the next job"

use std::sync::mpsc;
use std::thread;

pub fn run_pool<R, F>(workers: usize, jobs: Vec<F>) -> Vec<(usize, R)>
where
    R: Send + 'static,
    F: FnOnce() -> R + Send + 'static,
{
    let (results, arrived) = mpsc::channel();
    let mut queues = Vec::new();
    for _ in 0..workers {
        let (queue, waiting_jobs) = mpsc::channel::<(usize, F)>();
        let results = results.clone();
        thread::spawn(move || {
            for (id, job) in waiting_jobs {
                results.send((id, job())).unwrap();
            }
        });
        queues.push(queue);
    }
    drop(results);
    for (id, job) in jobs.into_iter().enumerate() {
        queues[id % workers].send((id, job)).unwrap();
    }
    drop(queues);
    arrived.into_iter().collect()
}

#[cfg(test)]
#[path = "../checks.rs"]
mod checks;
