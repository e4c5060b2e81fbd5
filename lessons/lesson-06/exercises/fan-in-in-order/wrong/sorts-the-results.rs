//! Wrong: sorts the results by their values, which need not follow the inputs.
//! verify says: "sorted by their values"

use std::sync::mpsc;
use std::thread;

pub fn run_in_input_order<T, R, F>(inputs: Vec<T>, work: F) -> Vec<R>
where
    T: Send + 'static,
    R: Ord + Send + 'static,
    F: Fn(T) -> R + Clone + Send + 'static,
{
    let (sender, receiver) = mpsc::channel();
    for input in inputs {
        let sender = sender.clone();
        let work = work.clone();
        thread::spawn(move || sender.send(work(input)).unwrap());
    }
    drop(sender);
    let mut results: Vec<R> = receiver.into_iter().collect();
    results.sort();
    results
}

#[cfg(test)]
#[path = "../checks.rs"]
mod checks;
