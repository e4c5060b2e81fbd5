//! Wrong: looks at a worker after a guessed while: a crash after that is missed.
//! verify says: "a_worker_that_crashes_late"
//! verify says: "guessed while"

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
    let mut restarts = 0;
    for (share, mut worker) in shares.iter().zip(workers) {
        let mut attempt = 1;
        loop {
            std::thread::sleep(std::time::Duration::from_millis(50));
            if let Some(status) = worker.try_wait()?
                && !status.success()
            {
                if attempt == ATTEMPTS {
                    return Err(io::Error::other("too many crashes"));
                }
                attempt += 1;
                restarts += 1;
                worker = start_worker(&new_worker, share)?;
                continue;
            }
            let output = worker.wait_with_output()?;
            let text = String::from_utf8_lossy(&output.stdout);
            total += text.trim().parse::<u64>().unwrap_or(0);
            break;
        }
    }
    Ok(Outcome { total, restarts })
}

#[cfg(test)]
#[path = "../checks.rs"]
mod checks;
