//! What the checks of lesson 08's exercises share (publish-flag, once-cell, max-counter): they run
//! the learner's atomics under loom (through [`crate::loom`], which bounds the search),
//! and three things come on top of that.
//!
//! - [`std_item_loom_cannot_see`] reads the learner's file for a piece of std that loom does not
//!   replace under test: std's `fence`, `thread::yield_now` or `hint::spin_loop` written in full
//!   (or imported for the tests too). A fence loom cannot see orders nothing under loom, so a
//!   correct answer would be told it saw old data; a spin through std's `yield_now` never lets
//!   loom's other threads run. The message names the function, before any model runs.
//! - [`Outcomes`] collects what each execution of a model ended with, so that a check can look at
//!   all of them together and say which mistake they show.
//! - [`explaining_loom_failures`] turns loom's own reports ("Model exceeded maximum number of
//!   branches", "invalid internal loom state") into what they mean for the exercise.

use std::collections::BTreeSet;
use std::panic::{self, AssertUnwindSafe, PanicHookInfo};
use std::sync::{Arc, Mutex, Once, PoisonError};

use crate::source::{FileUnderCheck, in_place, std_paths_under_test};

/// A piece of std in the learner's file that loom cannot see under test.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StdItem {
    /// Where: `fn publish` (empty in a text that is not a whole file).
    pub place: String,
    /// The path as the file names it, `std::sync::atomic::fence`.
    pub path: String,
    /// What it is: `"fence"`, `"compiler_fence"`, `"thread"` or `"hint"`.
    pub item: &'static str,
}

impl StdItem {
    /// The message for a learner who wrote it in `path`.
    #[must_use]
    pub fn explain(&self, path: &str) -> String {
        let StdItem {
            place,
            path: code,
            item,
        } = self;
        let place = format!("{} uses std's `{item}`: `{code}`.", in_place(place, path));
        match *item {
            "fence" | "compiler_fence" => format!(
                "{place} loom sees only its own atomics and its own `fence`: under test, std's \
                 fence orders nothing, so loom would find old data that your fence does keep \
                 out. Import `fence` the way your file imports the atomics, in both lines: \
                 `#[cfg(test)] use loom::sync::atomic::{{…, fence}};` and \
                 `#[cfg(not(test))] use std::sync::atomic::{{…, fence}};`, and call \
                 `fence(Ordering::…)` (a `compiler_fence` orders nothing between threads: use \
                 `fence`)"
            ),
            "thread" => format!(
                "{place} Under test loom runs the threads, and it cannot see std's \
                 `thread::yield_now`: a loop that waits through it never lets loom's other \
                 threads run. Import `thread` like the course's atomics: \
                 `#[cfg(test)] use loom::thread;` and `#[cfg(not(test))] use std::thread;`, \
                 and call `thread::yield_now()`"
            ),
            _ => format!(
                "{place} Under test loom runs the threads, and it cannot see std's \
                 `hint::spin_loop`: a loop that waits through it never lets loom's other \
                 threads run. Import `hint` like the course's atomics: \
                 `#[cfg(test)] use loom::hint;` and `#[cfg(not(test))] use std::hint;`, and call \
                 `hint::spin_loop()`"
            ),
        }
    }
}

/// The first use in `text` of std's `fence`, `compiler_fence`, `thread` or `hint::spin_loop`
/// (through `std::` or `core::`) anywhere but in an item or statement kept for
/// `#[cfg(not(test))]`.
#[must_use]
pub fn std_item_loom_cannot_see(text: &str) -> Option<StdItem> {
    std_paths_under_test(text).into_iter().find_map(|found| {
        let item = std_item(&found.path)?;
        Some(StdItem {
            place: found.place,
            path: found.path,
            item,
        })
    })
}

/// Panics with what it means if the file under check uses a piece of std that loom cannot see.
pub fn assert_loom_sees_every_step(file: &FileUnderCheck) {
    if let Some(found) = std_item_loom_cannot_see(&file.text) {
        panic!("{}", found.explain(&file.path));
    }
}

