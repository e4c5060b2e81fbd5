//! Wrong: sleeps 50 ms and then asks whether each worker has finished.
//! verify says: "rather than guessing"

use std::io;
use std::ops::Range;
use std::process::{Command, Stdio};

/// Sums the squares of `numbers` with `processes` worker processes running at the same time.
///
/// `new_worker()` returns a `Command` for the worker program. Add two arguments, START and END,
/// and the worker prints the sum of the squares of START..END on its standard output.
pub fn sum_of_squares_in_processes(
    numbers: Range<u64>,
    processes: usize,
    new_worker: impl Fn() -> Command,
) -> io::Result<u64> {
    let size = (numbers.end - numbers.start)
        .div_ceil(processes as u64)
        .max(1);
    // Start every worker first; waiting inside this loop would run them one after another.
    let mut workers = Vec::new();
    let mut start = numbers.start;
    while start < numbers.end {
        let end = (start + size).min(numbers.end);
        let child = new_worker()
            .arg(start.to_string())
            .arg(end.to_string())
            .stdout(Stdio::piped())
            .spawn()?;
        workers.push(child);
        start = end;
    }
    // Workers take a few milliseconds: give them 50.
    std::thread::sleep(std::time::Duration::from_millis(50));
    let mut total = 0;
    for mut worker in workers {
        if worker.try_wait()?.is_none() {
            return Err(io::Error::other("a worker did not finish"));
        }
        let output = worker.wait_with_output()?;
        if !output.status.success() {
            return Err(io::Error::other(format!(
                "a worker failed: {}",
                output.status
            )));
        }
        let text = String::from_utf8_lossy(&output.stdout);
        total += text.trim().parse::<u64>().map_err(io::Error::other)?;
    }
    Ok(total)
}

#[cfg(test)]
#[path = "../checks.rs"]
mod checks;
