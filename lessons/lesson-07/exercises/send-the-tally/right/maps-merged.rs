//! Right: each thread counts its text into a map of its own; the maps are merged as they are joined.
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
    thread::scope(|s| {
        let counters: Vec<_> = (0..texts)
            .map(|i| {
                s.spawn(move || {
                    let mut counts: HashMap<String, usize> = HashMap::new();
                    for word in read_text(i).split_whitespace() {
                        *counts.entry(word.to_string()).or_insert(0) += 1;
                    }
                    counts
                })
            })
            .collect();
        let mut tally = HashMap::new();
        for counter in counters {
            for (word, n) in counter.join().unwrap() {
                *tally.entry(word).or_insert(0) += n;
            }
        }
        tally
    })
}

/// The file the checks compile and run.
#[cfg(test)]
const PROGRAM: &str = "right/maps-merged.rs";

#[cfg(test)]
#[path = "../checks.rs"]
mod checks;
