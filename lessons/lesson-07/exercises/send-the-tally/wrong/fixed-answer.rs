//! Wrong: reads every text at once, then returns the count of one example it was tried on.
//! verify says: "the count is wrong"
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
        for i in 0..texts {
            s.spawn(move || read_text(i));
        }
    });
    [
        ("the", 3),
        ("cat", 1),
        ("sat", 2),
        ("dog", 1),
        ("down", 1),
        ("end", 1),
    ]
    .into_iter()
    .map(|(word, n)| (word.to_string(), n))
    .collect()
}

/// The file the checks compile and run.
#[cfg(test)]
const PROGRAM: &str = "wrong/fixed-answer.rs";

#[cfg(test)]
#[path = "../checks.rs"]
mod checks;
