//! How the loom checks of the exercises run a model (lessons 03, 04 and 07): one file, included by
//! each exercise's `checks.rs` with `#[path]`.
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

// Only the file's path and text are needed here.
#[allow(dead_code)]
#[path = "source_checks.rs"]
mod source_checks;
use source_checks::file_under_check;

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

/// Fails unless `T`, a type the learner's file names (such as `super::Mutex<i64>`), is loom's.
/// With std's type in its place, loom cannot pause the code between two steps, and the checks
/// would pass without having tried a single interleaving of it.
pub fn assert_is_looms<T: ?Sized>(name_in_your_file: &str, loom_import: &str) {
    let actual = type_name::<T>();
    assert!(
        actual.starts_with("loom::"),
        "under test, `{name_in_your_file}` in your file is `{actual}`, not loom's: the checks \
         cannot try the interleavings of std's types, so they would pass code with a race. \
         Keep the course's imports at the top of your file, `#[cfg(test)] {loom_import}` (and \
         std's under `#[cfg(not(test))]`); the rest of your code stays the same"
    );
    assert_no_std_sync_type_under_test(loom_import);
}

/// Fails if the file under check names one of std's synchronisation types anywhere but in an
/// import kept for `#[cfg(not(test))]`. The type check above sees the name the course imports; a
/// field written as `std::sync::Mutex<i64>` in full would be std's under test while that name
/// is still loom's, and the checks would pass it blind.
fn assert_no_std_sync_type_under_test(loom_import: &str) {
    let (path, text) = file_under_check();
    if let Some((line, code)) = std_sync_outside_the_std_import(&text) {
        panic!(
            "line {line} of {path} names std's synchronisation type: `{code}`. Under test, loom \
             cannot pause std's types between two steps, so the checks would try none of the \
             interleavings of that code. Use the name the course imports (`{loom_import}` under \
             test, std's under `#[cfg(not(test))]`), not a full `std::sync::` path"
        );
    }
}

/// The first line (numbered from 1, without its comment) that names a type of `std::sync` other
/// than `Arc` and `Ordering`, unless it is an import right under `#[cfg(not(test))]`. `Arc` and
/// the atomic `Ordering` are allowed: loom needs neither to be its own to interleave the code.
fn std_sync_outside_the_std_import(text: &str) -> Option<(usize, String)> {
    let mut previous = "";
    for (index, line) in text.lines().enumerate() {
        let code = line.split("//").next().unwrap_or_default().trim();
        let kept_for_std = (previous == "#[cfg(not(test))]" && code.starts_with("use "))
            || code.starts_with("#[cfg(not(test))] use ");
        if !kept_for_std && names_a_std_sync_type(code) {
            return Some((index + 1, code.to_string()));
        }
        if !code.is_empty() {
            previous = code;
        }
    }
    None
}

fn names_a_std_sync_type(code: &str) -> bool {
    let harmless = |item: &str| {
        let item = item.trim().trim_start_matches("atomic::");
        let first = item.split("::").next().unwrap_or_default();
        matches!(first, "Arc" | "Ordering" | "self" | "")
    };
    ["std::sync::", "core::sync::"].iter().any(|prefix| {
        code.match_indices(prefix).any(|(at, _)| {
            let rest = code[at + prefix.len()..].trim_start_matches("atomic::");
            if let Some(group) = rest.strip_prefix('{') {
                let group = group.split('}').next().unwrap_or_default();
                !group.split(',').all(harmless)
            } else {
                let path: String = rest
                    .chars()
                    .take_while(|c| c.is_alphanumeric() || *c == '_' || *c == ':')
                    .collect();
                !harmless(&path)
            }
        })
    })
}
