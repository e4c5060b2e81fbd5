//! Wrong: the caller polls the channel with `try_recv`, burning a core while the jobs run.
//! verify says: "something polls"

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
    drop(sender);
    let mut slots: Vec<Option<R>> = (0..count).map(|_| None).collect();
    loop {
        match receiver.try_recv() {
            Ok((index, result)) => slots[index] = Some(result),
            Err(mpsc::TryRecvError::Empty) => thread::yield_now(),
            Err(mpsc::TryRecvError::Disconnected) => break,
        }
    }
    slots.into_iter().map(Option::unwrap).collect()
}

#[cfg(test)]
#[path = "../checks.rs"]
mod checks;
