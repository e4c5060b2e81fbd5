//! Wrong: the results arrive last input first in a test, so it reverses the arrivals.
//! verify says: "in the reverse of the order the jobs finished"

use std::sync::mpsc;
use std::thread;

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
    drop(sender);
    let mut results: Vec<R> = receiver.into_iter().collect();
    results.reverse();
    results
}

#[cfg(test)]
#[path = "../checks.rs"]
mod checks;
