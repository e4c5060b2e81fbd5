//! Wrong: counts right, then ends the whole process with `process::exit(0)`.
//! verify says: "ended with exit code 0 before its checks had finished"
//! verify says: "std::process::exit"
//!
//! Like every entry of this catalogue, it ends with the name of its own file, which the checks
//! compile with rustc and run, as they do `src/lib.rs`.

use std::collections::HashMap;
use std::sync::{Arc, Mutex};
use std::thread;

pub fn count_words(
    texts: usize,
    read_text: impl Fn(usize) -> String + Sync,
) -> HashMap<String, usize> {
    let tally = Arc::new(Mutex::new(HashMap::new()));
    let read_text = &read_text;
    thread::scope(|s| {
        for i in 0..texts {
            let tally = Arc::clone(&tally);
            s.spawn(move || {
                let text = read_text(i);
                let mut tally = tally.lock().unwrap();
                for word in text.split_whitespace() {
                    *tally.entry(word.to_string()).or_insert(0) += 1;
                }
            });
        }
    });
    std::process::exit(0);
}

/// The file the checks compile and run.
#[cfg(test)]
const PROGRAM: &str = "wrong/exit-zero.rs";

#[cfg(test)]
#[path = "../checks.rs"]
mod checks;
