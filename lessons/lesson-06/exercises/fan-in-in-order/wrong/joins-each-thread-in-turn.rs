//! Wrong: joins each thread right after starting it, so the jobs run one after another.
//! verify says: "Start a thread for every input before you wait for any result"

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
        thread::spawn(move || sender.send(work(input)).unwrap())
            .join()
            .unwrap();
    }
    drop(sender);
    receiver.into_iter().collect()
}

#[cfg(test)]
#[path = "../checks.rs"]
mod checks;
