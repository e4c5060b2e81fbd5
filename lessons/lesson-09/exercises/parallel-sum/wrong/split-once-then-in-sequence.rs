//! Wrong: splits once at the top with `rayon::join`, then each half sums its pieces one after another.
//! verify says: "cut once into a few big parts"

/// A piece of at most this many numbers is summed by `leaf`, without splitting it further.
pub const CUTOFF: usize = 1000;

pub fn sum_in_parallel(numbers: &[u64], leaf: &(impl Fn(&[u64]) -> u64 + Sync)) -> u64 {
    if numbers.len() <= CUTOFF {
        return leaf(numbers);
    }
    let (left, right) = numbers.split_at(numbers.len() / 2);
    let (a, b) = rayon::join(
        || left.chunks(CUTOFF).map(leaf).sum::<u64>(),
        || right.chunks(CUTOFF).map(leaf).sum::<u64>(),
    );
    a + b
}

#[cfg(test)]
#[path = "../checks.rs"]
mod checks;