/// Which piece of std that loom cannot see `path` is, if any.
fn std_item(path: &str) -> Option<&'static str> {
    let rest = path
        .strip_prefix("std::")
        .or_else(|| path.strip_prefix("core::"))?;
    let mut segments = rest.split("::");
    match (segments.next(), segments.next(), segments.next()) {
        (Some("sync"), Some("atomic"), Some("fence")) => Some("fence"),
        (Some("sync"), Some("atomic"), Some("compiler_fence")) => Some("compiler_fence"),
        (Some("thread"), _, _) => Some("thread"),
        // `std::hint::black_box` and the like are not waits: only a spin is loom's.
        (Some("hint"), None | Some("spin_loop" | "self" | "*"), _) => Some("hint"),
        _ => None,
    }
}

/// Runs `model` under every interleaving loom tries (through [`crate::loom::explore`]) and
/// returns every distinct result; `never_finishes` says what a thread that never finishes means
/// in the exercise (see [`explaining_loom_failures`]).
pub fn every_outcome<T: Ord + Send + 'static>(
    never_finishes: &str,
    model: impl Fn() -> T + Send + Sync + 'static,
) -> BTreeSet<T> {
    let outcomes = Outcomes::new();
    let seen = outcomes.clone();
    explaining_loom_failures(never_finishes, || {
        crate::loom::explore(move || seen.record(model()));
    });
    outcomes.take()
}

/// What every execution of a loom model ended with, without repeats, gathered from inside the
/// model (loom runs it again for each execution).
#[derive(Debug)]
pub struct Outcomes<T>(Arc<Mutex<BTreeSet<T>>>);

impl<T> Clone for Outcomes<T> {
    fn clone(&self) -> Self {
        Self(Arc::clone(&self.0))
    }
}

impl<T: Ord> Default for Outcomes<T> {
    fn default() -> Self {
        Self(Arc::new(Mutex::new(BTreeSet::new())))
    }
}

impl<T: Ord> Outcomes<T> {
    #[must_use]
    pub fn new() -> Self {
        Self::default()
    }

    /// Notes what one execution ended with.
    pub fn record(&self, outcome: T) {
        // Never poisoned: nothing panics while it is held. A learner's panic elsewhere must not
        // show up as a `PoisonError` of the checks.
        self.0
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .insert(outcome);
    }

    /// Everything noted so far.
    #[must_use]
    pub fn take(&self) -> BTreeSet<T> {
        std::mem::take(&mut *self.0.lock().unwrap_or_else(PoisonError::into_inner))
    }
}

/// Runs `explore` (a loom model) and, if loom itself gives up, panics with what that means
/// instead of loom's words:
///
/// - "Model exceeded maximum number of branches": a thread never finished, and
///   `never_finishes` says what that means in this exercise;
/// - "invalid internal loom state": a thread held two read guards of one loom `RwLock`;
/// - an assertion inside loom about its own version vectors: loom lost track of an atomic's
///   stores (it happens with many `SeqCst` stores to one atomic).
///
/// loom's own report is kept off the output, so that the explanation is the first message.
///
/// # Panics
/// With the explanation, or with whatever else `explore` panicked with. The panic is placed
/// at the caller (the check), not here.
#[track_caller]
pub fn explaining_loom_failures<T>(never_finishes: &str, explore: impl FnOnce() -> T) -> T {
    keep_loom_failures_off_the_output();
    let result = panic::catch_unwind(AssertUnwindSafe(explore));
    match result {
        Ok(value) => value,
        Err(payload) => match loom_failure(payload.as_ref()) {
            Some(LoomFailure::NeverFinishes) => panic!(
                "a thread never finished: loom ran it through hundreds of steps without an \
                 end. {never_finishes}"
            ),
            Some(LoomFailure::TwoReadGuards) => panic!(
                "a thread took a read lock of an `RwLock` while it still held one of the same \
                 lock (loom stopped with \"invalid internal loom state\"). With std's `RwLock` \
                 that can deadlock as soon as a writer waits between the two: take the lock \
                 once, keep the guard in a variable, and read through it"
            ),
            Some(LoomFailure::LostTrack) => panic!(
                "loom lost track of the order of the stores to one atomic in this check (an \
                 error inside loom, which many SeqCst stores to one atomic can bring about), so \
                 this check cannot say more: the other checks' messages say what is wrong"
            ),
            None => panic::resume_unwind(payload),
        },
    }
}

