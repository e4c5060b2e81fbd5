//! Lesson 06 run as a learner runs it, with short pauses; its output is compared exactly.
//!
//! Part 2 shows a loop that would wait forever, and part 3 a producer that blocks on purpose.
//! Every run here is still bounded: `lesson()` kills a run that takes longer than `RUN_TIMEOUT`,
//! so a lesson that hung would fail, not hang the suite.

use course_tests::{assert_lesson_snapshot, lesson, redact, run_ok, run_python, run_usage_error};
use predicates::prelude::*;

/// The order of every line is decided by the program: twenty runs in a row with no pause at all,
/// the tightest timing, print exactly what the snapshot of the whole lesson holds.
#[test]
fn twenty_runs_in_a_row_print_the_same_lines() {
    for _ in 0..20 {
        let output = run_ok("lesson-06", &["--pause-ms", "0"]);
        assert_lesson_snapshot!("lesson-06", output);
    }
}

#[test]
fn the_back_pressure_part_alone_counts_exactly_the_capacity_in_flight() {
    let output = run_ok("lesson-06", &["--pause-ms", "1", "--part", "back-pressure"]);
    assert_eq!(
        output.matches("buffer full, 3 in flight").count(),
        4,
        "{output}"
    );
    assert!(
        output.contains("most messages in flight: 3, the capacity"),
        "{output}"
    );
}

/// The Python program prints the same per-producer lists and the same back-pressure lines as
/// parts 1 and 3 (its other lines speak of queues instead of channels).
#[test]
fn the_python_way_receives_and_waits_like_parts_1_and_3() {
    let Some(python) = run_python("lessons/lesson-06/python/queues.py", &["--pause-ms", "2"])
    else {
        return;
    };
    let mut rust = run_ok("lesson-06", &["--pause-ms", "2", "--part", "fan-in"]);
    rust += &run_ok("lesson-06", &["--pause-ms", "2", "--part", "back-pressure"]);
    let shared = |text: &str| -> Vec<String> {
        redact(text)
            .lines()
            .filter(|line| {
                [
                    "producer ",
                    "buffer full",
                    "the producer has finished",
                    "most messages",
                ]
                .iter()
                .any(|start| line.starts_with(start))
            })
            .map(str::to_string)
            .collect()
    };
    assert_eq!(shared(&python).len(), 9, "{python}");
    assert_eq!(shared(&python), shared(&rust));
}

#[test]
fn help_explains_every_flag() {
    lesson("lesson-06", &["--help"])
        .assert()
        .success()
        .stdout(predicate::str::contains("--pause-ms <MS>"))
        .stdout(predicate::str::contains("--part <PART>"))
        .stdout(predicate::str::contains("kept-sender"))
        .stdout(predicate::str::contains("back-pressure"));
}

#[test]
fn a_pause_that_is_not_a_number_is_a_usage_error() {
    let stderr = run_usage_error("lesson-06", &["--pause-ms", "soon"]);
    assert!(stderr.contains("whole number of milliseconds"), "{stderr}");
}

#[test]
fn a_negative_pause_is_a_usage_error() {
    let stderr = run_usage_error("lesson-06", &["--pause-ms", "-1"]);
    assert!(stderr.contains("cannot be negative"), "{stderr}");
}

#[test]
fn an_unknown_part_lists_the_valid_ones() {
    let stderr = run_usage_error("lesson-06", &["--part", "select"]);
    assert!(stderr.contains("possible values"), "{stderr}");
    assert!(stderr.contains("pipeline"), "{stderr}");
}
