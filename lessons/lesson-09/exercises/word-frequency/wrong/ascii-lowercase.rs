//! Wrong: lowers only ASCII letters (`to_ascii_lowercase`), so ÉTÉ and été are two words.
//! verify says: "was counted with capitals"
//! verify says: "to_lowercase()"

use std::collections::HashMap;

use rayon::prelude::*;

pub fn word_counts<L: AsRef<str> + Sync>(lines: &[L]) -> HashMap<String, usize> {
    lines
        .par_iter()
        .fold(HashMap::new, |mut counts, line| {
            for word in line.as_ref().split_whitespace() {
                *counts.entry(word.to_ascii_lowercase()).or_insert(0) += 1;
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
