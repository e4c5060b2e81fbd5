//! Compiled by `checks.rs` against the exercise's program (as the crate `tally`) and run: it exits
//! with an error message when the count is wrong or the texts were not read at the same time.

use std::collections::BTreeMap;
use std::process::ExitCode;
use std::sync::{Condvar, Mutex};
use std::time::Duration;

const TEXTS: [&str; 3] = ["the cat sat", "the dog sat down", "the end"];

fn main() -> ExitCode {
    // Each read waits (up to a limit) until every text is being read: only threads get past it
    // quickly.
    let (arrived, changed) = (Mutex::new(0), Condvar::new());
    let waited_in_vain = Mutex::new(false);
    let read_text = |i: usize| {
        let mut count = arrived.lock().unwrap();
        *count += 1;
        changed.notify_all();
        let (_count, wait) = changed
            .wait_timeout_while(count, Duration::from_secs(4), |n| *n < TEXTS.len())
            .unwrap();
        if wait.timed_out() {
            *waited_in_vain.lock().unwrap() = true;
        }
        TEXTS[i].to_string()
    };
    let counted: BTreeMap<String, usize> = tally::count_words(TEXTS.len(), read_text)
        .into_iter()
        .collect();
    let expected: BTreeMap<String, usize> = [
        ("cat", 1),
        ("dog", 1),
        ("down", 1),
        ("end", 1),
        ("sat", 2),
        ("the", 3),
    ]
    .into_iter()
    .map(|(word, n)| (word.to_string(), n))
    .collect();
    if counted != expected {
        eprintln!("the texts {TEXTS:?} were counted as {counted:?}, expected {expected:?}");
        return ExitCode::FAILURE;
    }
    if *waited_in_vain.lock().unwrap() {
        eprintln!(
            "the count is right, but the texts were not read at the same time: read each text \
             on a thread of its own, as the starter does, and before taking the lock (a thread \
             that holds the lock while it reads makes the others wait)"
        );
        return ExitCode::FAILURE;
    }
    ExitCode::SUCCESS
}
