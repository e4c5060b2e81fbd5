//! Lesson 03 run as a learner runs it, with no pauses between replayed steps; its output is
//! compared exactly, except for what a live race really varies (how many updates it lost, and how
//! long each fix took), which the filters of `course_tests` redact.

use std::path::PathBuf;
use std::process::{Command, Output};

use course_tests::{assert_lesson_snapshot, lesson, run_ok, run_usage_error, workspace_root};
use predicates::prelude::*;

#[test]
fn the_replay_is_the_same_on_every_run() {
    for _ in 0..5 {
        let output = run_ok("lesson-03", &["--step-ms", "0", "--part", "replay"]);
        assert_lesson_snapshot!("lesson-03-part-replay", output);
    }
}

/// The live race: whatever the scheduler did, the counter can only have lost updates, never
/// gained any, and the three numbers printed add up.
#[test]
fn the_live_race_reports_consistent_numbers() {
    let output = run_ok(
        "lesson-03",
        &[
            "--part",
            "lost-updates",
            "--threads",
            "3",
            "--increments",
            "2000",
        ],
    );
    let number_after = |prefix: &str| -> u64 {
        let line = output
            .lines()
            .find(|line| line.starts_with(prefix))
            .unwrap_or_else(|| panic!("no line starting with {prefix:?}:\n{output}"));
        line[prefix.len()..]
            .split_whitespace()
            .next()
            .and_then(|word| word.parse().ok())
            .unwrap_or_else(|| panic!("no number after {prefix:?} in {line:?}"))
    };
    let expected = number_after("expected ");
    let actual = number_after("the counter ended at ");
    let lost = number_after("lost ");
    assert_eq!(expected, 6000, "{output}");
    assert!((1..=expected).contains(&actual), "{output}");
    assert_eq!(actual + lost, expected, "{output}");
}

#[test]
fn every_fix_counts_right_with_other_sizes() {
    let output = run_ok(
        "lesson-03",
        &["--part", "fixes", "--threads", "7", "--increments", "1234"],
    );
    assert!(output.contains("expected 8638\n"), "{output}");
    assert_eq!(output.matches(" 8638 (right) in ").count(), 3, "{output}");
    assert!(!output.contains("WRONG"), "{output}");
}

#[test]
fn help_explains_every_flag() {
    lesson("lesson-03", &["--help"])
        .assert()
        .success()
        .stdout(predicate::str::contains("--threads <K>"))
        .stdout(predicate::str::contains("--increments <M>"))
        .stdout(predicate::str::contains("--step-ms <MS>"))
        .stdout(predicate::str::contains("--part <PART>"))
        .stdout(predicate::str::contains("check-then-act"));
}

#[test]
fn fewer_than_two_threads_is_a_usage_error() {
    for value in ["0", "1"] {
        let stderr = run_usage_error("lesson-03", &["--threads", value]);
        assert!(stderr.contains("--threads"), "{stderr}");
        assert!(stderr.contains("choose from 2 to 64"), "{stderr}");
    }
}

#[test]
fn too_many_or_negative_threads_is_a_usage_error() {
    let stderr = run_usage_error("lesson-03", &["--threads", "1000"]);
    assert!(stderr.contains("1000 threads is out of range"), "{stderr}");
    let stderr = run_usage_error("lesson-03", &["--threads", "-1"]);
    assert!(stderr.contains("threads cannot be negative"), "{stderr}");
}

#[test]
fn too_much_work_for_the_live_race_is_a_usage_error() {
    let stderr = run_usage_error("lesson-03", &["--threads", "64", "--increments", "1000000"]);
    assert!(stderr.contains("too much work"), "{stderr}");
}

#[test]
fn increments_that_are_not_a_number_are_a_usage_error() {
    let stderr = run_usage_error("lesson-03", &["--increments", "lots"]);
    assert!(stderr.contains("--increments"), "{stderr}");
    assert!(
        stderr.contains("whole number of increments from 1 to 1000000"),
        "{stderr}"
    );
}

#[test]
fn zero_increments_is_a_usage_error() {
    let stderr = run_usage_error("lesson-03", &["--increments", "0"]);
    assert!(stderr.contains("choose from 1 to 1000000"), "{stderr}");
}

#[test]
fn a_negative_step_pause_is_a_usage_error() {
    let stderr = run_usage_error("lesson-03", &["--step-ms", "-5"]);
    assert!(stderr.contains("cannot be negative"), "{stderr}");
}

#[test]
fn an_unknown_part_lists_the_valid_ones() {
    let stderr = run_usage_error("lesson-03", &["--part", "everything"]);
    assert!(stderr.contains("possible values"), "{stderr}");
    assert!(stderr.contains("lost-updates"), "{stderr}");
}

// The Python way, kept as a program that must not compile ---------------------------------------

fn compile_fail_dir() -> PathBuf {
    workspace_root().join("lessons/lesson-03/compile-fail")
}

/// What the book shows as the command: the path as seen from the case's folder.
const RUSTC_ARGS: &[&str] = &["--edition", "2024", "shared_counter.rs"];

fn rustc() -> Command {
    Command::new(std::env::var_os("RUSTC").unwrap_or_else(|| "rustc".into()))
}

