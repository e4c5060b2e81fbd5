//! Wrong: two threads share the inputs (one chunk each), instead of a thread per input.
//! verify says: "ran on a thread that had run another job"

use std::sync::mpsc;
use std::thread;

pub fn run_in_input_order<T, R, F>(inputs: Vec<T>, work: F) -> Vec<R>
where
    T: Send + 'static,
    R: Send + 'static,
    F: Fn(T) -> R + Clone + Send + 'static,
{
    let count = inputs.len();
    let mut second = inputs;
    let first: Vec<T> = second.drain(..count / 2).collect();
    let (sender, receiver) = mpsc::channel();
    for (start, chunk) in [(0, first), (count / 2, second)] {
        let sender = sender.clone();
        let work = work.clone();
        thread::spawn(move || {
            for (offset, input) in chunk.into_iter().enumerate() {
                sender.send((start + offset, work(input))).unwrap();
            }
        });
    }
    drop(sender);
    let mut slots: Vec<Option<R>> = (0..count).map(|_| None).collect();
    for (index, result) in receiver {
        slots[index] = Some(result);
    }
    slots.into_iter().map(Option::unwrap).collect()
}

#[cfg(test)]
#[path = "../checks.rs"]
mod checks;
