//! Lesson 07 run as a learner runs it, with no pauses; its output is compared exactly, except for
//! the Mutex-or-RwLock timings, which the filters of `course_tests` redact. The two programs the
//! lesson says do not compile are compiled here, and held to their error code and key words.

use std::path::PathBuf;
use std::process::{Command, Output};

use course_tests::{
    assert_lesson_snapshot, lesson, run_ok, run_python, run_usage_error, workspace_root,
};
use predicates::prelude::*;

/// The parts whose output depends on thread timing only through what the program decides (a
/// barrier, a join order, a sorted result): the same on every run, however the threads ran.
#[test]
fn the_synchronised_parts_print_the_same_on_every_run() {
    let first = run_ok("lesson-07", &["--pause-ms", "0", "--lookups", "1"]);
    for _ in 0..5 {
        let again = run_ok("lesson-07", &["--pause-ms", "0", "--lookups", "1"]);
        assert_eq!(course_tests::redact(&again), course_tests::redact(&first));
    }
}

#[test]
fn both_locks_are_measured_for_long_and_short_reads() {
    let output = run_ok(
        "lesson-07",
        &[
            "--part",
            "mutex-or-rwlock",
            "--readers",
            "3",
            "--lookups",
            "50",
        ],
    );
    assert!(output.contains("3 readers, 1 writer"), "{output}");
    assert!(output.contains("long reads: 50 lookups each"), "{output}");
    assert!(output.contains("short reads: 500 lookups each"), "{output}");
    assert_eq!(output.matches("  Mutex:  median ").count(), 2, "{output}");
    assert_eq!(output.matches("  RwLock: median ").count(), 2, "{output}");
    assert_eq!(
        output
            .matches("  RwLock ÷ Mutex, round by round: median ×")
            .count(),
        2,
        "{output}"
    );
    assert_eq!(output.matches(" of 7 rounds\n").count(), 2, "{output}");
}

#[test]
fn help_explains_every_flag() {
    lesson("lesson-07", &["--help"])
        .assert()
        .success()
        .stdout(predicate::str::contains("--pause-ms <MS>"))
        .stdout(predicate::str::contains("--readers <K>"))
        .stdout(predicate::str::contains("--lookups <N>"))
        .stdout(predicate::str::contains("mutex-or-rwlock"))
        .stdout(predicate::str::contains("thread-local"));
}

#[test]
fn readers_and_lookups_out_of_range_are_usage_errors() {
    for (flag, value, says) in [
        ("--readers", "1", "choose from 2 to 16"),
        ("--readers", "-3", "readers cannot be negative"),
        ("--lookups", "0", "choose from 1 to 1000000"),
        ("--lookups", "many", "whole number of lookups"),
    ] {
        let stderr = run_usage_error("lesson-07", &[flag, value]);
        assert!(stderr.contains(flag), "{flag} {value}: {stderr}");
        assert!(stderr.contains(says), "{flag} {value}: {stderr}");
    }
}

// The two programs that must not compile ------------------------------------------------------

/// Compiles `file` of the lesson's `compile-fail/` folder from that folder (so the messages name
/// it as the book's command does) and returns what rustc said, asserting that it failed.
fn compile(file: &str) -> (Output, String) {
    let out = PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join(file.replace(".rs", ".rmeta"));
    let output = Command::new(std::env::var_os("RUSTC").unwrap_or_else(|| "rustc".into()))
        .current_dir(workspace_root().join("lessons/lesson-07/compile-fail"))
        .args(["--color", "never", "--emit", "metadata", "-o"])
        .arg(out)
        .args(["--edition", "2024", file])
        .output()
        .expect("rustc runs");
    let stderr = String::from_utf8(output.stderr.clone()).unwrap();
    assert!(!output.status.success(), "{file} compiled:\n{stderr}");
    (output, stderr)
}

/// Held to what does not change between Rust releases: the error code, the type, and the words
/// "cannot be sent between threads safely" and `Send`.
#[test]
fn an_rc_moved_to_a_thread_does_not_compile() {
    let (_, stderr) = compile("rc_to_thread.rs");
    assert!(stderr.contains("error[E0277]"), "{stderr}");
    assert!(
        stderr.contains("`Rc<String>` cannot be sent between threads safely"),
        "{stderr}"
    );
    assert!(stderr.contains("`Send`"), "{stderr}");
}

#[test]
fn a_refcell_shared_through_an_arc_does_not_compile() {
    let (_, stderr) = compile("refcell_in_arc.rs");
    assert!(stderr.contains("error[E0277]"), "{stderr}");
    assert!(
        stderr.contains("`RefCell<Vec<&str>>` cannot be shared between threads safely"),
        "{stderr}"
    );
    assert!(stderr.contains("`Sync`"), "{stderr}");
}

fn rustc_output(args: &[&str]) -> String {
    let output = Command::new(std::env::var_os("RUSTC").unwrap_or_else(|| "rustc".into()))
        .args(args)
        .output()
        .expect("rustc runs");
    String::from_utf8(output.stdout).unwrap().trim().to_string()
}

/// What the full messages depend on: the release (`rustc 1.95.0`, from the first line of
/// `rustc --version`), and whether std's sources are installed (the rustup component `rust-src`,
/// which rust-analyzer asks for): with them, rustc quotes std's code in its notes, and that
/// changes the layout of the whole message.
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

/// The full messages, for the book: compared exactly only with the release (and std's sources
/// installed or not) that recorded them, because their wording and layout change; the tests above
/// hold every release to the error code and the key words.
#[test]
fn the_compiler_messages_the_book_shows() {
    let release = message_environment();
    let mut shown = vec![format!("# {release}")];
    for file in ["rc_to_thread.rs", "refcell_in_arc.rs"] {
        let (_, stderr) = compile(file);
        shown.push(format!("$ rustc --edition 2024 {file}\n{stderr}"));
    }
    let shown = shown.join("\n");
    let name = "lesson-07-compiler-messages";
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
            "note: the full messages were recorded with {recorded_release:?} and this is \
             {release}; only the error codes and the key words were checked"
        );
    }
}

// The Python version, when python3 is there ----------------------------------------------------

#[test]
fn the_python_version_prints_the_same_shape() {
    let Some(python) = run_python(
        "lessons/lesson-07/python/shared_state.py",
        &["--pause-ms", "0"],
    ) else {
        return;
    };
    assert_lesson_snapshot!("lesson-07-python", python);
}
