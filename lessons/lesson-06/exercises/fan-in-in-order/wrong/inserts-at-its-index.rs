//! Wrong: inserts each result at its index as it arrives, which shifts the ones already there.
//! verify says: "in neither the order of the inputs nor the order they arrived in"

use std::sync::mpsc;
use std::thread;

pub fn run_in_input_order<T, R, F>(inputs: Vec<T>, work: F) -> Vec<R>
where
    T: Send + 'static,
    R: Send + 'static,
    F: Fn(T) -> R + Clone + Send + 'static,
{
    let (sender, receiver) = mpsc::channel();
    for (index, input) in inputs.into_iter().enumerate() {
        let sender = sender.clone();
        let work = work.clone();
        thread::spawn(move || sender.send((index, work(input))).unwrap());
    }
    drop(sender);
    let mut results = Vec::new();
    for (index, result) in receiver {
        let place = index.min(results.len());
        results.insert(place, result);
    }
    results
}

#[cfg(test)]
#[path = "../checks.rs"]
mod checks;
