//! The checks of `survive-a-crash`. `cargo xtask verify survive-a-crash` runs them; they are
//! ignored by a plain `cargo test` so that the course's own test suite passes before you start.

use std::fs;
use std::path::{Path, PathBuf};
use std::process::Command;

use super::{ATTEMPTS, Outcome, sum_of_squares_surviving_crashes};

/// The worker program, built next to this test program (in `target/debug`).
fn worker_program() -> PathBuf {
    let tests = std::env::current_exe().expect("the test program knows its path");
    let dir = tests
        .parent()
        .and_then(Path::parent)
        .expect("target/debug/deps/<test>");
    let worker = dir.join("lesson-05-crash-worker");
    assert!(
        worker.exists(),
        "{} is not built: run the checks with `cargo xtask verify survive-a-crash`",
        worker.display()
    );
    worker
}

/// A fresh, empty directory where the workers of one check write what they did.
fn fresh_log(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("survive-a-crash-{}-{name}", std::process::id()));
    let _ = fs::remove_dir_all(&dir);
    fs::create_dir_all(&dir).unwrap();
    dir
}

/// How many files in `log` start with `prefix` (`started-`, `crashed-`, `finished-`).
fn count(log: &Path, prefix: &str) -> usize {
    fs::read_dir(log)
        .unwrap()
        .filter_map(Result::ok)
        .filter(|e| e.file_name().to_string_lossy().starts_with(prefix))
        .count()
}

/// A `new_worker` for the exercise: the worker program, logging into `log`, with `setting`.
fn workers(log: &Path, setting: Option<(&str, &str)>) -> impl Fn() -> Command {
    let (worker, log) = (worker_program(), log.to_path_buf());
    let setting = setting.map(|(k, v)| (k.to_string(), v.to_string()));
    move || {
        let mut command = Command::new(&worker);
        command.env("WORKER_LOG_DIR", &log);
        if let Some((key, value)) = &setting {
            command.env(key, value);
        }
        command
    }
}

fn sum_of_squares(numbers: std::ops::Range<u64>) -> u64 {
    numbers.map(|n| n * n).sum()
}

#[test]
#[ignore = "checked by cargo xtask verify"]
fn a_crashed_worker_is_restarted_and_the_total_is_right() {
    let log = fresh_log("once");
    // The worker given 25..50 (the second of four shares of 0..100) crashes the first time.
    let outcome = sum_of_squares_surviving_crashes(
        0..100,
        4,
        workers(&log, Some(("WORKER_CRASH_ONCE_AT", "25"))),
    );
    let (started, crashed, finished) = (
        count(&log, "started-"),
        count(&log, "crashed-"),
        count(&log, "finished-"),
    );
    let _ = fs::remove_dir_all(&log);
    assert_eq!(crashed, 1, "the worker for 25..50 should have crashed once");
    let outcome = outcome.expect("one crash must not make the whole job fail");
    assert_eq!(
        outcome.total,
        sum_of_squares(0..100),
        "the total is wrong: the share of the crashed worker was lost"
    );
    assert_eq!(outcome.restarts, 1, "one share was run again");
    assert_eq!(
        started, 5,
        "4 workers, and 1 more for the share that crashed"
    );
    assert_eq!(finished, 4);
}

#[test]
#[ignore = "checked by cargo xtask verify"]
fn a_worker_that_crashes_late_is_noticed_too() {
    let log = fresh_log("late");
    // The worker given 50..75 works a second longer than the others, then crashes.
    let outcome = sum_of_squares_surviving_crashes(
        0..100,
        4,
        workers(&log, Some(("WORKER_CRASH_LATE_AT", "50"))),
    );
    let (started, crashed) = (count(&log, "started-"), count(&log, "crashed-"));
    let _ = fs::remove_dir_all(&log);
    assert_eq!(crashed, 1, "the worker for 50..75 should have crashed once");
    let outcome = outcome.expect("one crash must not make the whole job fail");
    assert_eq!(
        outcome.total,
        sum_of_squares(0..100),
        "the total is wrong: the worker for 50..75 crashed after working a second longer than \
         the others, and its share was lost. A look at a worker after a guessed while (a sleep, \
         then `try_wait`) sees it still running; decide from how it ended once it has ended \
         (`wait_with_output`, then `output.status`)"
    );
    assert_eq!(outcome.restarts, 1, "one share was run again");
    assert_eq!(
        started, 5,
        "4 workers, and 1 more for the share that crashed"
    );
}

#[test]
#[ignore = "checked by cargo xtask verify"]
fn without_crashes_nothing_is_restarted() {
    let log = fresh_log("none");
    let outcome = sum_of_squares_surviving_crashes(0..1000, 3, workers(&log, None));
    let started = count(&log, "started-");
    let _ = fs::remove_dir_all(&log);
    assert_eq!(
        outcome.expect("no worker failed"),
        Outcome {
            total: sum_of_squares(0..1000),
            restarts: 0
        }
    );
    assert_eq!(started, 3, "3 worker processes");
}

#[test]
#[ignore = "checked by cargo xtask verify"]
fn a_share_that_always_crashes_gives_an_error_not_an_endless_retry() {
    let log = fresh_log("always");
    let outcome = sum_of_squares_surviving_crashes(
        0..10,
        2,
        workers(&log, Some(("WORKER_CRASH_ALWAYS_AT", "5"))),
    );
    let started = count(&log, "started-");
    let _ = fs::remove_dir_all(&log);
    assert!(
        outcome.is_err(),
        "the share 5..10 crashes every time, so the job cannot succeed: got {outcome:?}"
    );
    assert_eq!(
        started,
        1 + ATTEMPTS,
        "one worker for 0..5, and {ATTEMPTS} tries for 5..10"
    );
}

#[test]
#[ignore = "checked by cargo xtask verify"]
fn a_slow_worker_is_waited_for_not_restarted() {
    let log = fresh_log("slow");
    // The worker given 50..75 works a second longer than the others, and then answers.
    let outcome =
        sum_of_squares_surviving_crashes(0..100, 4, workers(&log, Some(("WORKER_SLOW_AT", "50"))));
    let (started, finished) = (count(&log, "started-"), count(&log, "finished-"));
    let _ = fs::remove_dir_all(&log);
    let outcome = outcome.expect("no worker failed, one was only slow");
    assert_eq!(
        (started, finished),
        (4, 4),
        "4 workers, each finished once: a slow worker has not crashed; wait for it to exit \
         (`wait_with_output`) rather than guessing how long it takes"
    );
    assert_eq!(
        outcome,
        Outcome {
            total: sum_of_squares(0..100),
            restarts: 0
        }
    );
}
