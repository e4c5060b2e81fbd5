//! Exercise `scoped-sum` (lesson 01).
//!
//! Sum a slice of numbers on several threads at once. Each thread sums one part of the slice by
//! calling `sum_part`; then the partial sums are added up. Scoped threads may borrow `numbers`,
//! so nothing needs to be copied or wrapped in an `Arc`.
//!
//! Check your work: `cargo xtask verify scoped-sum`. Stuck? `cargo xtask hint scoped-sum`.
//! The checks are in `checks.rs`: read them, there is no need to change them.

/// Sums `numbers` on `threads` threads running at the same time (`threads` is at least 1).
///
/// Split `numbers` into at most `threads` parts of nearly equal length; each part is summed by
/// `sum_part` on a thread of its own. (The checks pass their own `sum_part`, so that they can see
/// which threads it ran on.)
pub fn sum_on_threads(
    numbers: &[u64],
    threads: usize,
    sum_part: impl Fn(&[u64]) -> u64 + Sync,
) -> u64 {
    // TODO: everything is summed on the calling thread, in one part. Split `numbers` into parts
    // (`numbers.chunks(size)` with `size` rounded up, never 0), sum each part on a thread
    // started with `std::thread::scope(|s| ...)` and `s.spawn`, and add up what the threads
    // return.
    let _ = threads; // (this line only silences the warning about an unused `threads`)
    sum_part(numbers)
}

#[cfg(test)]
#[path = "../checks.rs"]
mod checks;
