//! The checks of `parallel-sum`. `cargo xtask verify parallel-sum` runs them; they are ignored by a
//! plain `cargo test` so that the course's own test suite passes before you start.
//!
//! Your function runs in a rayon pool of four threads, with a `leaf` of the checks' own: it sums
//! the piece it gets, notes its size, and notes the thread. The first thread to sum a piece waits
//! (at most two seconds) for another thread to sum one too, so halves that could be summed at the
//! same time are, and a function that keeps every piece on one thread is seen to.

use std::sync::{Mutex, PoisonError};

#[path = "../two_threads.rs"]
mod two_threads;
use two_threads::{Meeting, in_a_pool_of_four};

use super::{CUTOFF, sum_in_parallel};

/// The sum, and the size of every piece `leaf` was given; with a meeting, `leaf` also notes the
/// threads (and the first one waits for a second).
fn sum_noting_pieces(numbers: &[u64], meeting: Option<&Meeting>) -> (u64, Vec<usize>) {
    let pieces = Mutex::new(Vec::new());
    let leaf = |piece: &[u64]| {
        if let Some(meeting) = meeting {
            meeting.arrive();
        }
        pieces
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .push(piece.len());
        piece.iter().sum()
    };
    let sum = in_a_pool_of_four(|| sum_in_parallel(numbers, &leaf));
    (
        sum,
        pieces.into_inner().unwrap_or_else(PoisonError::into_inner),
    )
}

#[test]
#[ignore = "checked by cargo xtask verify"]
fn the_sum_is_right_for_every_length() {
    for length in [0, 1, 2, 999, 1000, 1001, 2047, 4096, 12_345] {
        let numbers: Vec<u64> = (0..length as u64).map(|n| n * 7 % 1001).collect();
        let (sum, pieces) = sum_noting_pieces(&numbers, None);
        assert_eq!(
            sum,
            numbers.iter().sum::<u64>(),
            "the sum of {length} numbers is wrong"
        );
        assert_eq!(
            pieces.iter().sum::<usize>(),
            length,
            "for {length} numbers, leaf was given {} numbers in all: every number must be in \
             exactly one piece",
            pieces.iter().sum::<usize>()
        );
    }
}

#[test]
#[ignore = "checked by cargo xtask verify"]
fn no_piece_is_longer_than_the_cutoff_and_none_is_needlessly_small() {
    let numbers: Vec<u64> = (0..20_000).collect();
    let (_, pieces) = sum_noting_pieces(&numbers, None);
    let longest = pieces.iter().max().copied().unwrap_or(0);
    assert!(
        longest <= CUTOFF,
        "leaf was given a piece of {longest} numbers, longer than CUTOFF ({CUTOFF}): split \
         until a piece has at most CUTOFF numbers"
    );
    // Halving 20 000 numbers down to CUTOFF makes 32 pieces; a task for every few numbers makes
    // thousands, and each costs more than the additions it saves.
    let most = 2 * numbers.len() / CUTOFF + 2;
    assert!(
        pieces.len() <= most,
        "leaf was called {} times for {} numbers: the pieces are far smaller than they need to \
         be. Stop splitting as soon as a piece has at most CUTOFF ({CUTOFF}) numbers",
        pieces.len(),
        numbers.len()
    );
}

#[test]
#[ignore = "checked by cargo xtask verify"]
fn the_halves_are_summed_on_more_than_one_thread() {
    let meeting = Meeting::default();
    let numbers: Vec<u64> = (0..20_000).collect();
    let (sum, _) = sum_noting_pieces(&numbers, Some(&meeting));
    assert_eq!(sum, numbers.iter().sum::<u64>());
    assert!(
        meeting.threads() >= 2,
        "every piece was summed by one thread, though four were there to share the work: sum \
         the two halves with `rayon::join(|| sum_in_parallel(left, leaf), || \
         sum_in_parallel(right, leaf))`, not one after the other"
    );
}
