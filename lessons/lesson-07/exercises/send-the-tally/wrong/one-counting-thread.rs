//! Wrong: the threads read and send their texts to one counting thread, which counts them all.
//! verify says: "counted after those threads had ended"
//!
//! Like every entry of this catalogue, it ends with the name of its own file, which the checks
//! compile with rustc and run, as they do `src/lib.rs`.

use std::collections::HashMap;
use std::sync::mpsc;
use std::thread;

pub fn count_words(
    texts: usize,
    read_text: impl Fn(usize) -> String + Sync,
) -> HashMap<String, usize> {
    let read_text = &read_text;
    let (sender, texts_read) = mpsc::channel::<String>();
    thread::scope(|s| {
        let counter = s.spawn(move || {
            let mut tally = HashMap::new();
            for text in texts_read {
                for word in text.split_whitespace() {
                    *tally.entry(word.to_string()).or_insert(0) += 1;
                }
            }
            tally
        });
        for i in 0..texts {
            let sender = sender.clone();
            s.spawn(move || sender.send(read_text(i)).unwrap());
        }
        drop(sender);
        counter.join().unwrap()
    })
}

/// The file the checks compile and run.
#[cfg(test)]
const PROGRAM: &str = "wrong/one-counting-thread.rs";

#[cfg(test)]
#[path = "../checks.rs"]
mod checks;
