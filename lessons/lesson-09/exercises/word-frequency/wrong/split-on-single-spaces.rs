//! Wrong: splits on single spaces, so a tab joins two words and two spaces make an empty word.
//! verify says: "split_whitespace()"

use std::collections::HashMap;

use rayon::prelude::*;

pub fn word_counts<L: AsRef<str> + Sync>(lines: &[L]) -> HashMap<String, usize> {
    lines
        .par_iter()
        .fold(HashMap::new, |mut counts, line| {
            for word in line.as_ref().split(' ') {
                *counts.entry(word.to_lowercase()).or_insert(0) += 1;
            }
            counts
        })
        .reduce(HashMap::new, |mut total, counts| {
            for (word, count) in counts {
                *total.entry(word).or_insert(0) += count;
            }
            total
        })
}

#[cfg(test)]
#[path = "../checks.rs"]
mod checks;
