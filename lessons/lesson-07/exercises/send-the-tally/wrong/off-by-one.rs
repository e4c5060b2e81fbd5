//! Wrong: numbers the texts from 1 to `texts`, so it skips text 0 and asks for one too many.
//! verify says: "read_text was asked for text 3, but there are 3 texts"
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
        for i in 1..=texts {
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
    Arc::try_unwrap(tally).unwrap().into_inner().unwrap()
}

/// The file the checks compile and run.
#[cfg(test)]
const PROGRAM: &str = "wrong/off-by-one.rs";

#[cfg(test)]
#[path = "../checks.rs"]
mod checks;
