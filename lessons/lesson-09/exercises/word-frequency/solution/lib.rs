//~ starter:
//~ //! Exercise `word-frequency` (lesson 09).
//~ //!
//~ //! Count how often each word occurs in a text, with the lines spread over rayon's threads. The
//~ //! counting is easy; the exercise is to do it in parallel without a lock: each piece of work
//~ //! counts into a map of its own, and the maps are then merged.
//~ //!
//~ //! Check your work: `cargo xtask verify word-frequency`.
//~ //! Stuck? `cargo xtask hint word-frequency`.
//~ //! The checks in `checks.rs` run your function in a pool of four threads and watch which threads
//~ //! read the lines: an answer that reads every line on one thread does not pass.
//~ solution:
//! Exercise `word-frequency` (lesson 09): reference solution.
//!
//! Each piece of work that rayon makes counts into a map of its own (`fold`), so no two threads
//! ever touch the same map and no lock is needed; the maps are then added together, two at a
//! time, by `reduce`.
//~ end

use std::collections::HashMap;
//~ starter:
//~ solution:

use rayon::prelude::*;
//~ end

/// How often each word occurs in `lines`. Words are separated by whitespace and counted in lower
/// case (`The` and `the` are one word). A line is anything that can be read as a `&str`.
pub fn word_counts<L: AsRef<str> + Sync>(lines: &[L]) -> HashMap<String, usize> {
    //~ starter:
    //~ // TODO: this reads every line on the calling thread. Use `lines.par_iter()` (with
    //~ // `use rayon::prelude::*;`), `fold` each piece of work into a `HashMap` of its own, then
    //~ // `reduce` the maps into one by adding up their counts.
    //~ let mut counts = HashMap::new();
    //~ for line in lines {
    //~     for word in line.as_ref().split_whitespace() {
    //~         *counts.entry(word.to_lowercase()).or_insert(0) += 1;
    //~     }
    //~ }
    //~ counts
    //~ solution:
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
    //~ end
}

#[cfg(test)]
#[path = "../checks.rs"]
mod checks;
