//! Wrong: puts the two halves' sums together with the larger one instead of adding them.
//! verify says: "the sums of the halves are put together wrongly"

/// A piece of at most this many numbers is summed by `leaf`, without splitting it further.
pub const CUTOFF: usize = 1000;

pub fn sum_in_parallel(numbers: &[u64], leaf: &(impl Fn(&[u64]) -> u64 + Sync)) -> u64 {
    if numbers.len() <= CUTOFF {
        return leaf(numbers);
    }
    let (left, right) = numbers.split_at(numbers.len() / 2);
    let (a, b) = rayon::join(
        || sum_in_parallel(left, leaf),
        || sum_in_parallel(right, leaf),
    );
    a.max(b)
}

#[cfg(test)]
#[path = "../checks.rs"]
mod checks;
