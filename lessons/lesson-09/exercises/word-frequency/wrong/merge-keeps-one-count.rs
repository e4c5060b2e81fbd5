//! Wrong: merges two maps with `extend`, which keeps one count of a word where it should add both.
//! verify says: "counts were lost"
//! verify says: "add their counts"

use std::collections::HashMap;

use rayon::prelude::*;

pub fn word_counts<L: AsRef<str> + Sync>(lines: &[L]) -> HashMap<String, usize> {
    lines
        .par_iter()
        .fold(HashMap::new, |mut counts, line| {
            for word in line.as_ref().split_whitespace() {
                *counts.entry(word.to_lowercase()).or_insert(0) += 1;
            }
            counts
        })
        .reduce(HashMap::new, |mut total, counts| {
            total.extend(counts);
            total
        })
}

#[cfg(test)]
#[path = "../checks.rs"]
mod checks;
