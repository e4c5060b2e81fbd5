//! Wrong: one part per thread of the pool (`par_chunks` of len / threads), each part summed piece after piece.
//! verify says: "cut once into a few big parts"

use rayon::prelude::*;

/// A piece of at most this many numbers is summed by `leaf`, without splitting it further.
pub const CUTOFF: usize = 1000;

pub fn sum_in_parallel(numbers: &[u64], leaf: &(impl Fn(&[u64]) -> u64 + Sync)) -> u64 {
    if numbers.len() <= CUTOFF {
        return leaf(numbers);
    }
    let part = numbers.len().div_ceil(rayon::current_num_threads());
    numbers
        .par_chunks(part)
        .map(|part| part.chunks(CUTOFF).map(leaf).sum::<u64>())
        .sum()
}

#[cfg(test)]
#[path = "../checks.rs"]
mod checks;
