//! Right: `Arc<Mutex<…>>` with each thread counting into a local map first and adding it to the tally under one lock.
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
    let tally: Arc<Mutex<HashMap<String, usize>>> = Arc::default();
    let read_text = &read_text;
    thread::scope(|s| {
        for i in 0..texts {
            let tally = Arc::clone(&tally);
            s.spawn(move || {
                let text = read_text(i);
                let mut mine: HashMap<&str, usize> = HashMap::new();
                for word in text.split_whitespace() {
                    *mine.entry(word).or_insert(0) += 1;
                }
                let mut tally = tally.lock().unwrap();
                for (word, n) in mine {
                    *tally.entry(word.to_string()).or_insert(0) += n;
                }
            });
        }
    });
    let tally = Arc::into_inner(tally).expect("every thread has ended");
    tally.into_inner().unwrap()
}

/// The file the checks compile and run.
#[cfg(test)]
const PROGRAM: &str = "right/local-then-shared.rs";

#[cfg(test)]
#[path = "../checks.rs"]
mod checks;
