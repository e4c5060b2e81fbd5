//! The checks of `max-counter`. `cargo xtask verify max-counter` runs them; they are ignored by
//! a plain `cargo test` so that the course's own test suite passes before you start.
//!
//! Each check is a loom model: loom runs the closure again and again, once for every way the
//! threads' steps can interleave (up to a bound that keeps each check to a few seconds; see
//! `course_checks::loom`, in `lessons/checks`). After every `record`, the thread that called it reads `max()`: a
//! maximum that went down was stored over, one that stayed below a value just recorded was
//! given up on (or stored over, in a file without a compare-exchange).

use course_checks::lesson_08::{assert_loom_sees_every_step, explaining_loom_failures};
use course_checks::seeded::Seeded;
use loom::sync::Arc;
use loom::thread;

use course_checks::file_under_check;
use course_checks::loom::{assert_is_looms, explore, run_once};

use super::MaxCounter;

/// What a `record` that never returns means here.
const NEVER_RETURNS: &str = "Here that is record(): a retry loop that tries the same \
    compare_exchange again, with the `current` it had, fails for ever once another thread has \
    changed the maximum. When it fails, it returns `Err(actual)`, the value there now: compare \
    your value with that one, and try again with it as `current`.";

/// Fails unless loom sees every step of your file: its atomics are loom's under test, and it
/// uses no piece of std that loom cannot see.
fn loom_sees_your_file() {
    let file = file_under_check!();
    assert_loom_sees_every_step(&file);
    assert_is_looms::<super::AtomicU64>(
        &file,
        "AtomicU64",
        "use loom::sync::atomic::{AtomicU64, Ordering};",
    );
}

/// One execution: what each thread read from `max()` right after each of its `record`s, and
/// `max()` after all of them were joined.
struct Execution {
    read_after_each_record: Vec<Vec<u64>>,
    at_the_end: u64,
}

/// Runs the threads under every interleaving loom tries; each inner list is what one thread
/// records, in order, and each execution is checked as soon as it ends (loom stops at the first
/// that fails). With `only_the_first_reads`, the other threads do not read `max()` after their
/// records (fewer steps for loom to interleave).
fn check_no_maximum_is_lost(threads: &'static [&'static [u64]], only_the_first_reads: bool) {
    loom_sees_your_file();
    let text = file_under_check!().text;
    let retries = ["compare_exchange", "fetch_update"]
        .iter()
        .any(|method| text.contains(method));
    explaining_loom_failures(NEVER_RETURNS, || {
        explore(move || {
            let counter = Arc::new(MaxCounter::new());
            let handles: Vec<_> = threads
                .iter()
                .enumerate()
                .map(|(index, values)| {
                    let counter = Arc::clone(&counter);
                    let reads = index == 0 || !only_the_first_reads;
                    thread::spawn(move || {
                        let mut read_after_each_record = Vec::new();
                        for value in *values {
                            counter.record(*value);
                            if reads {
                                read_after_each_record.push(counter.max());
                            }
                        }
                        read_after_each_record
                    })
                })
                .collect();
            let read_after_each_record = handles.into_iter().map(|h| h.join().unwrap()).collect();
            let execution = Execution {
                read_after_each_record,
                at_the_end: counter.max(),
            };
            check_execution(threads, retries, &execution);
        });
    });
}

