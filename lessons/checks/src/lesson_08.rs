//! What the checks of lesson 08's exercises share (publish-flag, once-cell, max-counter): they run
//! the learner's atomics under loom (through `lessons/loom_checks.rs`, which bounds the search),
//! and three things come on top of that.
//!
//! - [`std_item_loom_cannot_see`] reads the learner's file for a piece of std that loom does not
//!   replace under test: std's `fence`, `thread::yield_now` or `hint::spin_loop` written in full
//!   (or imported for the tests too). A fence loom cannot see orders nothing under loom, so a
//!   correct answer would be told it saw old data; a spin through std's `yield_now` never lets
//!   loom's other threads run. The message names the line, before any model runs.
//! - [`Outcomes`] collects what each execution of a model ended with, so that a check can look at
//!   all of them together and say which mistake they show.
//! - [`explaining_loom_failures`] turns loom's own reports ("Model exceeded maximum number of
//!   branches", "invalid internal loom state") into what they mean for the exercise.

use std::collections::BTreeSet;
use std::panic::{self, AssertUnwindSafe, PanicHookInfo};
use std::sync::{Arc, Mutex, Once, PoisonError};
use std::time::{SystemTime, UNIX_EPOCH};

/// A piece of std in the learner's file that loom cannot see under test.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StdItem {
    /// The line, numbered from 1.
    pub line: usize,
    /// The line's code, without its comment.
    pub code: String,
    /// What it is: `"fence"`, `"compiler_fence"`, `"thread"` or `"hint"`.
    pub item: &'static str,
}

