//! Right: `rayon::scope` spawns a task for every chunk of CUTOFF numbers; their sums go into an atomic.

use std::sync::atomic::{AtomicU64, Ordering};

/// A piece of at most this many numbers is summed by `leaf`, without splitting it further.
pub const CUTOFF: usize = 1000;

pub fn sum_in_parallel(numbers: &[u64], leaf: &(impl Fn(&[u64]) -> u64 + Sync)) -> u64 {
    if numbers.len() <= CUTOFF {
        return leaf(numbers);
    }
    let total = AtomicU64::new(0);
    rayon::scope(|scope| {
        for chunk in numbers.chunks(CUTOFF) {
            let total = &total;
            scope.spawn(move |_| {
                total.fetch_add(leaf(chunk), Ordering::Relaxed);
            });
        }
    });
    total.into_inner()
}

#[cfg(test)]
#[path = "../checks.rs"]
mod checks;
