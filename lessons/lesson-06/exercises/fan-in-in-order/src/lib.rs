//! Exercise `fan-in-in-order` (lesson 06).
//!
//! Run `work` on every input, each on a thread of its own, all at the same time. Every thread sends
//! its result over one channel to the calling thread, which hands the results back in the order of
//! the inputs, whichever thread finished first.
//!
//! Check your work: `cargo xtask verify fan-in-in-order`. Stuck? `cargo xtask hint fan-in-in-order`.
//! The checks are in `checks.rs`, next to this folder's `src/`: read them, there is no need to change them.

use std::sync::mpsc;
use std::thread;

/// Runs `work(input)` for every input on a thread of its own, all at the same time, and returns
/// the results in the order of `inputs`.
pub fn run_in_input_order<T, R, F>(inputs: Vec<T>, work: F) -> Vec<R>
where
    T: Send + 'static,
    R: Send + 'static,
    F: Fn(T) -> R + Clone + Send + 'static,
{
    let (sender, receiver) = mpsc::channel();
    for input in inputs {
        let sender = sender.clone();
        let work = work.clone();
        thread::spawn(move || sender.send(work(input)).unwrap());
    }
    drop(sender); // the loop below ends when the last thread has sent its result

    // TODO: the results arrive in the order the threads finish, not in the order of `inputs`.
    // Send every result together with the index of its input, and put each one in its place.
    receiver.into_iter().collect()
}

#[cfg(test)]
#[path = "../checks.rs"]
mod checks;
