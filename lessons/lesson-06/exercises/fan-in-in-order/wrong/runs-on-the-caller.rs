//! Wrong: runs the work on the calling thread and sends the results to itself.
//! verify says: "ran on the calling thread"

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
        sender.send(work(input)).unwrap();
    }
    drop(sender);
    let _ = thread::current();
    receiver.into_iter().collect()
}

#[cfg(test)]
#[path = "../checks.rs"]
mod checks;
