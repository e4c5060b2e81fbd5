//! Wrong: the threads only read; the calling thread counts every text after joining them.
//! verify says: "counted after those threads had ended"
//!
//! Like every entry of this catalogue, it ends with the name of its own file, which the checks
//! compile with rustc and run, as they do `src/lib.rs`.

use std::collections::HashMap;
use std::thread;

pub fn count_words(
    texts: usize,
    read_text: impl Fn(usize) -> String + Sync,
) -> HashMap<String, usize> {
    let read_text = &read_text;
    let read: Vec<String> = thread::scope(|s| {
        let handles: Vec<_> = (0..texts).map(|i| s.spawn(move || read_text(i))).collect();
        handles.into_iter().map(|h| h.join().unwrap()).collect()
    });
    let mut tally = HashMap::new();
    for text in &read {
        for word in text.split_whitespace() {
            *tally.entry(word.to_string()).or_insert(0) += 1;
        }
    }
    tally
}

/// The file the checks compile and run.
#[cfg(test)]
const PROGRAM: &str = "wrong/caller-counts.rs";

#[cfg(test)]
#[path = "../checks.rs"]
mod checks;
