//! Lesson 08 run as a learner runs it, with small sizes. Its whole output is compared exactly by
//! `conventions.rs`, except for what really varies (timings, and how often a live run of the
//! `Relaxed` flag happened to show old data); these tests hold the rest to its promises.
//!
//! What each ordering *allows* is not decided here: a live run shows one execution of many. The
//! loom tests of the package (`lessons/lesson-08/tests/loom_model.rs`) decide it, and write their
//! verdicts into `lessons/lesson-08/snapshots/lesson-08-loom.snap`, which the book shows.

use course_tests::{assert_lesson_snapshot, lesson, run_ok, run_python, run_usage_error};
use predicates::prelude::*;

#[test]
fn release_and_acquire_never_show_old_data() {
    let output = run_ok("lesson-08", &["--part", "publish", "--tries", "200"]);
    assert!(
        output.contains("Release / Acquire: the reader saw old data in 0 of 200 runs\n"),
        "{output}"
    );
}

#[test]
fn every_count_is_right_with_other_sizes() {
    let output = run_ok(
        "lesson-08",
        &["--threads", "3", "--increments", "777", "--tries", "5"],
    );
    for k in [1_u64, 2, 3] {
        let line = format!("{k} thread(s): both counted {} (right);", k * 777);
        assert!(output.contains(&line), "no {line:?} in:\n{output}");
    }
    let bytes: u64 = (0..3 * 777).map(|job| job % 7 + 1).sum();
    assert!(
        output.contains(&format!(
            "after join: 2331 jobs, {bytes} bytes (expected 2331 jobs, {bytes} bytes)"
        )),
        "{output}"
    );
    assert!(!output.contains("WRONG"), "{output}");
    assert_eq!(
        output
            .matches("10 granted, 5 refused, every number once")
            .count(),
        2,
        "{output}"
    );
}

#[test]
fn two_threads_take_every_ticket_and_none_is_refused() {
    let output = run_ok(
        "lesson-08",
        &["--part", "compare-exchange", "--threads", "2"],
    );
    assert_eq!(
        output
            .matches("10 granted, 0 refused, every number once")
            .count(),
        2,
        "{output}"
    );
}

#[test]
fn help_explains_every_flag() {
    lesson("lesson-08", &["--help"])
        .assert()
        .success()
        .stdout(predicate::str::contains("--threads <K>"))
        .stdout(predicate::str::contains("--increments <M>"))
        .stdout(predicate::str::contains("--tries <N>"))
        .stdout(predicate::str::contains("--part <PART>"))
        .stdout(predicate::str::contains("compare-exchange"));
}

#[test]
fn bad_sizes_are_usage_errors() {
    let cases: [(&[&str], &str); 6] = [
        (&["--threads", "1"], "choose from 2 to 64"),
        (&["--threads", "65"], "65 threads is out of range"),
        (&["--tries", "0"], "choose from 1 to 10000"),
        (
            &["--tries", "many"],
            "whole number of tries from 1 to 10000",
        ),
        (&["--increments", "0"], "choose from 1 to 10000000"),
        (&["--increments", "-3"], "increments cannot be negative"),
    ];
    for (args, message) in cases {
        let stderr = run_usage_error("lesson-08", args);
        assert!(stderr.contains(args[0]), "{args:?}: {stderr}");
        assert!(stderr.contains(message), "{args:?}: {stderr}");
        assert_eq!(
            stderr
                .trim_end()
                .lines()
                .filter(|line| line.starts_with("error"))
                .count(),
            1
        );
    }
}

#[test]
fn too_much_work_for_the_spin_lock_is_a_usage_error() {
    let stderr = run_usage_error("lesson-08", &["--threads", "64", "--increments", "1000000"]);
    assert!(stderr.contains("too much work"), "{stderr}");
}

#[test]
fn the_python_version_publishes_through_an_event_and_counts_under_a_lock() {
    let args = ["--tries", "20", "--threads", "3", "--jobs", "100"];
    if let Some(output) = run_python("lessons/lesson-08/python/publish.py", &args) {
        assert_lesson_snapshot!("lesson-08-python", output);
    }
}
