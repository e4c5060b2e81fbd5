//! Exercise `send-the-tally` (lesson 07).
//!
//! Counts the words of several texts, one thread per text, into one shared tally. Written the way
//! it would be on one thread, with `Rc` and `RefCell`, it does not compile: run
//! `cargo xtask verify send-the-tally` and read what the compiler says. Make it compile, keeping
//! one thread per text, and count right.
//!
//! Stuck? `cargo xtask hint send-the-tally`. The checks compile this file with rustc and run it
//! with a `read_text` that waits until every text is being read at once, so a version that reads
//! the texts one after another does not pass.

// TODO: `Rc` counts its owners with a plain integer and `RefCell` its borrows with another: neither
// may be used by two threads. Swap each for the thread-safe type the lesson shows.
use std::cell::RefCell;
use std::collections::HashMap;
use std::rc::Rc;
use std::thread;

/// How often each word appears in the texts `0..texts`; `read_text(i)` gives text `i`, and may be
/// slow (a file, a download), so each text is read and counted on a thread of its own.
pub fn count_words(
    texts: usize,
    read_text: impl Fn(usize) -> String + Sync,
) -> HashMap<String, usize> {
    let tally = Rc::new(RefCell::new(HashMap::new()));
    let read_text = &read_text;
    thread::scope(|s| {
        for i in 0..texts {
            let tally = Rc::clone(&tally);
            s.spawn(move || {
                let text = read_text(i);
                for word in text.split_whitespace() {
                    *tally.borrow_mut().entry(word.to_string()).or_insert(0) += 1;
                }
            });
        }
    });
    Rc::try_unwrap(tally)
        .expect("every thread has ended")
        .into_inner()
}