/// What one execution shows, the worst mistake first. `retries`: the file has a
/// compare-exchange (or `fetch_update`), so a value that never made it was given up on rather
/// than stored over.
fn check_execution(threads: &[&[u64]], retries: bool, execution: &Execution) {
    let largest = threads
        .iter()
        .flat_map(|values| values.iter())
        .max()
        .copied()
        .unwrap_or(0);
    let end = execution.at_the_end;
    assert!(
        end <= largest,
        "max() is {end} after threads recorded {threads:?}, larger than any value recorded: \
         record() must store the value itself (compare and store, or `fetch_max`), not add to \
         the maximum"
    );
    // A maximum that went down: a thread read it, and later it or the main thread (after the
    // join) read a smaller one. Some store put a smaller value over a larger one.
    for (values, reads) in threads.iter().zip(&execution.read_after_each_record) {
        let mut highest = 0;
        for now in reads.iter().chain([&end]) {
            assert!(
                *now >= highest,
                "the maximum went down from {highest} to {now} while threads recorded \
                 {threads:?} (a thread that recorded {values:?} read it): a smaller value was \
                 stored over a larger one. A thread compared its value with an old maximum, \
                 another thread stored a larger one, and then the first stored its own over it \
                 (or put back a value it had swapped out). Compare and store in one step: \
                 `fetch_max`, or a compare_exchange loop"
            );
            highest = highest.max(*now);
        }
    }
    // A value that never made it: right after record(value) returned, max() was smaller.
    for (values, reads) in threads.iter().zip(&execution.read_after_each_record) {
        for (value, read) in values.iter().zip(reads) {
            if read >= value {
                continue;
            }
            let what_happened = if retries {
                format!(
                    "record() gave up without storing {value}. Its compare_exchange failed \
                     because another thread had just stored {read}, and nothing tried again. A \
                     failed compare_exchange returns `Err(actual)`, the value there now: compare \
                     with it and try again, for as long as it takes (no limit on the tries), \
                     until your value is no longer larger or the exchange succeeds"
                )
            } else {
                format!(
                    "a smaller value was stored over {value} (a store or swap of {read} after \
                     yours). Compare and store in one step: `fetch_max`, or a compare_exchange \
                     loop"
                )
            };
            panic!(
                "record({value}) returned, but max() right after it was {read}, while threads \
                 recorded {threads:?}: {what_happened}"
            );
        }
    }
    assert_eq!(
        end, largest,
        "the largest value recorded was {largest}, but max() is {end} after threads recorded \
         {threads:?}"
    );
}

#[test]
#[ignore = "checked by cargo xtask verify"]
fn two_threads_one_value_each() {
    check_no_maximum_is_lost(&[&[5], &[7]], false);
}

#[test]
#[ignore = "checked by cargo xtask verify"]
fn two_threads_two_values_each() {
    check_no_maximum_is_lost(&[&[3, 9], &[8, 4]], false);
}

/// One thread records the largest value while three others each store a smaller one, one after
/// another: its compare-exchange can fail three times in a row, and it must still get there.
/// It runs last (by name): the two-thread checks name most mistakes with fewer steps. Only the
/// thread of the largest value reads `max()` after its record, which keeps the search short.
/// (Four threads on a machine with fewer cores, and every mistake of three threads shows here
/// too: a swap put back over a larger value.)
#[test]
#[ignore = "checked by cargo xtask verify"]
fn with_four_threads_one_value_tries_three_times() {
    check_no_maximum_is_lost(&[&[10], &[1], &[2], &[3]], true);
}

#[test]
#[ignore = "checked by cargo xtask verify"]
fn one_thread_keeps_the_largest() {
    loom_sees_your_file();
    let mut random = Seeded::new();
    let seed = random.seed();
    let drawn: Vec<u64> = (0..6).map(|_| random.between(0, 1_000_000)).collect();
    let sequences = [
        vec![4, 9, 2],
        vec![0],
        vec![0, 0, 0],
        vec![u64::MAX, 3],
        vec![1, u64::MAX],
        drawn,
    ];
    for values in sequences {
        explaining_loom_failures(NEVER_RETURNS, || {
            run_once(move || {
                let counter = MaxCounter::new();
                assert_eq!(counter.max(), 0, "max() before any record() must be 0");
                for value in &values {
                    counter.record(*value);
                }
                let largest = values.iter().max().copied().unwrap_or(0);
                assert_eq!(
                    counter.max(),
                    largest,
                    "one thread recorded {values:?}: the largest is {largest} (seed {seed})"
                );
            });
        });
    }
}
