//! Wrong: splits a fixed five times (32 pieces, enough for 20 000 numbers), whatever the length.
//! verify says: "longer than CUTOFF"

/// A piece of at most this many numbers is summed by `leaf`, without splitting it further.
pub const CUTOFF: usize = 1000;

fn split(numbers: &[u64], leaf: &(impl Fn(&[u64]) -> u64 + Sync), depth: u32) -> u64 {
    if depth == 0 || numbers.len() <= 1 {
        return leaf(numbers);
    }
    let (left, right) = numbers.split_at(numbers.len() / 2);
    let (a, b) = rayon::join(
        || split(left, leaf, depth - 1),
        || split(right, leaf, depth - 1),
    );
    a + b
}

pub fn sum_in_parallel(numbers: &[u64], leaf: &(impl Fn(&[u64]) -> u64 + Sync)) -> u64 {
    if numbers.len() <= CUTOFF {
        return leaf(numbers);
    }
    split(numbers, leaf, 5)
}

#[cfg(test)]
#[path = "../checks.rs"]
mod checks;
