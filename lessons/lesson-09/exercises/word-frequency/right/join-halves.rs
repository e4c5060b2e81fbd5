//! Right: `rayon::join` halves the lines down to 32, counts each piece into its own map, and merges on the way back up.

use std::collections::HashMap;

fn merge(
    mut total: HashMap<String, usize>,
    counts: HashMap<String, usize>,
) -> HashMap<String, usize> {
    for (word, count) in counts {
        *total.entry(word).or_insert(0) += count;
    }
    total
}

pub fn word_counts<L: AsRef<str> + Sync>(lines: &[L]) -> HashMap<String, usize> {
    if lines.len() <= 32 {
        let mut counts = HashMap::new();
        for line in lines {
            for word in line.as_ref().split_whitespace() {
                *counts.entry(word.to_lowercase()).or_insert(0) += 1;
            }
        }
        return counts;
    }
    let (left, right) = lines.split_at(lines.len() / 2);
    let (left, right) = rayon::join(|| word_counts(left), || word_counts(right));
    merge(left, right)
}

#[cfg(test)]
#[path = "../checks.rs"]
mod checks;
