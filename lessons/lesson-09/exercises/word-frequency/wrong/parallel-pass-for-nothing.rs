//! Wrong: a parallel pass that only sizes the map, then the starter's sequential count.
//! verify says: "every word was counted on one thread"

use std::collections::HashMap;

use rayon::prelude::*;

pub fn word_counts<L: AsRef<str> + Sync>(lines: &[L]) -> HashMap<String, usize> {
    let words: usize = lines
        .par_iter()
        .map(|line| line.as_ref().split_whitespace().count())
        .sum();
    let mut counts = HashMap::with_capacity(words.min(64));
    for line in lines {
        for word in line.as_ref().split_whitespace() {
            *counts.entry(word.to_lowercase()).or_insert(0) += 1;
        }
    }
    counts
}

#[cfg(test)]
#[path = "../checks.rs"]
mod checks;
