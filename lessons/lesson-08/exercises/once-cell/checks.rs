//! The checks of `once-cell`. `cargo xtask verify once-cell` runs them; they are ignored by
//! a plain `cargo test` so that the course's own test suite passes before you start.
//!
//! Each check is a loom model: loom runs the closure again and again, once for every way the
//! threads' steps can interleave and every value each load may return (up to a bound that keeps
//! each check to a few seconds; see `course_checks::loom`, in `lessons/checks`), and collects what the threads saw
//! in each run. The values change from run to run (the message prints the seed), and include
//! 0 and `u64::MAX`: any `u64` can be the cell's value.
//!
//! Nothing here asks `set` or `get` to wait: `get` says `None` while a `set` is still writing,
//! and a losing `set` may return at once or wait for the winner to finish.

use std::collections::BTreeSet;

use course_checks::lesson_08::{self, assert_loom_sees_every_step, explaining_loom_failures};
use course_checks::seeded::Seeded;
use loom::sync::Arc;
use loom::thread;

use course_checks::file_under_check;
use course_checks::loom::{assert_is_looms, run_once};

use super::OnceValue;

/// What a thread that never finishes means here.
const NEVER_RETURNS: &str = "Here that is set() or get(): get() returns None at once while the \
    cell is empty or still being written, and a set() that waits for another one to finish \
    must wait only while that one is writing (and call `thread::yield_now()` in its loop, with \
    `thread` imported like the atomics).";

/// Fails unless loom sees every step of your file: its atomics are loom's under test, and it
/// uses no piece of std that loom cannot see.
fn loom_sees_your_file() {
    let file = file_under_check!();
    assert_loom_sees_every_step(&file);
    let import = "use loom::sync::atomic::{AtomicU8, AtomicU64, Ordering};";
    assert_is_looms::<super::AtomicU8>(&file, "AtomicU8", import);
    assert_is_looms::<super::AtomicU64>(&file, "AtomicU64", import);
}

/// Runs `model` under every interleaving loom tries and returns every distinct result.
fn every_outcome<T: Ord + Send + 'static>(
    model: impl Fn() -> T + Send + Sync + 'static,
) -> BTreeSet<T> {
    loom_sees_your_file();
    lesson_08::every_outcome(NEVER_RETURNS, model)
}

/// Two different values for two threads, one drawn per run, and the seed.
fn two_values() -> ([u64; 2], u64) {
    let mut random = Seeded::new();
    let drawn = random.between(3, u64::MAX - 1);
    ([drawn, 2], random.seed())
}

/// Two threads call `set` at the same time; both results and what `get` says afterwards.
type TwoSets = (Result<(), u64>, Result<(), u64>, Option<u64>);

#[test]
#[ignore = "checked by cargo xtask verify"]
fn of_two_threads_that_set_at_once_exactly_one_wins() {
    let (drawn, seed) = two_values();
    for [a, b] in [[1, 2], [0, u64::MAX], drawn] {
        let outcomes: BTreeSet<TwoSets> = every_outcome(move || {
            let cell = Arc::new(OnceValue::new());
            let [first, second] = [a, b].map(|value| {
                let cell = Arc::clone(&cell);
                thread::spawn(move || cell.set(value))
            });
            let first = first.join().unwrap();
            let second = second.join().unwrap();
            (first, second, cell.get())
        });
        for (first, second, after) in outcomes {
            let (winner, loser, given_back) = match (first, second) {
                (Ok(()), Ok(())) => panic!(
                    "both set() calls succeeded: set({a}) and set({b}) each found the cell \
                     empty, so the value was set twice (get() then said {after:?}). Checking \
                     that the cell is empty and claiming it must be one step: \
                     `compare_exchange(EMPTY, WRITING, …)` succeeds for one thread only"
                ),
                (Err(_), Err(_)) => panic!(
                    "neither set({a}) nor set({b}) succeeded on an empty cell: one of them \
                     must win"
                ),
                (Ok(()), Err(given_back)) => (a, b, given_back),
                (Err(given_back), Ok(())) => (b, a, given_back),
            };
            assert_eq!(
                given_back, loser,
                "set({winner}) won and set({loser}) lost, but the losing set() returned \
                 Err({given_back}): it must give back its own value, Err({loser}) (seed {seed})"
            );
            assert_eq!(
                after,
                Some(winner),
                "set({winner}) won and set({loser}) lost, but get() after both returned \
                 {after:?}: the loser must leave the cell as the winner made it (a swap, or a \
                 store, by the loser changes the state even when it gives up) (seed {seed})"
            );
        }
    }
}

#[test]
#[ignore = "checked by cargo xtask verify"]
fn a_reader_that_sees_the_cell_full_sees_its_value() {
    let (drawn, seed) = two_values();
    for value in [7, u64::MAX, drawn[0]] {
        let outcomes = every_outcome(move || {
            let cell = Arc::new(OnceValue::new());
            let setter = {
                let cell = Arc::clone(&cell);
                thread::spawn(move || cell.set(value))
            };
            let reader = {
                let cell = Arc::clone(&cell);
                thread::spawn(move || cell.get())
            };
            assert_eq!(
                setter.join().unwrap(),
                Ok(()),
                "set() on an empty cell must succeed"
            );
            reader.join().unwrap()
        });
        for seen in &outcomes {
            assert!(
                seen.is_none() || *seen == Some(value),
                "get() returned {seen:?} while set({value}) ran: the cell looked full before \
                 its value was there (seed {seed}). Either the cell is marked full before the \
                 value is stored (claim it as WRITING, store the value, and only then mark it \
                 FULL; get() says None unless the state is FULL), or nothing orders the store \
                 of the value before get()'s load of it: store FULL with Release, and load the \
                 state in get() with Acquire"
            );
        }
        assert!(
            outcomes.contains(&None) && outcomes.contains(&Some(value)),
            "get() should be None before set({value}) and Some({value}) after it; loom saw \
             {outcomes:?} (seed {seed})"
        );
    }
}

#[test]
#[ignore = "checked by cargo xtask verify"]
fn a_cell_set_by_one_thread_keeps_its_first_value() {
    loom_sees_your_file();
    let (drawn, seed) = two_values();
    for (first, second) in [(1, 2), (0, 5), (u64::MAX, 0), (drawn[0], drawn[1])] {
        explaining_loom_failures(NEVER_RETURNS, || {
            run_once(move || {
                let cell = OnceValue::new();
                assert_eq!(cell.get(), None, "get() before any set() must be None");
                assert_eq!(
                    cell.set(first),
                    Ok(()),
                    "the first set() must succeed: set({first}) on an empty cell returned an \
                     error (seed {seed})"
                );
                assert_eq!(
                    cell.get(),
                    Some(first),
                    "after set({first}), get() must return Some({first}): any u64 can be the \
                     value, 0 and u64::MAX too, so no value can stand for \"empty\" (seed {seed})"
                );
                assert_eq!(
                    cell.set(second),
                    Err(second),
                    "a second set() must give its value back: after set({first}), \
                     set({second}) must return Err({second}) (seed {seed})"
                );
                assert_eq!(
                    cell.get(),
                    Some(first),
                    "a second set() must not change the cell: after set({first}) and \
                     set({second}), get() must return Some({first}). The loser must leave the \
                     cell as the winner made it (a swap, or a store, by the loser changes the \
                     state even when it gives up) (seed {seed})"
                );
            });
        });
    }
}
