//! Right: `par_chunks` with `fold` and `reduce`: each piece of work adds up its chunks, then the pieces are added.

use rayon::prelude::*;

/// A piece of at most this many numbers is summed by `leaf`, without splitting it further.
pub const CUTOFF: usize = 1000;

pub fn sum_in_parallel(numbers: &[u64], leaf: &(impl Fn(&[u64]) -> u64 + Sync)) -> u64 {
    numbers
        .par_chunks(CUTOFF)
        .fold(|| 0, |total, chunk| total + leaf(chunk))
        .reduce(|| 0, |a, b| a + b)
}

#[cfg(test)]
#[path = "../checks.rs"]
mod checks;
