//! The checks of `once-cell`. `cargo xtask verify once-cell` runs them; they are ignored by
//! a plain `cargo test` so that the course's own test suite passes before you start.
//!
//! Each check is a loom model: loom runs the closure again and again, once for every way the
//! threads' steps can interleave and every value each load may return, and collects what the
//! threads saw in each run.

use std::collections::BTreeSet;

use loom::sync::Arc;
use loom::thread;

use super::OnceValue;

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

/// Two threads call `set` at the same time; returns both results and what `get` says afterwards.
type TwoSets = (Result<(), u64>, Result<(), u64>, Option<u64>);

#[test]
#[ignore = "checked by cargo xtask verify"]
fn of_two_threads_that_set_at_once_exactly_one_wins() {
    let outcomes: BTreeSet<TwoSets> = every_outcome(|| {
        let cell = Arc::new(OnceValue::new());
        let [first, second] = [1, 2].map(|value| {
            let cell = Arc::clone(&cell);
            thread::spawn(move || cell.set(value))
        });
        let first = first.join().unwrap();
        let second = second.join().unwrap();
        (first, second, cell.get())
    });
    for (first, second, after) in outcomes {
        match (first, second) {
            (Ok(()), Ok(())) => panic!(
                "both set() calls succeeded: set(1) and set(2) each found the cell empty, so \
                 the value was set twice (get() then said {after:?}). Checking that the cell \
                 is empty and claiming it must be one step"
            ),
            (Err(_), Err(_)) => panic!("neither set(1) nor set(2) succeeded on an empty cell"),
            (Ok(()), Err(lost)) | (Err(lost), Ok(())) => {
                let winner = 3 - lost;
                assert_eq!(
                    lost,
                    if first.is_ok() { 2 } else { 1 },
                    "the losing set() must give back its own value"
                );
                assert_eq!(
                    after,
                    Some(winner),
                    "set({winner}) won, but get() after both returned {after:?}"
                );
            }
        }
    }
}

#[test]
#[ignore = "checked by cargo xtask verify"]
fn a_reader_that_sees_the_cell_full_sees_its_value() {
    let outcomes = every_outcome(|| {
        let cell = Arc::new(OnceValue::new());
        let setter = {
            let cell = Arc::clone(&cell);
            thread::spawn(move || cell.set(7).unwrap())
        };
        let reader = {
            let cell = Arc::clone(&cell);
            thread::spawn(move || cell.get())
        };
        setter.join().unwrap();
        reader.join().unwrap()
    });
    for seen in &outcomes {
        assert!(
            matches!(seen, None | Some(7)),
            "get() returned {seen:?} while set(7) ran: the cell looked full but its value was \
             old data. Nothing orders the store of the value before the load of it: the state \
             must carry that order, from the store that marks the cell full to the load in get()"
        );
    }
    assert!(
        outcomes.contains(&None) && outcomes.contains(&Some(7)),
        "get() should be None before set(7) and Some(7) after it; loom saw {outcomes:?}"
    );
}

#[test]
#[ignore = "checked by cargo xtask verify"]
fn one_thread_sets_once_and_reads_it_back() {
    loom::model(|| {
        let cell = OnceValue::new();
        assert_eq!(cell.get(), None, "get() before any set() must be None");
        assert_eq!(cell.set(1), Ok(()), "the first set() must succeed");
        assert_eq!(cell.get(), Some(1));
        assert_eq!(
            cell.set(2),
            Err(2),
            "a second set() must give its value back"
        );
        assert_eq!(
            cell.get(),
            Some(1),
            "a second set() must not change the value"
        );
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
        let cell = OnceValue::new();
        for name in [type_name_of(&cell.state), type_name_of(&cell.value)] {
            assert!(
                name.starts_with("loom::"),
                "under #[cfg(test)] your file uses {name}, which loom cannot see, so the other \
                 checks prove nothing: keep the shipped `#[cfg(test)] use loom::sync::atomic::...` \
                 at the top of your file"
            );
        }
    });
}
