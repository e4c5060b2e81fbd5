//! Lesson 01 run as a learner runs it, with short pauses; its output is compared exactly.

use course_tests::{assert_lesson_snapshot, lesson, redact, run_ok, run_python, run_usage_error};
use predicates::prelude::*;

const FAST: &[&str] = &["--pause-ms", "5"];

#[test]
fn one_part_alone() {
    let output = run_ok("lesson-01", &["--pause-ms", "5", "--part", "basic"]);
    assert_lesson_snapshot!("lesson-01-part-basic", output);
}

#[test]
fn the_python_way_prints_the_same_lines_as_part_1() {
    let Some(python) = run_python("lessons/lesson-01/python/basic_thread.py", FAST) else {
        return;
    };
    let rust = run_ok("lesson-01", &["--pause-ms", "5", "--part", "basic"]);
    // Part 1 without its `== Part 1 … ==` heading, which only the Rust lesson prints.
    let (heading, rust_lines) = rust.split_once('\n').unwrap();
    assert!(heading.starts_with("== Part 1"), "{rust}");
    assert_eq!(redact(&python), redact(rust_lines));
}

#[test]
fn without_join_the_thread_never_finishes() {
    let output = run_ok("lesson-01", &["--pause-ms", "0", "--part", "no-join"]);
    assert!(output.contains("Number: 1\n"));
    assert!(
        !output.contains("Number: 2"),
        "main stops after two lines:\n{output}"
    );
    assert!(!output.contains("Thread has finished"), "{output}");
}

#[test]
fn help_explains_every_flag() {
    lesson("lesson-01", &["--help"])
        .assert()
        .success()
        .stdout(predicate::str::contains("--pause-ms <MS>"))
        .stdout(predicate::str::contains("--part <PART>"))
        .stdout(predicate::str::contains("no-join"));
}

#[test]
fn a_pause_that_is_not_a_number_is_a_usage_error() {
    let stderr = run_usage_error("lesson-01", &["--pause-ms", "abc"]);
    assert!(stderr.contains("whole number of milliseconds"), "{stderr}");
}

#[test]
fn a_negative_pause_is_a_usage_error() {
    let stderr = run_usage_error("lesson-01", &["--pause-ms", "-5"]);
    assert!(stderr.contains("cannot be negative"), "{stderr}");
}

#[test]
fn an_absurdly_long_pause_is_a_usage_error() {
    let stderr = run_usage_error("lesson-01", &["--pause-ms", "99999999999"]);
    assert!(stderr.contains("too long"), "{stderr}");
}

#[test]
fn an_unknown_part_lists_the_valid_ones() {
    let stderr = run_usage_error("lesson-01", &["--part", "everything"]);
    assert!(stderr.contains("possible values"), "{stderr}");
    assert!(stderr.contains("return-value"), "{stderr}");
}