/// Puts a panic hook in front of the one in place, once for the whole test program, which
/// prints every panic but loom's failures that [`explaining_loom_failures`] explains. It stays:
/// loom's coroutines put their own hook in front of it, and taking ours away would take theirs
/// too.
fn keep_loom_failures_off_the_output() {
    static ONCE: Once = Once::new();
    ONCE.call_once(|| {
        let previous = panic::take_hook();
        panic::set_hook(Box::new(move |info: &PanicHookInfo<'_>| {
            if loom_failure(info.payload()).is_none() {
                previous(info);
            }
        }));
    });
}

enum LoomFailure {
    NeverFinishes,
    TwoReadGuards,
    LostTrack,
}

fn loom_failure(payload: &(dyn std::any::Any + Send)) -> Option<LoomFailure> {
    let text = payload
        .downcast_ref::<String>()
        .map(String::as_str)
        .or_else(|| payload.downcast_ref::<&str>().copied())?;
    if text.contains("exceeded maximum number of branches") {
        Some(LoomFailure::NeverFinishes)
    } else if text.contains("invalid internal loom state") {
        Some(LoomFailure::TwoReadGuards)
    } else if text.contains("VersionVec") {
        // loom's own `assert_ne!` on two stores' modification order ("this sometimes fails",
        // says its source): only loom's internals hold a `VersionVec`.
        Some(LoomFailure::LostTrack)
    } else {
        None
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn item(text: &str) -> Option<&'static str> {
        std_item_loom_cannot_see(text).map(|found| found.item)
    }

    #[test]
    fn std_s_fence_written_in_full_is_found() {
        assert_eq!(
            item("fn f() {\n    std::sync::atomic::fence(Ordering::Release);\n}"),
            Some("fence")
        );
        assert_eq!(
            item("core::sync::atomic::fence(Ordering::Acquire);"),
            Some("fence")
        );
        assert_eq!(
            item("use std::sync::atomic::{AtomicU32, fence};"),
            Some("fence")
        );
        assert_eq!(item("use std::sync::{atomic::fence};"), Some("fence"));
        assert_eq!(
            item("std::sync::atomic::compiler_fence(Ordering::Release);"),
            Some("compiler_fence")
        );
    }

    #[test]
    fn the_course_s_imports_are_left_alone() {
        let text = "#[cfg(test)]\nuse loom::sync::atomic::{AtomicU32, Ordering, fence};\n\
                    #[cfg(not(test))]\nuse std::sync::atomic::{AtomicU32, Ordering, fence};\n\
                    #[cfg(test)]\nuse loom::thread;\n#[cfg(not(test))]\nuse std::thread;\n\
                    #[cfg(not(test))] use std::hint;\n\
                    fn f() { fence(Ordering::Release); thread::yield_now(); }\n\
                    // std::sync::atomic::fence in a comment\n\
                    const S: &str = \"std::thread\";\n\
                    fn g() { std::hint::black_box(1); }";
        assert_eq!(std_item_loom_cannot_see(text), None);
    }

    #[test]
    fn std_s_thread_and_spin_loop_are_found() {
        assert_eq!(item("    std::thread::yield_now();"), Some("thread"));
        assert_eq!(item("use std::thread;"), Some("thread"));
        assert_eq!(item("std::hint::spin_loop();"), Some("hint"));
        assert_eq!(item("use core::hint;"), Some("hint"));
        let found = std_item_loom_cannot_see("fn wait() {\n    std::hint::spin_loop(); // wait\n}")
            .unwrap();
        assert_eq!(
            (found.place.as_str(), found.path.as_str()),
            ("fn wait", "std::hint::spin_loop")
        );
    }
}
