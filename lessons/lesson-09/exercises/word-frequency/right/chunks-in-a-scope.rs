//! Right: `rayon::scope` spawns a task per chunk of lines; each counts into its own map, sent back over a channel and merged.

use std::collections::HashMap;
use std::sync::mpsc;

pub fn word_counts<L: AsRef<str> + Sync>(lines: &[L]) -> HashMap<String, usize> {
    let (sender, receiver) = mpsc::channel();
    rayon::scope(|scope| {
        for chunk in lines.chunks(64) {
            let sender = sender.clone();
            scope.spawn(move |_| {
                let mut counts: HashMap<String, usize> = HashMap::new();
                for line in chunk {
                    for word in line.as_ref().split_whitespace() {
                        *counts.entry(word.to_lowercase()).or_insert(0) += 1;
                    }
                }
                sender.send(counts).unwrap();
            });
        }
    });
    drop(sender);
    let mut total = HashMap::new();
    for counts in receiver {
        for (word, count) in counts {
            *total.entry(word).or_insert(0) += count;
        }
    }
    total
}

#[cfg(test)]
#[path = "../checks.rs"]
mod checks;
