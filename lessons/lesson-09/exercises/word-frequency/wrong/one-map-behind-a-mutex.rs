//! Wrong: every thread counts into one shared map behind a Mutex, where each piece should count into its own.
//! verify says: "they all counted into one map"

use std::collections::HashMap;
use std::sync::{Arc, Mutex};

use rayon::prelude::*;

pub fn word_counts<L: AsRef<str> + Sync>(lines: &[L]) -> HashMap<String, usize> {
    let counts = Arc::new(Mutex::new(HashMap::new()));
    lines.par_iter().for_each(|line| {
        for word in line.as_ref().split_whitespace() {
            *counts
                .lock()
                .unwrap()
                .entry(word.to_lowercase())
                .or_insert(0) += 1;
        }
    });
    let result = counts.lock().unwrap().clone();
    result
}

#[cfg(test)]
#[path = "../checks.rs"]
mod checks;
