//~ starter:
//~ //! Exercise `join-and-collect` (lesson 01).
//~ solution:
//! Exercise `join-and-collect` (lesson 01): reference solution.
//~ end
//!
//! Run every job on a thread of its own, all of them at the same time, and hand back what each job
//! returned, in the order the jobs were given.
//~ starter:
//~ //!
//~ //! Check your work: `cargo xtask verify join-and-collect`.
//~ //! Stuck? `cargo xtask hint join-and-collect`.
//~ //! The checks are in `checks.rs`, next to this folder's `src/`: read them, there is no need to
//~ //! change them.
//~ solution:

use std::thread;
//~ end

// ANCHOR: exercise
/// Runs each job on a thread of its own, all at the same time, and returns their results in the
/// order of `jobs`.
pub fn run_all_on_threads<T, F>(jobs: Vec<F>) -> Vec<T>
where
    T: Send + 'static,
    F: FnOnce() -> T + Send + 'static,
{
    //~ starter:
    //~ // TODO: this runs the jobs one after another, on the calling thread.
    //~ // Start every job with `std::thread::spawn` first and keep the `JoinHandle`s in a `Vec`;
    //~ // only then join them, in order, collecting what each thread returned.
    //~ jobs.into_iter().map(|job| job()).collect()
    //~ solution:
    // Start them all first: joining inside this loop would run the jobs one at a time.
    let handles: Vec<_> = jobs.into_iter().map(thread::spawn).collect();
    // Joining in the order of `handles` puts the results in the order of `jobs`, whichever
    // thread finishes first.
    handles
        .into_iter()
        .map(|handle| handle.join().expect("a job panicked"))
        .collect()
    //~ end
}
// ANCHOR_END: exercise

#[cfg(test)]
#[path = "../checks.rs"]
mod checks;
