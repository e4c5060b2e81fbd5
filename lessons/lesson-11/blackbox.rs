//! Lesson 11 run as a learner runs it: the parts whose every line the program orders are the
//! same on every run, the executor's counts follow `--tasks`, the Python twin counts the same,
//! and the program the lesson says does not compile is compiled here, held to its error code and
//! key words.

use std::path::PathBuf;
use std::process::Command;

use course_tests::{
    assert_lesson_snapshot, lesson, redact, run_ok, run_python, run_usage_error, workspace_root,
};
use predicates::prelude::*;

/// Every line is ordered by the program (one wake source at a time, a watchdog that waits for a
/// poll, timers whose deadlines come in order): the same on every run, however the threads ran.
#[test]
fn every_part_prints_the_same_on_every_run() {
    let first = redact(&run_ok("lesson-11", &["--pause-ms", "1"]));
    for _ in 0..5 {
        assert_eq!(redact(&run_ok("lesson-11", &["--pause-ms", "1"])), first);
    }
}

/// The line the bench reads: polls = tasks + wakes, as each task's first poll needs no wake.
#[test]
fn the_executor_polls_once_per_wake_plus_once_per_task() {
    for (tasks, polls, wakes) in [(1, 2, 1), (5, 11, 6), (10_000, 20_000, 10_000)] {
        let output = run_ok(
            "lesson-11",
            &["--part", "executor", "--tasks", &tasks.to_string()],
        );
        let line = format!("executor: {tasks} tasks, {polls} polls for {wakes} wakes\n");
        assert!(output.ends_with(&line), "{output}");
        assert_eq!(output.contains("poll task"), tasks <= 5, "{output}");
    }
}

/// What the book says of part 4 holds at a pause long enough to measure: one after the other
/// waits at least a's time plus b's; joined, at least the longer one.
#[test]
fn one_after_the_other_waits_for_the_sum() {
    let output = run_ok("lesson-11", &["--part", "join", "--pause-ms", "20"]);
    let took = |label: &str| -> f64 {
        let line = output
            .lines()
            .find(|l| l.starts_with(label) && l.contains(" took "))
            .unwrap();
        let figure = line
            .split("took ")
            .nth(1)
            .unwrap()
            .split(':')
            .next()
            .unwrap();
        let millis = figure.strip_suffix("ms").map(|f| f.parse::<f64>().unwrap());
        millis.unwrap_or_else(|| figure.strip_suffix('s').unwrap().parse::<f64>().unwrap() * 1e3)
    };
    assert!(took("one after the other") >= 100.0, "{output}");
    assert!(took("joined") >= 60.0, "{output}");
}

#[test]
fn help_explains_every_flag() {
    lesson("lesson-11", &["--help"])
        .assert()
        .success()
        .stdout(predicate::str::contains("--pause-ms <MS>"))
        .stdout(predicate::str::contains("--tasks <N>"))
        .stdout(predicate::str::contains("no-wake"));
}

#[test]
fn a_bad_number_of_tasks_is_a_usage_error() {
    for bad in ["0", "-3", "many", "1000001"] {
        let stderr = run_usage_error("lesson-11", &["--tasks", bad]);
        assert!(stderr.contains("tasks"), "{stderr}");
    }
}

// The Python version, when python3 is there ----------------------------------------------------

#[test]
fn the_python_version_counts_the_same() {
    let Some(python) = run_python(
        "lessons/lesson-11/python/future_by_hand.py",
        &["--pause-ms", "5"],
    ) else {
        return;
    };
    assert_lesson_snapshot!("lesson-11-python", python);
    for tasks in ["3", "1000"] {
        let python = run_python(
            "lessons/lesson-11/python/future_by_hand.py",
            &["--pause-ms", "0", "--tasks", tasks],
        )
        .unwrap();
        let rust = run_ok("lesson-11", &["--part", "executor", "--tasks", tasks]);
        let executor = |text: &str| -> Vec<String> {
            let lines = text
                .lines()
                .filter(|l| l.contains("poll task") || l.starts_with("executor:"));
            lines.map(str::to_string).collect()
        };
        assert_eq!(
            executor(&python),
            executor(&rust.replace("Ready(())", "Ready"))
        );
    }
}

// The program that must not compile ------------------------------------------------------------

/// Compiles `file` of the lesson's `compile-fail/` folder and returns what rustc said, asserting
/// that it failed.
fn compile(file: &str) -> String {
    let out = PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join(file.replace(".rs", ".rmeta"));
    let output = Command::new(std::env::var_os("RUSTC").unwrap_or_else(|| "rustc".into()))
        .current_dir(workspace_root().join("lessons/lesson-11/compile-fail"))
        .args(["--color", "never", "--emit", "metadata", "-o"])
        .arg(out)
        .args(["--edition", "2024", file])
        .output()
        .expect("rustc runs");
    let stderr = String::from_utf8(output.stderr).unwrap();
    assert!(!output.status.success(), "{file} compiled:\n{stderr}");
    stderr
}

/// Held to what does not change between Rust releases: the error code, "cannot be unpinned" and
/// the trait `Unpin`.
#[test]
fn a_future_that_borrows_from_itself_is_not_polled_unpinned() {
    let stderr = compile("poll_without_pin.rs");
    assert!(stderr.contains("error[E0277]"), "{stderr}");
    assert!(stderr.contains("cannot be unpinned"), "{stderr}");
    assert!(stderr.contains("`Unpin`"), "{stderr}");
}

fn rustc_output(args: &[&str]) -> String {
    let output = Command::new(std::env::var_os("RUSTC").unwrap_or_else(|| "rustc".into()))
        .args(args)
        .output()
        .expect("rustc runs");
    String::from_utf8(output.stdout).unwrap().trim().to_string()
}

/// What the full message depends on: the release, and whether std's sources are installed (with
/// them, rustc quotes std's code in its notes).
fn message_environment() -> String {
    let version = rustc_output(&["--version"]);
    let release = version.split(" (").next().unwrap_or(&version).to_string();
    let sysroot = PathBuf::from(rustc_output(&["--print", "sysroot"]));
    let sources = if sysroot.join("lib/rustlib/src/rust/library").is_dir() {
        "with rust-src"
    } else {
        "without rust-src"
    };
    format!("{release}, {sources}")
}

/// The full message, for the book: compared exactly only with the release (and std's sources
/// installed or not) that recorded it; the test above holds every release to the error code and
/// the key words.
#[test]
fn the_compiler_message_the_book_shows() {
    let release = message_environment();
    let file = "poll_without_pin.rs";
    let shown = format!(
        "# {release}\n$ rustc --edition 2024 {file}\n{}",
        compile(file)
    );
    let name = "lesson-11-compiler-messages";
    let recorded = course_support::snapshot_file(&workspace_root(), name);
    let recorded_release = std::fs::read_to_string(&recorded).ok().and_then(|text| {
        text.lines()
            .find_map(|l| l.strip_prefix("# ").map(str::to_string))
    });
    let updating = std::env::var_os("INSTA_UPDATE").is_some_and(|value| value != "no");
    if updating || recorded_release.as_deref() == Some(release.as_str()) {
        assert_lesson_snapshot!(name, shown);
    } else {
        eprintln!(
            "note: the full message was recorded with {recorded_release:?} and this is \
             {release}; only the error code and the key words were checked"
        );
    }
}
