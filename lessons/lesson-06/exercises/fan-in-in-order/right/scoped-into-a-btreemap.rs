//! Right: scoped threads, and a `BTreeMap` from index to result, read in key order.

use std::sync::mpsc;
use std::thread;

pub fn run_in_input_order<T, R, F>(inputs: Vec<T>, work: F) -> Vec<R>
where
    T: Send + 'static,
    R: Send + 'static,
    F: Fn(T) -> R + Clone + Send + 'static,
{
    let count = inputs.len();
    let (sender, receiver) = mpsc::channel();
    thread::scope(|scope| {
        for (index, input) in inputs.into_iter().enumerate() {
            let (sender, work) = (sender.clone(), work.clone());
            scope.spawn(move || sender.send((index, work(input))).unwrap());
        }
    });
    drop(sender);
    let by_index: std::collections::BTreeMap<usize, R> = receiver.into_iter().collect();
    assert_eq!(by_index.len(), count);
    by_index.into_values().collect()
}

#[cfg(test)]
#[path = "../checks.rs"]
mod checks;
