//! Lesson 01 run as a learner runs it, with short pauses; its output is compared exactly.

use course_tests::{assert_lesson_snapshot, lesson, run_ok, run_usage_error};
use predicates::prelude::*;

const FAST: &[&str] = &["--pause-ms", "5"];

#[test]
fn all_parts_in_order() {
    assert_lesson_snapshot!("lesson-01", run_ok("lesson-01", FAST));
}

#[test]
fn one_part_alone() {
    let output = run_ok("lesson-01", &["--pause-ms", "5", "--part", "basic"]);
    assert_lesson_snapshot!("lesson-01-part-basic", output);
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
