//! Right: `rayon::join` recursion written with a match on the length, the larger half first.

/// A piece of at most this many numbers is summed by `leaf`, without splitting it further.
pub const CUTOFF: usize = 1000;

pub fn sum_in_parallel(numbers: &[u64], leaf: &(impl Fn(&[u64]) -> u64 + Sync)) -> u64 {
    match numbers.len() {
        0..=CUTOFF => leaf(numbers),
        len => {
            let (left, right) = numbers.split_at(len.div_ceil(2));
            let (a, b) = rayon::join(
                || sum_in_parallel(left, leaf),
                || sum_in_parallel(right, leaf),
            );
            a + b
        }
    }
}

#[cfg(test)]
#[path = "../checks.rs"]
mod checks;
