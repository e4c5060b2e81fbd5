//! Exercise `survive-a-crash` (lesson 05).
//!
//! A process buys isolation: when a worker process crashes, its memory goes with it, and the
//! coordinator lives on — if it looks at how each worker ended. Here one worker crashes part-way;
//! the coordinator must notice, run that share again, and still return the right total.
//!
//! Check your work: `cargo xtask verify survive-a-crash`. Stuck? `cargo xtask hint survive-a-crash`.
//! The checks in `checks.rs` make a real worker process crash (it panics), and count the
//! processes that ran. The worker program is `../worker.rs`.

use std::io;
use std::ops::Range;
use std::process::{Child, Command, Stdio};

/// How many times a share is tried before the coordinator gives up.
pub const ATTEMPTS: usize = 3;

/// The result of a job that survived its workers' crashes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Outcome {
    /// The sum of the squares of all the numbers.
    pub total: u64,
    /// How many shares had to be run again because their worker crashed.
    pub restarts: usize,
}

/// Starts one worker on `share`, its standard output piped to us.
fn start_worker(new_worker: &impl Fn() -> Command, share: &Range<u64>) -> io::Result<Child> {
    new_worker()
        .arg(share.start.to_string())
        .arg(share.end.to_string())
        .stdout(Stdio::piped())
        .spawn()
}

/// Sums the squares of `numbers` with `processes` workers at the same time, running a share
/// again (up to [`ATTEMPTS`] tries in all) when its worker does not exit successfully. Returns an
/// error when a share fails [`ATTEMPTS`] times.
pub fn sum_of_squares_surviving_crashes(
    numbers: Range<u64>,
    processes: usize,
    new_worker: impl Fn() -> Command,
) -> io::Result<Outcome> {
    let size = (numbers.end - numbers.start)
        .div_ceil(processes as u64)
        .max(1);
    let shares: Vec<Range<u64>> = (numbers.start..numbers.end)
        .step_by(usize::try_from(size).expect("a share fits in memory"))
        .map(|start| start..(start + size).min(numbers.end))
        .collect();
    let workers = shares
        .iter()
        .map(|share| start_worker(&new_worker, share))
        .collect::<io::Result<Vec<Child>>>()?;
    let mut total = 0;
    for worker in workers {
        let output = worker.wait_with_output()?;
        // TODO: a worker that crashed printed nothing, and its share is silently counted as 0.
        // Look at `output.status` first: if the worker did not succeed, start a new worker on
        // the same share (`start_worker`), count the restart, and give up with an error after
        // `ATTEMPTS` tries in all.
        let text = String::from_utf8_lossy(&output.stdout);
        total += text.trim().parse::<u64>().unwrap_or(0);
    }
    Ok(Outcome { total, restarts: 0 })
}

#[cfg(test)]
#[path = "../checks.rs"]
mod checks;
