//! Right: `par_chunks(CUTOFF)`: rayon splits the chunks among its threads, each chunk goes to `leaf`.

use rayon::prelude::*;

/// A piece of at most this many numbers is summed by `leaf`, without splitting it further.
pub const CUTOFF: usize = 1000;

pub fn sum_in_parallel(numbers: &[u64], leaf: &(impl Fn(&[u64]) -> u64 + Sync)) -> u64 {
    numbers.par_chunks(CUTOFF).map(leaf).sum()
}

#[cfg(test)]
#[path = "../checks.rs"]
mod checks;
