//! The worker program of lesson 05's exercises (split-across-processes, survive-a-crash), each of
//! which has a three-line `worker.rs` that calls [`run`]: `<worker> START END` prints the sum of
//! the squares of the numbers START..END (END excluded) on one line of its standard output.
//!
//! The checks set a few environment variables on the `Command`
//! they hand you, so that they can see what really ran:
//! - `WORKER_LOG_DIR`: each worker writes `started-<pid>` (holding `START END`) into it, and
//!   `finished-<pid>` when done;
//! - `WORKER_MEET=N`: a worker waits until N workers have started (giving up after 5 s, and then
//!   writing `gave-up-<pid>`), so only workers that run at the same time get their work done;
//! - `WORKER_CRASH_ONCE_AT=S`: the first worker given START = S crashes (it panics: exit code
//!   101) before it prints anything; `WORKER_CRASH_ALWAYS_AT=S`: every such worker does;
//!   `WORKER_CRASH_LATE_AT=S`: the first such worker works a second longer than any other, as
//!   the slow worker below does, and then crashes: code that looks at a worker after a guessed
//!   while, rather than when it has ended, sees it still running and misses its crash;
//! - `WORKER_SLOW_AT=S`: a worker given START = S works a second longer than any other, as a
//!   worker with a bigger share would: code that waits for its workers still gets its answer,
//!   code that guesses how long a worker takes does not.

use std::env;
use std::fs;
use std::path::Path;
use std::process::ExitCode;
use std::thread;
use std::time::{Duration, Instant};

const PATIENCE: Duration = Duration::from_secs(5);

/// How much longer the slow worker of `WORKER_SLOW_AT` works: far longer than a worker's start.
const SLOW_WORK: Duration = Duration::from_secs(1);

/// The worker's `main`.
#[must_use]
pub fn run() -> ExitCode {
    let args: Vec<String> = env::args().skip(1).collect();
    let (Some(start), Some(end)) = (
        args.first().and_then(|a| a.parse::<u64>().ok()),
        args.get(1).and_then(|a| a.parse::<u64>().ok()),
    ) else {
        eprintln!("usage: worker START END (two whole numbers), got {args:?}");
        return ExitCode::from(2);
    };
    let pid = std::process::id();
    let log = env::var_os("WORKER_LOG_DIR");
    let log = log.as_deref().map(Path::new);
    if let Some(log) = log {
        fs::write(
            log.join(format!("started-{pid}")),
            format!("{start} {end}\n"),
        )
        .expect("the log directory is writable");
    }
    if let (Some(log), Some(expected)) = (log, number_from_env("WORKER_MEET"))
        && !wait_for_other_workers(log, expected)
    {
        eprintln!(
            "worker {pid} waited {PATIENCE:?} for {expected} workers to run at the same time: \
             start them all before you wait for any"
        );
        fs::write(log.join(format!("gave-up-{pid}")), "").expect("the log is writable");
        return ExitCode::from(3);
    }
    if number_from_env("WORKER_CRASH_ALWAYS_AT") == Some(start) {
        crash_on_purpose(pid, "WORKER_CRASH_ALWAYS_AT", start);
    }
    if let (Some(log), Some(crash_at)) = (log, number_from_env("WORKER_CRASH_ONCE_AT"))
        && crash_at == start
        && !any_file_starts_with(log, "crashed-")
    {
        fs::write(log.join(format!("crashed-{pid}")), "").expect("the log is writable");
        crash_on_purpose(pid, "WORKER_CRASH_ONCE_AT", start);
    }
    if let (Some(log), Some(crash_at)) = (log, number_from_env("WORKER_CRASH_LATE_AT"))
        && crash_at == start
        && !any_file_starts_with(log, "crashed-")
    {
        fs::write(log.join(format!("crashed-{pid}")), "").expect("the log is writable");
        thread::sleep(SLOW_WORK);
        crash_on_purpose(pid, "WORKER_CRASH_LATE_AT", start);
    }
    if number_from_env("WORKER_SLOW_AT") == Some(start) {
        thread::sleep(SLOW_WORK);
    }
    let sum: u64 = (start..end).map(|n| n * n).sum();
    println!("{sum}");
    if let Some(log) = log {
        fs::write(log.join(format!("finished-{pid}")), "").expect("the log is writable");
    }
    ExitCode::SUCCESS
}

fn crash_on_purpose(pid: u32, setting: &str, start: u64) -> ! {
    panic!("worker {pid} crashes on purpose: the checks set {setting}={start}")
}

fn number_from_env(name: &str) -> Option<u64> {
    env::var(name).ok()?.parse().ok()
}

/// Polls the log until `expected` workers have started, for at most [`PATIENCE`].
fn wait_for_other_workers(log: &Path, expected: u64) -> bool {
    let deadline = Instant::now() + PATIENCE;
    while Instant::now() < deadline {
        let started = fs::read_dir(log).map_or(0, |entries| {
            entries
                .filter_map(Result::ok)
                .filter(|e| e.file_name().to_string_lossy().starts_with("started-"))
                .count()
        });
        if started as u64 >= expected {
            return true;
        }
        thread::sleep(Duration::from_millis(5));
    }
    false
}

fn any_file_starts_with(log: &Path, prefix: &str) -> bool {
    fs::read_dir(log).is_ok_and(|entries| {
        entries
            .filter_map(Result::ok)
            .any(|e| e.file_name().to_string_lossy().starts_with(prefix))
    })
}
