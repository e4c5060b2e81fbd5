//! Wrong: splits and lowercases the words in parallel, then counts them on one thread.
//! verify says: "every word was counted on one thread"

use std::collections::HashMap;

use rayon::prelude::*;

pub fn word_counts<L: AsRef<str> + Sync>(lines: &[L]) -> HashMap<String, usize> {
    let words: Vec<String> = lines
        .par_iter()
        .flat_map_iter(|line| {
            line.as_ref()
                .split_whitespace()
                .map(str::to_lowercase)
                .collect::<Vec<_>>()
        })
        .collect();
    let mut counts = HashMap::new();
    for word in words {
        *counts.entry(word).or_insert(0) += 1;
    }
    counts
}

#[cfg(test)]
#[path = "../checks.rs"]
mod checks;
