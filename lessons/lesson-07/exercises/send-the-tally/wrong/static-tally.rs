//! Wrong: one tally for the whole program, a `static`, so every call adds to the last one's.
//! verify says: "does the tally outlive one call"
//!
//! Like every entry of this catalogue, it ends with the name of its own file, which the checks
//! compile with rustc and run, as they do `src/lib.rs`.

use std::collections::HashMap;
use std::sync::{LazyLock, Mutex};
use std::thread;

static TALLY: LazyLock<Mutex<HashMap<String, usize>>> = LazyLock::new(Mutex::default);

pub fn count_words(
    texts: usize,
    read_text: impl Fn(usize) -> String + Sync,
) -> HashMap<String, usize> {
    let read_text = &read_text;
    thread::scope(|s| {
        for i in 0..texts {
            s.spawn(move || {
                let text = read_text(i);
                let mut tally = TALLY.lock().unwrap();
                for word in text.split_whitespace() {
                    *tally.entry(word.to_string()).or_insert(0) += 1;
                }
            });
        }
    });
    TALLY.lock().unwrap().clone()
}

/// The file the checks compile and run.
#[cfg(test)]
const PROGRAM: &str = "wrong/static-tally.rs";

#[cfg(test)]
#[path = "../checks.rs"]
mod checks;