fn compile_shared_counter() -> Output {
    let out = PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join("shared_counter.rmeta");
    rustc()
        .current_dir(compile_fail_dir())
        .args(["--color", "never", "--emit", "metadata", "-o"])
        .arg(out)
        .args(RUSTC_ARGS)
        .output()
        .expect("rustc runs")
}

/// The first line of `rustc --version` without the commit and date, e.g. `rustc 1.95.0`.
fn rustc_release() -> String {
    let output = rustc().arg("--version").output().expect("rustc runs");
    let version = String::from_utf8(output.stdout).unwrap();
    version.split(" (").next().unwrap().trim().to_string()
}

/// Holds the case to what does not change between Rust releases: it fails, with error E0499, for
/// the reason the lesson gives. The full message (which wording and layout may change between
/// releases) is compared exactly only on the release that recorded it, and the book shows it.
#[test]
fn the_shared_counter_does_not_compile() {
    let output = compile_shared_counter();
    let stderr = String::from_utf8(output.stderr).unwrap();
    assert!(!output.status.success(), "it compiled:\n{stderr}");
    assert!(stderr.contains("error[E0499]"), "{stderr}");
    assert!(
        stderr.contains("cannot borrow `counter` as mutable more than once at a time"),
        "{stderr}"
    );
    assert!(stderr.contains("counter += 1"), "{stderr}");

    let release = rustc_release();
    let shown = format!("# {release}\n$ rustc {}\n{stderr}", RUSTC_ARGS.join(" "));
    let name = "lesson-03-compiler-message";
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
            "note: the full message was recorded with {recorded_release:?} and this is {release}; \
             only the error code and the key words were checked"
        );
    }
}

// The Python version, when python3 is there --------------------------------------------------------

#[test]
fn the_python_version_loses_updates_in_the_same_shape() {
    let Some(python) = course_tests::python("lessons/lesson-03/python/race.py") else {
        return;
    };
    let script = workspace_root().join("lessons/lesson-03/python/race.py");
    let output = Command::new(python)
        .arg(&script)
        .args(["--threads", "2", "--increments", "300"])
        .output()
        .unwrap();
    let stdout = String::from_utf8(output.stdout).unwrap();
    let stderr = String::from_utf8(output.stderr).unwrap();
    assert!(output.status.success(), "{stdout}{stderr}");
    assert_lesson_snapshot!("lesson-03-python", stdout);
}

/// `--play`: one game, the one the book shows, the same on every run.
#[test]
fn a_played_game_is_the_same_on_every_run() {
    for _ in 0..3 {
        let output = run_ok("lesson-03", &["--play", "lost-update", "--moves", "ABAB"]);
        assert_lesson_snapshot!("lesson-03-play", output);
    }
}

/// Every goal can be reached, by more than one order of moves, and missed by another.
#[test]
fn every_goal_is_reachable_and_missable() {
    for (goal, moves, reached) in [
        ("lost-update", "ABAB", true),
        ("lost-update", "BAAB", true),
        ("lost-update", "AABB", false),
        ("overdraw", "ABAB", true),
        ("overdraw", "BABA", true),
        ("overdraw", "AABB", false),
    ] {
        let output = run_ok("lesson-03", &["--play", goal, "--moves", moves]);
        assert_eq!(
            output.contains("Goal reached"),
            reached,
            "{goal} with {moves}:\n{output}"
        );
        if !reached {
            assert!(
                output.contains("Play again"),
                "{goal} with {moves}:\n{output}"
            );
        }
    }
}

/// A move that cannot happen is refused, with the reason, and the game goes on.
#[test]
fn a_finished_thread_cannot_move() {
    let output = run_ok("lesson-03", &["--play", "lost-update", "--moves", "AAABB"]);
    assert!(
        output.contains("A cannot move: it has finished its work. Move the other thread."),
        "{output}"
    );
    assert!(output.contains("The counter is 2"), "{output}");
}

/// Typed moves: help, a wrong word, then the end of the input half-way through the game. The
/// game ends cleanly, and the threads with it.
#[test]
fn typed_moves_and_the_end_of_input() {
    let output = lesson("lesson-03", &["--play", "overdraw"])
        .write_stdin("?\nwithdraw\nA\n")
        .assert()
        .success()
        .stderr("")
        .get_output()
        .stdout
        .clone();
    let output = String::from_utf8(output).unwrap();
    assert!(output.contains("Hint: "), "{output}");
    assert!(output.contains("\"WITHDRAW\" is not a move"), "{output}");
    assert!(
        output.contains("A checks: balance 100 covers 80"),
        "{output}"
    );
    assert!(
        output.contains("The game stops here, with the goal not reached."),
        "{output}"
    );
}

#[test]
fn bad_moves_are_usage_errors() {
    for args in [
        &["--play", "overdraw", "--moves", "ABX"][..],
        &["--play", "overdraw", "--moves", ""],
        &["--moves", "AB"],
        &["--play", "steal"],
        &["--play", "overdraw", "--part", "replay"],
    ] {
        run_usage_error("lesson-03", args);
    }
}
