//! Wrong: reads the lines in parallel, then counts every word on the calling thread.
//! verify says: "every word was counted on one thread"

use std::collections::HashMap;

use rayon::prelude::*;

pub fn word_counts<L: AsRef<str> + Sync>(lines: &[L]) -> HashMap<String, usize> {
    let texts: Vec<String> = lines.par_iter().map(|l| l.as_ref().to_string()).collect();
    let mut counts = HashMap::new();
    for text in &texts {
        for word in text.split_whitespace() {
            *counts.entry(word.to_lowercase()).or_insert(0) += 1;
        }
    }
    counts
}

#[cfg(test)]
#[path = "../checks.rs"]
mod checks;