impl StdItem {
    /// The message for a learner who wrote it in `path`.
    #[must_use]
    pub fn explain(&self, path: &str) -> String {
        let StdItem { line, code, item } = self;
        let place = format!("line {line} of {path} uses std's `{item}`: `{code}`.");
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

/// The first line of `text` that uses std's `fence`, `compiler_fence`, `thread` or `hint`
/// (through `std::` or `core::`) anywhere but in an import kept for `#[cfg(not(test))]`.
#[must_use]
pub fn std_item_loom_cannot_see(text: &str) -> Option<StdItem> {
    let mut previous = String::new();
    let mut in_block_comment = false;
    for (index, line) in text.lines().enumerate() {
        let mut code = line
            .split("//")
            .next()
            .unwrap_or_default()
            .trim()
            .to_string();
        if in_block_comment {
            match code.find("*/") {
                Some(end) => {
                    code = code[end + 2..].trim().to_string();
                    in_block_comment = false;
                }
                None => continue,
            }
        }
        if let Some(start) = code.find("/*") {
            in_block_comment = !code[start..].contains("*/");
            code.truncate(start);
        }
        let code = strip_strings(&code);
        let kept_for_std = (previous == "#[cfg(not(test))]" && code.starts_with("use "))
            || code.starts_with("#[cfg(not(test))] use ");
        if !kept_for_std && let Some(item) = std_item_in(&code) {
            return Some(StdItem {
                line: index + 1,
                code: line
                    .split("//")
                    .next()
                    .unwrap_or_default()
                    .trim()
                    .to_string(),
                item,
            });
        }
        if !code.is_empty() {
            previous = code;
        }
    }
    None
}

/// `code` with the insides of its string literals taken out.
fn strip_strings(code: &str) -> String {
    let mut out = String::with_capacity(code.len());
    let mut in_string = false;
    let mut escaped = false;
    for c in code.chars() {
        if in_string {
            if escaped {
                escaped = false;
            } else if c == '\\' {
                escaped = true;
            } else if c == '"' {
                in_string = false;
                out.push(c);
            }
        } else {
            if c == '"' {
                in_string = true;
            }
            out.push(c);
        }
    }
    out
}

fn std_item_in(code: &str) -> Option<&'static str> {
    for root in ["std::", "core::"] {
        for (at, _) in code.match_indices(root) {
            // `mystd::…` is not std.
            if code[..at]
                .chars()
                .next_back()
                .is_some_and(|c| c.is_alphanumeric() || c == '_')
            {
                continue;
            }
            let rest = &code[at + root.len()..];
            if let Some(after) = rest.strip_prefix("sync::atomic::") {
                for name in names_after(after) {
                    match name {
                        "fence" => return Some("fence"),
                        "compiler_fence" => return Some("compiler_fence"),
                        _ => {}
                    }
                }
            } else if let Some(after) = rest.strip_prefix("sync::") {
                if let Some(group) = after.strip_prefix('{') {
                    let group = group.split('}').next().unwrap_or_default();
                    for item in group.split(',') {
                        let item = item.trim();
                        if let Some(atomic) = item.strip_prefix("atomic::") {
                            for name in names_after(atomic) {
                                if name == "fence" || name == "compiler_fence" {
                                    return Some(if name == "fence" {
                                        "fence"
                                    } else {
                                        "compiler_fence"
                                    });
                                }
                            }
                        }
                    }
                }
            } else if let Some(after) = rest.strip_prefix("thread") {
                if !after.starts_with(|c: char| c.is_alphanumeric() || c == '_') {
                    return Some("thread");
                }
            } else if let Some(after) = rest.strip_prefix("hint")
                && !after.starts_with(|c: char| c.is_alphanumeric() || c == '_')
            {
                let names = names_after(after.trim_start_matches("::"));
                // `std::hint::black_box` and the like are not waits: only a spin is loom's.
                if after.trim().is_empty()
                    || after.starts_with(';')
                    || names.contains(&"spin_loop")
                    || names.contains(&"self")
                {
                    return Some("hint");
                }
            }
        }
    }
    // `spin_loop_hint` is the old name of `hint::spin_loop`, in `std::sync::atomic`.
    None
}

/// The names right after a path's `::`: one (`fence(…)`), or a group (`{AtomicU32, fence}`).
fn names_after(after: &str) -> Vec<&str> {
    if let Some(group) = after.strip_prefix('{') {
        let group = group.split('}').next().unwrap_or_default();
        group
            .split(',')
            .map(|item| item.split(" as ").next().unwrap_or_default().trim())
            .collect()
    } else {
        let end = after
            .find(|c: char| !(c.is_alphanumeric() || c == '_'))
            .unwrap_or(after.len());
        vec![&after[..end]]
    }
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

/// A small seeded generator (splitmix64) for inputs that differ from run to run, so that an
/// answer written for the checks' values does not pass. Every message that uses its values
/// prints the seed; `COURSE_SEED=<seed>` runs the checks with that seed again.
#[derive(Debug, Clone)]
pub struct Seeded {
    seed: u64,
    state: u64,
}

impl Seeded {
    /// From `COURSE_SEED` if it is set, otherwise from the clock.
    #[must_use]
    pub fn new() -> Self {
        let seed = std::env::var("COURSE_SEED")
            .ok()
            .and_then(|seed| seed.parse().ok())
            .unwrap_or_else(|| {
                SystemTime::now()
                    .duration_since(UNIX_EPOCH)
                    // The nanoseconds within the second and the seconds, mixed: both change.
                    .map_or(0, |since| {
                        since.as_secs() ^ u64::from(since.subsec_nanos()).rotate_left(32)
                    })
            });
        Self { seed, state: seed }
    }

    #[must_use]
    pub fn seed(&self) -> u64 {
        self.seed
    }

    /// The next number.
    pub fn next_u64(&mut self) -> u64 {
        self.state = self.state.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.state;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    /// A number in `low..=high`.
    pub fn between(&mut self, low: u64, high: u64) -> u64 {
        low + self.next_u64() % (high - low + 1)
    }
}

impl Default for Seeded {
    fn default() -> Self {
        Self::new()
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
        let found = std_item_loom_cannot_see("\n\n    std::hint::spin_loop(); // wait").unwrap();
        assert_eq!(
            (found.line, found.code.as_str()),
            (3, "std::hint::spin_loop();")
        );
    }

    #[test]
    fn a_seed_gives_the_same_numbers() {
        let mut one = Seeded { seed: 7, state: 7 };
        let mut two = one.clone();
        assert_eq!(one.next_u64(), two.next_u64());
        assert!((3..=5).contains(&one.between(3, 5)));
    }
}
