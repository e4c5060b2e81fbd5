//! The checks of `max-counter`. `cargo xtask verify max-counter` runs them; they are ignored by
//! a plain `cargo test` so that the course's own test suite passes before you start.
//!
//! Each check is a loom model: loom runs the closure again and again, once for every way the
//! threads' steps can interleave, and collects the maximum
//! that each run ended with.

use std::collections::BTreeSet;

use loom::sync::Arc;
use loom::thread;

use super::MaxCounter;

/// Runs `model` under loom (at most three preemptions per run: enough, and quick) and returns
/// every distinct result, after checking that loom really had choices to make.
fn every_outcome<T: Ord + Send + 'static>(
    model: impl Fn() -> T + Send + Sync + 'static,
) -> BTreeSet<T> {
    let seen = std::sync::Arc::new(std::sync::Mutex::new((0_u32, BTreeSet::new())));
    let seen_in_model = std::sync::Arc::clone(&seen);
    let mut builder = loom::model::Builder::new();
    builder.preemption_bound = Some(3);
    builder.check(move || {
        let outcome = model();
        let mut seen = seen_in_model.lock().unwrap();
        seen.0 += 1;
        seen.1.insert(outcome);
    });
    let (runs, outcomes) = std::mem::take(&mut *seen.lock().unwrap());
    assert!(
        runs > 1,
        "loom ran the model {runs} time(s), so it checked nothing: keep the `#[cfg(test)]` import of \
         loom's atomics at the top of your file (std's atomics are invisible to loom)"
    );
    outcomes
}

/// Each inner list is what one thread records, in order; returns every maximum that loom saw
/// `max()` end with after all threads were joined.
fn final_maxima(threads: &'static [&'static [u64]]) -> BTreeSet<u64> {
    every_outcome(move || {
        let counter = Arc::new(MaxCounter::new());
        let handles: Vec<_> = threads
            .iter()
            .map(|values| {
                let counter = Arc::clone(&counter);
                thread::spawn(move || {
                    for value in *values {
                        counter.record(*value);
                    }
                })
            })
            .collect();
        for handle in handles {
            handle.join().unwrap();
        }
        counter.max()
    })
}

fn check_no_maximum_is_lost(threads: &'static [&'static [u64]]) {
    let largest = threads
        .iter()
        .flat_map(|values| values.iter())
        .max()
        .copied();
    let largest = largest.unwrap_or(0);
    let maxima = final_maxima(threads);
    for max in maxima {
        assert_eq!(
            max, largest,
            "the largest value recorded was {largest}, but max() is {max} after threads recorded \
             {threads:?}: in this interleaving a thread compared its value with an old maximum \
             and then stored it over a larger one"
        );
    }
}

#[test]
#[ignore = "checked by cargo xtask verify"]
fn two_threads_one_value_each() {
    check_no_maximum_is_lost(&[&[5], &[7]]);
}

#[test]
#[ignore = "checked by cargo xtask verify"]
fn two_threads_two_values_each() {
    check_no_maximum_is_lost(&[&[3, 9], &[8, 4]]);
}

#[test]
#[ignore = "checked by cargo xtask verify"]
fn three_threads_one_value_each() {
    check_no_maximum_is_lost(&[&[2], &[6], &[4]]);
}

#[test]
#[ignore = "checked by cargo xtask verify"]
fn one_thread_keeps_the_largest() {
    loom::model(|| {
        let counter = MaxCounter::new();
        assert_eq!(counter.max(), 0, "max() before any record() must be 0");
        for value in [4, 9, 2] {
            counter.record(value);
        }
        assert_eq!(counter.max(), 9, "recorded 4, 9, 2: the largest is 9");
    });
}

fn type_name_of<T>(_: &T) -> &'static str {
    std::any::type_name::<T>()
}

/// loom sees only its own atomics: with std's, every check above would pass without checking.
#[test]
#[ignore = "checked by cargo xtask verify"]
fn the_checks_see_loom_s_atomics() {
    loom::model(|| {
        let counter = MaxCounter::new();
        let name = type_name_of(&counter.max);
        assert!(
            name.starts_with("loom::"),
            "under #[cfg(test)] your file uses {name}, which loom cannot see, so the other \
             checks prove nothing: keep the shipped `#[cfg(test)] use loom::sync::atomic::...` \
             at the top of your file"
        );
    });
}
