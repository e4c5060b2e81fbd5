//! Right: the id is drawn from a counter while the worker still holds the queue's lock, so the
//! ids follow the order of the queue, which is the order of the jobs.

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
    // The queue and the number of the next job it hands out, under one lock.
    let waiting_jobs = Arc::new(Mutex::new((waiting_jobs, 0)));
    let (results, arrived) = mpsc::channel();
    for _ in 0..workers {
        let waiting_jobs = Arc::clone(&waiting_jobs);
        let results = results.clone();
        thread::spawn(move || {
            loop {
                let next = {
                    let mut queue = waiting_jobs.lock().unwrap();
                    let (jobs, next_id) = &mut *queue;
                    jobs.recv().map(|job| {
                        *next_id += 1;
                        (*next_id - 1, job)
                    })
                };
                let Ok((id, job)) = next else { break };
                results.send((id, job())).unwrap();
            }
        });
    }
    drop(results);
    arrived.iter().collect()
}

#[cfg(test)]
#[path = "../checks.rs"]
mod checks;
