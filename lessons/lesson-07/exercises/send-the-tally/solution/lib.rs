//! Exercise `send-the-tally` (lesson 07): reference solution.
//!
//! Counts the words of several texts, one thread per text, into one shared tally.

use std::collections::HashMap;
use std::sync::{Arc, Mutex};
use std::thread;

// ANCHOR: solution
/// How often each word appears in the texts `0..texts`; `read_text(i)` gives text `i`, and may be
/// slow (a file, a download), so each text is read and counted on a thread of its own.
pub fn count_words(
    texts: usize,
    read_text: impl Fn(usize) -> String + Sync,
) -> HashMap<String, usize> {
    // Arc: an owner count updated atomically (Send); Mutex: one borrower at a time (Sync).
    let tally = Arc::new(Mutex::new(HashMap::new()));
    let read_text = &read_text;
    thread::scope(|s| {
        for i in 0..texts {
            let tally = Arc::clone(&tally);
            s.spawn(move || {
                let text = read_text(i); // read before locking: the slow part needs no lock
                let mut tally = tally.lock().unwrap();
                for word in text.split_whitespace() {
                    *tally.entry(word.to_string()).or_insert(0) += 1;
                }
            });
        }
    });
    let tally = Arc::try_unwrap(tally).expect("every thread has ended");
    tally.into_inner().unwrap()
}
// ANCHOR_END: solution
