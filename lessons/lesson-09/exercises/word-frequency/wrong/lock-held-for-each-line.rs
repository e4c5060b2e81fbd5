//! Wrong: one shared map, locked for the whole of each line (reading included): the threads take turns.
//! verify says: "they all counted into one map"

use std::collections::HashMap;
use std::sync::Mutex;

use rayon::prelude::*;

pub fn word_counts<L: AsRef<str> + Sync>(lines: &[L]) -> HashMap<String, usize> {
    let counts = Mutex::new(HashMap::new());
    lines.par_iter().for_each(|line| {
        let mut counts = counts.lock().unwrap();
        for word in line.as_ref().split_whitespace() {
            *counts.entry(word.to_lowercase()).or_insert(0) += 1;
        }
    });
    counts.into_inner().unwrap()
}

#[cfg(test)]
#[path = "../checks.rs"]
mod checks;
