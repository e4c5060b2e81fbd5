//! Exercise `bounded-pipeline` (lesson 06).
//!
//! Three stages on threads of their own, joined by bounded channels: read from a source, transform,
//! write to a sink. The pipeline must shut down cleanly from either end: when the source runs out,
//! and when the sink wants no more — then every stage before it stops too, even if the source is
//! endless.
//!
//! Check your work: `cargo xtask verify bounded-pipeline`. Stuck? `cargo xtask hint bounded-pipeline`.
//! The checks are in `checks.rs`, next to this folder's `src/`: read them, there is no need to change them.

use std::sync::mpsc::{self, Receiver, SyncSender};
use std::thread;

/// How many items each stage passed on (the read and transform stages: sent successfully; the
/// write stage: handed to the sink).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Counts {
    pub read: usize,
    pub transformed: usize,
    pub written: usize,
}

/// Sends the items of `source` into `output`, one by one; returns how many were sent.
pub fn read_stage<T>(source: impl Iterator<Item = T>, output: &SyncSender<T>) -> usize {
    let mut sent = 0;
    for item in source {
        // TODO: `send` fails when the next stage has gone. Ignoring that, this stage reads
        // its whole source for nobody, and an endless source never ends. Stop instead.
        let _ = output.send(item);
        sent += 1;
    }
    sent
}

/// Sends `transform(item)` for every item of `input`; returns how many were sent.
pub fn transform_stage<A, B>(
    input: Receiver<A>,
    output: &SyncSender<B>,
    mut transform: impl FnMut(A) -> B,
) -> usize {
    let mut sent = 0;
    for item in input {
        if output.send(transform(item)).is_err() {
            break; // the write stage has gone: stop, and drop `input` on the way out
        }
        sent += 1;
    }
    sent
}

/// Hands every item of `input` to `sink` until the input ends or `sink` returns `false` (it
/// wants no more); returns how many items it handed over.
pub fn write_stage<T>(input: Receiver<T>, mut sink: impl FnMut(T) -> bool) -> usize {
    let mut written = 0;
    for item in input {
        written += 1;
        if !sink(item) {
            // TODO: the sink wants no more. Stop here: returning drops `input`, and that is
            // how the stages before this one learn that nobody is listening.
        }
    }
    written
}

/// Runs the three stages on threads of their own, joined by two `sync_channel(capacity)`, and
/// returns once all three have ended.
pub fn run_pipeline<A, B>(
    capacity: usize,
    source: impl Iterator<Item = A> + Send + 'static,
    transform: impl FnMut(A) -> B + Send + 'static,
    sink: impl FnMut(B) -> bool + Send + 'static,
) -> Counts
where
    A: Send + 'static,
    B: Send + 'static,
{
    let (items, items_in) = mpsc::sync_channel(capacity);
    let (results, results_in) = mpsc::sync_channel(capacity);
    let read = thread::spawn(move || read_stage(source, &items));
    let transformed = thread::spawn(move || transform_stage(items_in, &results, transform));
    let written = thread::spawn(move || write_stage(results_in, sink));
    Counts {
        read: read.join().unwrap(),
        transformed: transformed.join().unwrap(),
        written: written.join().unwrap(),
    }
}

#[cfg(test)]
#[path = "../checks.rs"]
mod checks;
