//! Exercise `scoped-sum` (lesson 01): reference solution.
//!
//! Sum a slice of numbers on several threads at once. Each thread sums one part of the slice by
//! calling `sum_part`; then the partial sums are added up. Scoped threads may borrow `numbers`,
//! so nothing needs to be copied or wrapped in an `Arc`.

use std::thread;

// ANCHOR: solution
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
    // Rounded up, so that there are never more parts than threads; at least 1, because
    // `chunks(0)` panics (and an empty slice has no parts at all).
    let size = numbers.len().div_ceil(threads).max(1);
    let sum_part = &sum_part;
    thread::scope(|s| {
        // Start every thread before joining any, or the parts are summed one after another.
        let handles: Vec<_> = numbers
            .chunks(size)
            .map(|part| s.spawn(move || sum_part(part)))
            .collect();
        handles.into_iter().map(|h| h.join().unwrap()).sum()
    })
}
// ANCHOR_END: solution

#[cfg(test)]
#[path = "../checks.rs"]
mod checks;
