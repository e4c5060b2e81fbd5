//! Exercise `parallel-sum` (lesson 09).
//!
//! Divide and conquer with `rayon::join`: split a slice in two halves, sum both at the same time,
//! add the two sums; each half splits again, until a piece is small enough to be summed on the
//! spot. The cut-off matters: a piece of a few numbers is not worth a task.
//!
//! Check your work: `cargo xtask verify parallel-sum`.
//! Stuck? `cargo xtask hint parallel-sum`.
//! The checks in `checks.rs` run your function in a pool of four threads with a `leaf` of their
//! own, which notes the size of every piece and the thread that sums it.

/// A piece of at most this many numbers is summed by `leaf`, without splitting it further.
pub const CUTOFF: usize = 1000;

/// The sum of `numbers`: split in two halves, summed at the same time with `rayon::join`, until a
/// piece has at most [`CUTOFF`] numbers; `leaf` sums each such piece.
pub fn sum_in_parallel(numbers: &[u64], leaf: &(impl Fn(&[u64]) -> u64 + Sync)) -> u64 {
    // TODO: this hands the whole slice to `leaf`, on this thread. When `numbers` is longer than
    // CUTOFF, split it (`numbers.split_at(numbers.len() / 2)`), sum both halves with
    // `rayon::join(|| …, || …)` (each half by calling `sum_in_parallel` again), and add the two.
    leaf(numbers)
}

#[cfg(test)]
#[path = "../checks.rs"]
mod checks;
