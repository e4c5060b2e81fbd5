//! Right: the threads of a scope borrow one `Mutex` (no `Arc`) and lock it for each word.
//!
//! Like every entry of this catalogue, it ends with the name of its own file, which the checks
//! compile with rustc and run, as they do `src/lib.rs`.

use std::collections::HashMap;
use std::sync::Mutex;
use std::thread;

pub fn count_words(
    texts: usize,
    read_text: impl Fn(usize) -> String + Sync,
) -> HashMap<String, usize> {
    let tally = Mutex::new(HashMap::new());
    thread::scope(|s| {
        for i in 0..texts {
            let (tally, read_text) = (&tally, &read_text);
            s.spawn(move || {
                for word in read_text(i).split_whitespace() {
                    *tally.lock().unwrap().entry(word.to_owned()).or_default() += 1;
                }
            });
        }
    });
    tally.into_inner().unwrap()
}

/// The file the checks compile and run.
#[cfg(test)]
const PROGRAM: &str = "right/borrowed-mutex.rs";

#[cfg(test)]
#[path = "../checks.rs"]
mod checks;
