//! Right: a map for each of the pool's threads, chosen by `rayon::current_thread_index()`, merged at the end.

use std::collections::HashMap;
use std::sync::Mutex;

use rayon::prelude::*;

pub fn word_counts<L: AsRef<str> + Sync>(lines: &[L]) -> HashMap<String, usize> {
    // Each thread locks only its own map: no thread ever waits for another.
    let maps: Vec<Mutex<HashMap<String, usize>>> = (0..rayon::current_num_threads())
        .map(|_| Mutex::new(HashMap::new()))
        .collect();
    lines.par_iter().for_each(|line| {
        let index = rayon::current_thread_index().unwrap_or(0);
        let mut counts = maps[index].lock().unwrap();
        for word in line.as_ref().split_whitespace() {
            *counts.entry(word.to_lowercase()).or_insert(0) += 1;
        }
    });
    let mut total = HashMap::new();
    for map in maps {
        for (word, count) in map.into_inner().unwrap() {
            *total.entry(word).or_insert(0) += count;
        }
    }
    total
}

#[cfg(test)]
#[path = "../checks.rs"]
mod checks;
