//! The checks of `split-across-processes`. `cargo xtask verify split-across-processes` runs
//! them; they are ignored by a plain `cargo test` so that the course's own test suite passes
//! before you start.

use std::collections::HashSet;
use std::fs;
use std::path::{Path, PathBuf};
use std::process::Command;

use super::sum_of_squares_in_processes;

/// The worker program, built next to this test program (in `target/debug`).
fn worker_program() -> PathBuf {
    let tests = std::env::current_exe().expect("the test program knows its path");
    let dir = tests
        .parent()
        .and_then(Path::parent)
        .expect("target/debug/deps/<test>");
    let worker = dir.join("lesson-05-split-worker");
    assert!(
        worker.exists(),
        "{} is not built: run the checks with `cargo xtask verify split-across-processes`",
        worker.display()
    );
    worker
}

/// A fresh, empty directory where the workers of one check write what they did.
fn fresh_log(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!(
        "split-across-processes-{}-{name}",
        std::process::id()
    ));
    let _ = fs::remove_dir_all(&dir);
    fs::create_dir_all(&dir).unwrap();
    dir
}

/// What the workers wrote: the pid and the range of each worker that started.
fn started_workers(log: &Path) -> Vec<(u32, u64, u64)> {
    let mut workers: Vec<(u32, u64, u64)> = fs::read_dir(log)
        .unwrap()
        .filter_map(Result::ok)
        .filter_map(|entry| {
            let pid = entry
                .file_name()
                .to_str()?
                .strip_prefix("started-")?
                .parse()
                .ok()?;
            let text = fs::read_to_string(entry.path()).ok()?;
            let (start, end) = text.trim().split_once(' ')?;
            Some((pid, start.parse().ok()?, end.parse().ok()?))
        })
        .collect();
    workers.sort_by_key(|&(_, start, _)| start);
    workers
}

/// Runs the exercise over `numbers` with `processes` workers that must all run at the same time,
/// and checks the total, the processes, and that their ranges cover `numbers` exactly once.
fn check_split(name: &str, numbers: std::ops::Range<u64>, processes: usize) {
    check_split_with(name, numbers, processes, None);
}

/// [`check_split`], with one more setting for every worker (such as `WORKER_SLOW_AT`).
fn check_split_with(
    name: &str,
    numbers: std::ops::Range<u64>,
    processes: usize,
    setting: Option<(&str, &str)>,
) {
    let log = fresh_log(name);
    let worker = worker_program();
    let new_worker = || {
        let mut command = Command::new(&worker);
        command
            .env("WORKER_LOG_DIR", &log)
            .env("WORKER_MEET", processes.to_string());
        if let Some((key, value)) = setting {
            command.env(key, value);
        }
        command
    };
    let total = sum_of_squares_in_processes(numbers.clone(), processes, new_worker);
    let workers = started_workers(&log);
    let gave_up = fs::read_dir(&log)
        .unwrap()
        .filter_map(Result::ok)
        .filter(|e| e.file_name().to_string_lossy().starts_with("gave-up-"))
        .count();
    let finished_early = fs::read_dir(&log)
        .unwrap()
        .filter_map(Result::ok)
        .filter(|e| e.file_name().to_string_lossy().starts_with("finished-"))
        .count();
    let _ = fs::remove_dir_all(&log);
    assert!(
        gave_up == 0,
        "{gave_up} worker(s) waited 5 s for all {processes} workers to be running at the same \
         time, and gave up: start every worker before you wait for any of them"
    );
    assert_eq!(
        finished_early,
        workers.len(),
        "sum_of_squares_in_processes returned while a worker was still working: wait for every \
         worker to exit (`wait_with_output`), rather than guessing how long it takes"
    );
    let total = total.expect("the exercise returned an error");
    let expected: u64 = numbers.clone().map(|n| n * n).sum();
    assert!(
        !workers.is_empty(),
        "no worker process ran: the total was computed in the test's own process"
    );
    assert_eq!(total, expected, "the sum of the squares of {numbers:?}");
    assert_eq!(
        workers.len(),
        processes,
        "expected {processes} worker processes, {} ran",
        workers.len()
    );
    let pids: HashSet<u32> = workers.iter().map(|w| w.0).collect();
    assert_eq!(
        pids.len(),
        processes,
        "every worker is a process of its own"
    );
    assert!(!pids.contains(&std::process::id()));
    let mut next = numbers.start;
    for &(pid, start, end) in &workers {
        assert_eq!(
            start, next,
            "worker {pid} got {start}..{end}, but the previous range ended at {next}"
        );
        next = end;
    }
    assert_eq!(next, numbers.end, "the ranges must cover {numbers:?}");
}

#[test]
#[ignore = "checked by cargo xtask verify"]
fn four_workers_share_a_large_range() {
    check_split("four", 0..200_000, 4);
}

#[test]
#[ignore = "checked by cargo xtask verify"]
fn a_range_that_does_not_divide_evenly() {
    check_split("uneven", 1..11, 3);
}

#[test]
#[ignore = "checked by cargo xtask verify"]
fn a_single_worker() {
    check_split("single", 5..8, 1);
}

#[test]
#[ignore = "checked by cargo xtask verify"]
fn a_slow_worker_is_waited_for() {
    // The worker given 0..25 works a second longer than the others.
    check_split_with("slow", 0..100, 4, Some(("WORKER_SLOW_AT", "0")));
}
