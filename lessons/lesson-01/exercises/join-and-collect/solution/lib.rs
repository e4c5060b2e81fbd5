//! Exercise `join-and-collect` (lesson 01): reference solution.
//!
//! Run every job on a thread of its own, all of them at the same time, and hand back what each job
//! returned, in the order the jobs were given.

use std::thread;

// ANCHOR: solution
/// Runs each job on a thread of its own, all at the same time, and returns their results in the
/// order of `jobs`.
pub fn run_all_on_threads<T, F>(jobs: Vec<F>) -> Vec<T>
where
    T: Send + 'static,
    F: FnOnce() -> T + Send + 'static,
{
    // Start them all first: joining inside this loop would run the jobs one at a time.
    let handles: Vec<_> = jobs.into_iter().map(thread::spawn).collect();
    // Joining in the order of `handles` puts the results in the order of `jobs`, whichever
    // thread finishes first.
    handles
        .into_iter()
        .map(|handle| handle.join().expect("a job panicked"))
        .collect()
}
// ANCHOR_END: solution

#[cfg(test)]
#[path = "../checks.rs"]
mod checks;
