//! How the loom checks of the exercises run a model (lessons 03, 04, 07 and 08).
//!
//! Two things a plain `loom::model` does not do. It bounds the search, so that any correct answer
//! is checked in seconds: a retry loop (`compare_exchange`, `fetch_update`) has millions of
//! interleavings, but every bug of these exercises shows with at most two preemptions. And it
//! makes sure loom really sees the learner's code: loom interleaves only its own types, so a
//! file that uses std's `Mutex` or atomics under test would pass every check untried.
//!
//! How long a check takes: well under a second for any correct answer (the slowest, three
//! threads each retrying a `compare_exchange`, explores about 1,600 interleavings). A check
//! still running after verify's 20 s has found a thread that never stops.

use std::any::type_name;
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};

use crate::source::{FileUnderCheck, in_place, std_paths_under_test};

/// Preemptions loom tries per execution: enough for every race and deadlock of the exercises
/// (three philosophers need two), few enough for seconds. `LOOM_MAX_PREEMPTIONS` overrides it.
const PREEMPTIONS: usize = 2;

fn builder() -> loom::model::Builder {
    let mut builder = loom::model::Builder::new();
    if std::env::var_os("LOOM_MAX_PREEMPTIONS").is_none() {
        builder.preemption_bound = Some(PREEMPTIONS);
    }
    // Record where each thread blocked, so that a deadlock names the line of the learner's file.
    builder.location = true;
    builder
}

/// Runs `model` under every interleaving loom tries (within the bound), and fails if loom tried
/// only one: then there was nothing concurrent for it to explore.
pub fn explore(model: impl Fn() + Sync + Send + 'static) {
    let executions = Arc::new(AtomicUsize::new(0));
    let counter = Arc::clone(&executions);
    builder().check(move || {
        counter.fetch_add(1, Ordering::Relaxed);
        model();
    });
    let executions = executions.load(Ordering::Relaxed);
    assert!(
        executions > 1,
        "loom ran this check in only {executions} interleaving, so it tried none of the ways \
         your threads can meet: under test, your code must use the course's loom types"
    );
}

/// Runs a model with a single thread once: loom's types only work inside a model.
pub fn run_once(model: impl Fn() + Sync + Send + 'static) {
    builder().check(model);
}

/// Fails unless `T`, a type the learner's `file` names (such as `super::Mutex<i64>`), is loom's.
/// With std's type in its place, loom cannot pause the code between two steps, and the checks
/// would pass without having tried a single interleaving of it.
pub fn assert_is_looms<T: ?Sized>(
    file: &FileUnderCheck,
    name_in_your_file: &str,
    loom_import: &str,
) {
    let actual = type_name::<T>();
    assert!(
        actual.starts_with("loom::"),
        "under test, `{name_in_your_file}` in your file is `{actual}`, not loom's: the checks \
         cannot try the interleavings of std's types, so they would pass code with a race. \
         Keep the course's imports at the top of your file, `#[cfg(test)] {loom_import}` (and \
         std's under `#[cfg(not(test))]`); the rest of your code stays the same"
    );
    assert_no_std_sync_type_under_test(file, loom_import);
}

/// Fails if the file under check names one of std's synchronisation types anywhere but in an
/// item kept for `#[cfg(not(test))]`. The type check above sees the name the course imports; a
/// field written as `std::sync::Mutex<i64>` in full would be std's under test while that name
/// is still loom's, and the checks would pass it blind.
fn assert_no_std_sync_type_under_test(file: &FileUnderCheck, loom_import: &str) {
    if let Some(found) = std_paths_under_test(&file.text)
        .into_iter()
        .find(|found| names_a_std_sync_type(&found.path))
    {
        let place = in_place(&found.place, &file.path);
        panic!(
            "{place} names std's synchronisation type: `{}`. Under test, loom cannot pause \
             std's types between two steps, so the checks would try none of the \
             interleavings of that code. Use the name the course imports (`{loom_import}` under \
             test, std's under `#[cfg(not(test))]`), not a full `std::sync::` path",
            found.path
        );
    }
}

/// Whether `path` is a type of `std::sync` other than `Arc` and the atomic `Ordering`: loom
/// needs neither to be its own to interleave the code.
fn names_a_std_sync_type(path: &str) -> bool {
    let Some(item) = ["std::sync::", "core::sync::"]
        .iter()
        .find_map(|prefix| path.strip_prefix(prefix))
    else {
        return false;
    };
    let item = item.strip_prefix("atomic::").unwrap_or(item);
    let first = item.split("::").next().unwrap_or_default();
    !matches!(first, "Arc" | "Ordering" | "self")
}

#[cfg(test)]
mod tests {
    use super::names_a_std_sync_type;

    #[test]
    fn arc_and_ordering_are_no_synchronisation_types() {
        for path in [
            "std::sync::Arc",
            "std::sync::atomic::Ordering",
            "core::sync::atomic::Ordering::SeqCst",
            "std::sync::self",
            "std::thread::spawn",
        ] {
            assert!(!names_a_std_sync_type(path), "{path}");
        }
        for path in [
            "std::sync::Mutex",
            "std::sync::atomic::AtomicU64",
            "core::sync::atomic::fence",
            "std::sync::atomic",
        ] {
            assert!(names_a_std_sync_type(path), "{path}");
        }
    }
}
