//~ starter:
//~ //! Exercise `worker-pool-ids` (lesson 06).
//~ solution:
//! Exercise `worker-pool-ids` (lesson 06): reference solution.
//~ end
//!
//! A fixed number of worker threads take jobs from one shared queue, one at a time, and send their
//! results back over a channel. A result must say which job it belongs to: results arrive in the
//! order the jobs finish, which is not the order of the jobs.
//~ starter:
//~ //!
//~ //! Check your work: `cargo xtask verify worker-pool-ids`. Stuck? `cargo xtask hint worker-pool-ids`.
//~ //! The checks are in `checks.rs`, next to this folder's `src/`: read them, there is no need to change them.
//~ solution:
//~ end

use std::sync::mpsc;
use std::sync::{Arc, Mutex};
use std::thread;

/// Runs `jobs` on `workers` threads that take them from one shared queue. Returns every job's
/// result with its job's id (its index in `jobs`), in the order the results arrived.
pub fn run_pool<R, F>(workers: usize, jobs: Vec<F>) -> Vec<(usize, R)>
where
    R: Send + 'static,
    F: FnOnce() -> R + Send + 'static,
{
    let (queue, waiting_jobs) = mpsc::channel();
    //~ starter:
    //~ for job in jobs {
    //~     queue.send(job).unwrap();
    //~ solution:
    for (id, job) in jobs.into_iter().enumerate() {
        queue.send((id, job)).unwrap(); // the id travels with the job

        //~ end
    }
    drop(queue); // no more jobs: a worker's `recv` fails once the queue is empty
    // One Receiver, shared by every worker: the Mutex lets one worker at a time take a job.
    let waiting_jobs = Arc::new(Mutex::new(waiting_jobs));
    let (results, arrived) = mpsc::channel();
    for _ in 0..workers {
        let waiting_jobs = Arc::clone(&waiting_jobs);
        let results = results.clone();
        thread::spawn(move || {
            loop {
                // A statement of its own, so that the lock is released before the job runs.
                let job = waiting_jobs.lock().unwrap().recv();
                //~ starter:
                //~ let Ok(job) = job else { break };
                //~ results.send(job()).unwrap();
                //~ solution:
                let Ok((id, job)) = job else { break };
                results.send((id, job())).unwrap(); // and comes back with its result

                //~ end
            }
        });
    }
    drop(results); // the loop below ends when the last worker has ended

    //~ starter:
    //~ // TODO: numbering the results as they arrive gives a wrong id as soon as a later job
    //~ // finishes first. Send every job with its id, and let every result carry its job's id.
    //~ arrived.into_iter().enumerate().collect()
    //~ solution:
    arrived.into_iter().collect()
    //~ end
}

#[cfg(test)]
#[path = "../checks.rs"]
mod checks;
