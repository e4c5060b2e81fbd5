//! Exercise `parallel-sum` (lesson 09): reference solution.
//!
//! `rayon::join` runs its first closure on this thread and offers the second to the pool: an idle
//! thread steals it, or this thread runs it afterwards. Either way both halves are summed, and
//! `join` returns only when both are done, so the halves may borrow `numbers`.

// ANCHOR: solution
/// A piece of at most this many numbers is summed by `leaf`, without splitting it further.
pub const CUTOFF: usize = 1000;

/// The sum of `numbers`: split in two halves, summed at the same time with `rayon::join`, until a
/// piece has at most [`CUTOFF`] numbers; `leaf` sums each such piece.
pub fn sum_in_parallel(numbers: &[u64], leaf: &(impl Fn(&[u64]) -> u64 + Sync)) -> u64 {
    if numbers.len() <= CUTOFF {
        return leaf(numbers);
    }
    let (left, right) = numbers.split_at(numbers.len() / 2);
    let (left, right) = rayon::join(
        || sum_in_parallel(left, leaf),
        || sum_in_parallel(right, leaf),
    );
    left + right
}
// ANCHOR_END: solution

#[cfg(test)]
#[path = "../checks.rs"]
mod checks;
