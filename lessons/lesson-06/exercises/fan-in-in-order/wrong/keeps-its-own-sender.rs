//! Wrong: keeps its own Sender, so the loop over the Receiver never ends.
//! verify says: "every Sender is dropped"

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
    for (index, input) in inputs.into_iter().enumerate() {
        let sender = sender.clone();
        let work = work.clone();
        thread::spawn(move || sender.send((index, work(input))).unwrap());
    }
    let mut slots: Vec<Option<R>> = (0..count).map(|_| None).collect();
    for (index, result) in receiver {
        slots[index] = Some(result);
    }
    slots.into_iter().map(Option::unwrap).collect()
}

#[cfg(test)]
#[path = "../checks.rs"]
mod checks;
