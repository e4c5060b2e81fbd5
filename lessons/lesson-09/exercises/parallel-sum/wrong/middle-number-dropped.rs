//! Wrong: the right half starts after the middle number, so one number per split is never summed.
//! verify says: "were in no piece"

/// A piece of at most this many numbers is summed by `leaf`, without splitting it further.
pub const CUTOFF: usize = 1000;

pub fn sum_in_parallel(numbers: &[u64], leaf: &(impl Fn(&[u64]) -> u64 + Sync)) -> u64 {
    if numbers.len() <= CUTOFF {
        return leaf(numbers);
    }
    let middle = numbers.len() / 2;
    let (a, b) = rayon::join(
        || sum_in_parallel(&numbers[..middle], leaf),
        || sum_in_parallel(&numbers[middle + 1..], leaf),
    );
    a + b
}

#[cfg(test)]
#[path = "../checks.rs"]
mod checks;
