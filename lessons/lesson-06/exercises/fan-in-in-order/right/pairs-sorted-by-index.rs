//! Right: collects `(index, result)` pairs as they arrive, then sorts them by index.

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
    let mut pairs: Vec<(usize, R)> = receiver.iter().collect();
    pairs.sort_by_key(|(index, _)| *index);
    pairs.into_iter().map(|(_, result)| result).collect()
}

#[cfg(test)]
#[path = "../checks.rs"]
mod checks;
