//! Wrong: halves down to the cut-off, but sums the two halves one after the other, without `rayon::join`.
//! verify says: "every piece was summed by one thread"

/// A piece of at most this many numbers is summed by `leaf`, without splitting it further.
pub const CUTOFF: usize = 1000;

pub fn sum_in_parallel(numbers: &[u64], leaf: &(impl Fn(&[u64]) -> u64 + Sync)) -> u64 {
    if numbers.len() <= CUTOFF {
        return leaf(numbers);
    }
    let (left, right) = numbers.split_at(numbers.len() / 2);
    sum_in_parallel(left, leaf) + sum_in_parallel(right, leaf)
}

#[cfg(test)]
#[path = "../checks.rs"]
mod checks;
