//! Wrong: stops splitting only below CUTOFF (`<`), so a piece of exactly CUTOFF numbers is split again.
//! verify says: "was cut into 2 pieces"

/// A piece of at most this many numbers is summed by `leaf`, without splitting it further.
pub const CUTOFF: usize = 1000;

pub fn sum_in_parallel(numbers: &[u64], leaf: &(impl Fn(&[u64]) -> u64 + Sync)) -> u64 {
    if numbers.len() < CUTOFF {
        return leaf(numbers);
    }
    let (left, right) = numbers.split_at(numbers.len() / 2);
    let (a, b) = rayon::join(
        || sum_in_parallel(left, leaf),
        || sum_in_parallel(right, leaf),
    );
    a + b
}

#[cfg(test)]
#[path = "../checks.rs"]
mod checks;
