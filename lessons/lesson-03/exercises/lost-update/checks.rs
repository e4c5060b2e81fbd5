//! The checks of `lost-update`. `cargo xtask verify lost-update` runs them; they are ignored by a
//! plain `cargo test` so that the course's own test suite passes before you start.
//!
//! Each check is a loom model: loom runs the closure again and again, once for every way the
//! threads' steps can interleave, and fails on the first interleaving that breaks an assertion.
//!
//! loom tries every interleaving with up to two preemptions (see `course_checks::loom`, in `lessons/checks`): each
//! check of a correct answer takes well under a second, so `verify` finishes in about one.

use loom::sync::Arc;
use loom::thread;

use course_checks::file_under_check;
use course_checks::loom::{assert_is_looms, explore, run_once};

use super::HitCounter;

/// Runs `threads` threads that each record `hits_each` hits, under every interleaving, and
/// checks that no hit is lost.
fn check_no_hit_is_lost(threads: usize, hits_each: u64) {
    explore(move || {
        let counter = Arc::new(HitCounter::new());
        let handles: Vec<_> = (0..threads)
            .map(|_| {
                let counter = Arc::clone(&counter);
                thread::spawn(move || {
                    for _ in 0..hits_each {
                        counter.record_hit();
                    }
                })
            })
            .collect();
        for handle in handles {
            handle.join().unwrap();
        }
        let expected = threads as u64 * hits_each;
        assert_eq!(
            counter.hits(),
            expected,
            "{threads} threads recorded {hits_each} hit(s) each, but the counter shows {}: in \
             this interleaving a hit was lost (two threads read the same count and both wrote \
             it back plus one, or an update that found the count changed gave up instead of \
             trying again)",
            counter.hits()
        );
    });
}

/// The checks see your races only through loom's atomics.
fn your_types_are_looms() {
    assert_is_looms::<super::AtomicU64>(
        &file_under_check!(),
        "AtomicU64",
        "use loom::sync::atomic::{AtomicU64, Ordering};",
    );
}

#[test]
#[ignore = "checked by cargo xtask verify"]
fn two_threads_one_hit_each() {
    your_types_are_looms();
    check_no_hit_is_lost(2, 1);
}

#[test]
#[ignore = "checked by cargo xtask verify"]
fn two_threads_two_hits_each() {
    your_types_are_looms();
    check_no_hit_is_lost(2, 2);
}

#[test]
#[ignore = "checked by cargo xtask verify"]
fn three_threads_one_hit_each() {
    your_types_are_looms();
    check_no_hit_is_lost(3, 1);
}

#[test]
#[ignore = "checked by cargo xtask verify"]
fn one_thread_counts_every_hit() {
    your_types_are_looms();
    run_once(|| {
        let counter = HitCounter::new();
        for _ in 0..3 {
            counter.record_hit();
        }
        assert_eq!(counter.hits(), 3);
    });
}
