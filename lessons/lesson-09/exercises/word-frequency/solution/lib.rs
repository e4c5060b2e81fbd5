//! Exercise `word-frequency` (lesson 09): reference solution.
//!
//! Each piece of work that rayon makes counts into a map of its own (`fold`), so no two threads
//! ever touch the same map and no lock is needed; the maps are then added together, two at a
//! time, by `reduce`.

use std::collections::HashMap;

use rayon::prelude::*;

// ANCHOR: solution
/// How often each word occurs in `lines`. Words are separated by whitespace and counted in lower
/// case (`The` and `the` are one word). A line is anything that can be read as a `&str`.
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
            for (word, count) in counts {
                *total.entry(word).or_insert(0) += count;
            }
            total
        })
}
// ANCHOR_END: solution

#[cfg(test)]
#[path = "../checks.rs"]
mod checks;
