//! Right: `par_chunks` and `fold_with` count in parallel, each piece into its own map; the maps are collected and merged on the calling thread.

use std::collections::HashMap;

use rayon::prelude::*;

pub fn word_counts<L: AsRef<str> + Sync>(lines: &[L]) -> HashMap<String, usize> {
    let maps: Vec<HashMap<String, usize>> = lines
        .par_chunks(16)
        .fold_with(HashMap::new(), |mut counts, chunk| {
            for line in chunk {
                for word in line.as_ref().split_whitespace() {
                    *counts.entry(word.to_lowercase()).or_insert(0) += 1;
                }
            }
            counts
        })
        .collect();
    let mut total = HashMap::new();
    for counts in maps {
        for (word, count) in counts {
            *total.entry(word).or_insert(0) += count;
        }
    }
    total
}

#[cfg(test)]
#[path = "../checks.rs"]
mod checks;
