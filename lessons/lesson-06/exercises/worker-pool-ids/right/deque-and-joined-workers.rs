//! Right: the queue is a `Mutex<VecDeque<(id, job)>>`; the workers' handles are joined before
//! the results are read.

use std::collections::VecDeque;
use std::sync::mpsc;
use std::sync::{Arc, Mutex};
use std::thread;

pub fn run_pool<R, F>(workers: usize, jobs: Vec<F>) -> Vec<(usize, R)>
where
    R: Send + 'static,
    F: FnOnce() -> R + Send + 'static,
{
    let queue: VecDeque<(usize, F)> = jobs.into_iter().enumerate().collect();
    let queue = Arc::new(Mutex::new(queue));
    let (results, arrived) = mpsc::channel();
    let handles: Vec<_> = (0..workers)
        .map(|_| {
            let (queue, results) = (Arc::clone(&queue), results.clone());
            thread::spawn(move || {
                while let Some((id, job)) = {
                    let next = queue.lock().unwrap().pop_front();
                    next
                } {
                    results.send((id, job())).unwrap();
                }
            })
        })
        .collect();
    for handle in handles {
        handle.join().unwrap();
    }
    drop(results);
    arrived.into_iter().collect()
}

#[cfg(test)]
#[path = "../checks.rs"]
mod checks;
