//! Lesson 04 run as a learner runs it, with short pauses; its output is compared exactly.
//!
//! Part 1 deadlocks on every run by design. Every run here is still bounded: `lesson()` kills a
//! run that takes longer than `RUN_TIMEOUT`, so a lesson that hung would fail, not hang the suite.

use std::time::Duration;

use course_tests::{assert_lesson_snapshot, lesson, run_ok, run_usage_error, workspace_root};
use predicates::prelude::*;

#[test]
fn the_deadlock_part_alone_ends_by_itself() {
    let output = run_ok("lesson-04", &["--work-ms", "5", "--part", "opposite-order"]);
    assert_lesson_snapshot!("lesson-04-part-opposite-order", output);
}

/// The deadlock is forced by a barrier, not by luck, and the watchdog's report has a fixed order:
/// twenty runs in a row print exactly the same thing as the default-order run above (with no work
/// time at all, the tightest timing), and every one of them ends by itself.
#[test]
fn twenty_runs_in_a_row_deadlock_and_end_the_same_way() {
    for _ in 0..20 {
        let output = run_ok("lesson-04", &["--work-ms", "0"]);
        assert_lesson_snapshot!("lesson-04", output);
    }
}

#[test]
fn the_python_version_gives_up_and_ends_by_itself() {
    let Some(python) = course_tests::python("lessons/lesson-04/python/deadlock.py") else {
        return;
    };
    let script = workspace_root().join("lessons/lesson-04/python/deadlock.py");
    let output = assert_cmd::Command::new(python)
        .arg(script)
        .args(["--work", "0.01", "--timeout", "0.1"])
        .timeout(Duration::from_secs(30))
        .assert()
        .success()
        .stderr("")
        .get_output()
        .clone();
    let stdout = String::from_utf8(output.stdout).unwrap();
    assert_lesson_snapshot!("lesson-04-python", stdout);
}

#[test]
fn help_explains_every_flag() {
    lesson("lesson-04", &["--help"])
        .assert()
        .success()
        .stdout(predicate::str::contains("--work-ms <MS>"))
        .stdout(predicate::str::contains("--part <PART>"))
        .stdout(predicate::str::contains("opposite-order"))
        .stdout(predicate::str::contains("channel"));
}

#[test]
fn a_work_time_that_is_not_a_number_is_a_usage_error() {
    let stderr = run_usage_error("lesson-04", &["--work-ms", "soon"]);
    assert!(stderr.contains("whole number of milliseconds"), "{stderr}");
}

#[test]
fn a_negative_work_time_is_a_usage_error() {
    let stderr = run_usage_error("lesson-04", &["--work-ms", "-1"]);
    assert!(stderr.contains("cannot be negative"), "{stderr}");
}

#[test]
fn an_absurdly_long_work_time_is_a_usage_error() {
    let stderr = run_usage_error("lesson-04", &["--work-ms", "3600000"]);
    assert!(stderr.contains("too long"), "{stderr}");
}

#[test]
fn an_unknown_part_lists_the_valid_ones() {
    let stderr = run_usage_error("lesson-04", &["--part", "deadlock"]);
    assert!(stderr.contains("possible values"), "{stderr}");
    assert!(stderr.contains("opposite-order"), "{stderr}");
}

/// `--play`: the game the book shows, the same on every run, and ended by the process although
/// two threads of it are left holding a lock each.
#[test]
fn a_played_deadlock_is_the_same_on_every_run() {
    for _ in 0..3 {
        let output = run_ok("lesson-04", &["--play", "deadlock", "--moves", "ABAB"]);
        assert_lesson_snapshot!("lesson-04-play", output);
    }
}

/// The deadlock can be reached in either order of first locks, and missed; against the fix it
/// cannot be reached, and a move that would wait for a held lock is refused with the reason.
#[test]
fn the_deadlock_is_reachable_and_the_fix_refuses_it() {
    for (goal, moves, reached) in [
        ("deadlock", "AB", true),
        ("deadlock", "BA", true),
        ("deadlock", "AABB", false),
        ("global-order", "ABABAB", false),
        ("global-order", "BABABA", false),
    ] {
        let output = run_ok("lesson-04", &["--play", goal, "--moves", moves]);
        assert_eq!(
            output.contains("Goal reached"),
            reached,
            "{goal} {moves}:\n{output}"
        );
    }
    let output = run_ok("lesson-04", &["--play", "global-order", "--moves", "ABAB"]);
    assert!(
        output.contains("B cannot move: it would wait for account 1, which A holds. Move A."),
        "{output}"
    );
    let output = run_ok("lesson-04", &["--play", "global-order", "--moves", "AAABB"]);
    assert!(output.contains("Both transfers are done"), "{output}");
    assert!(
        output.contains("A cannot move: its transfer is done."),
        "{output}"
    );
}

/// Typed moves end cleanly at the end of the input, even with a thread holding a lock.
#[test]
fn typed_moves_and_the_end_of_input() {
    let output = lesson("lesson-04", &["--play", "deadlock"])
        .write_stdin("A\n?\n")
        .assert()
        .success()
        .stderr("")
        .get_output()
        .stdout
        .clone();
    let output = String::from_utf8(output).unwrap();
    assert!(output.contains("A locks account 1"), "{output}");
    assert!(output.contains("Hint:"), "{output}");
    assert!(
        output.contains("The game stops here, with the goal not reached."),
        "{output}"
    );
    run_usage_error("lesson-04", &["--play", "deadlock", "--moves", "AC"]);
    run_usage_error("lesson-04", &["--moves", "AB"]);
}
