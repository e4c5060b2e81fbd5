//! Right: a map for every line (`map`), merged two at a time by `reduce`.

use std::collections::HashMap;

use rayon::prelude::*;

fn count_line(line: &str) -> HashMap<String, usize> {
    let mut counts = HashMap::new();
    for word in line.split_whitespace() {
        *counts.entry(word.to_lowercase()).or_insert(0) += 1;
    }
    counts
}

pub fn word_counts<L: AsRef<str> + Sync>(lines: &[L]) -> HashMap<String, usize> {
    lines
        .par_iter()
        .map(|line| count_line(line.as_ref()))
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
