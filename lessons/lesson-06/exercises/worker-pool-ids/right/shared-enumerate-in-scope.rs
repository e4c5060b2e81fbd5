//! Right: scoped workers share one `Enumerate` iterator over the jobs behind a `Mutex`; the
//! iterator hands out each job with its index.

use std::sync::Mutex;
use std::sync::mpsc;
use std::thread;

pub fn run_pool<R, F>(workers: usize, jobs: Vec<F>) -> Vec<(usize, R)>
where
    R: Send + 'static,
    F: FnOnce() -> R + Send + 'static,
{
    let queue = Mutex::new(jobs.into_iter().enumerate());
    let (results, arrived) = mpsc::channel();
    thread::scope(|scope| {
        for _ in 0..workers {
            let (queue, results) = (&queue, results.clone());
            scope.spawn(move || {
                loop {
                    let next = queue.lock().unwrap().next();
                    let Some((id, job)) = next else { break };
                    results.send((id, job())).unwrap();
                }
            });
        }
    });
    drop(results);
    arrived.try_iter().collect()
}

#[cfg(test)]
#[path = "../checks.rs"]
mod checks;
