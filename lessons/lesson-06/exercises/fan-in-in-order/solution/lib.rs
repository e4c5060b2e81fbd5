//! Exercise `fan-in-in-order` (lesson 06): reference solution.
//!
//! Run `work` on every input, each on a thread of its own, all at the same time. Every thread sends
//! its result over one channel to the calling thread, which hands the results back in the order of
//! the inputs, whichever thread finished first.

use std::sync::mpsc;
use std::thread;

// ANCHOR: solution
/// Runs `work(input)` for every input on a thread of its own, all at the same time, and returns
/// the results in the order of `inputs`.
pub fn run_in_input_order<T, R, F>(inputs: Vec<T>, work: F) -> Vec<R>
where
    T: Send + 'static,
    R: Send + 'static,
    F: Fn(T) -> R + Clone + Send + 'static,
{
    let count = inputs.len();
    let (sender, receiver) = mpsc::channel();
    for (index, input) in inputs.into_iter().enumerate() {
        let sender = sender.clone();
        let work = work.clone();
        // The index travels with the result: arrival order says nothing about input order.
        thread::spawn(move || sender.send((index, work(input))).unwrap());
    }
    drop(sender); // the loop below ends when the last thread has sent its result
    let mut slots: Vec<Option<R>> = (0..count).map(|_| None).collect();
    for (index, result) in receiver {
        slots[index] = Some(result);
    }
    slots
        .into_iter()
        .map(|slot| slot.expect("every input's thread sent its result"))
        .collect()
}
// ANCHOR_END: solution

#[cfg(test)]
#[path = "../checks.rs"]
mod checks;
