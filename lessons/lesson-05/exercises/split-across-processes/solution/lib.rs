//~ starter:
//~ //! Exercise `split-across-processes` (lesson 05).
//~ solution:
//! Exercise `split-across-processes` (lesson 05): reference solution.
//~ end
//!
//! Spread a CPU-bound job — the sum of the squares of a range of numbers — over several worker
//! processes that run at the same time. Each worker is a separate program with its own memory:
//! it gets its share as command-line arguments and sends its answer back on its standard output.
//~ starter:
//~ //!
//~ //! Check your work: `cargo xtask verify split-across-processes`.
//~ //! Stuck? `cargo xtask hint split-across-processes`.
//~ //! The checks in `checks.rs` count the worker processes that really ran, and make every worker
//~ //! wait until all of them are running, so an answer without processes, or with processes started
//~ //! one after another, does not pass. The worker program is `../worker.rs`.
//~ solution:
//~ end

use std::io;
use std::ops::Range;
//~ starter:
//~ use std::process::Command;
//~ solution:
use std::process::{Command, Stdio};
//~ end

/// Sums the squares of `numbers` with `processes` worker processes running at the same time.
///
/// `new_worker()` returns a `Command` for the worker program. Add two arguments, START and END,
/// and the worker prints the sum of the squares of START..END on its standard output.
pub fn sum_of_squares_in_processes(
    numbers: Range<u64>,
    processes: usize,
    new_worker: impl Fn() -> Command,
) -> io::Result<u64> {
    //~ starter:
    //~ // TODO: this does all the work here, in this process. Instead, split `numbers` into
    //~ // `processes` ranges; for each, start a worker with `new_worker().arg(..).arg(..)`, its
    //~ // stdout piped (`Stdio::piped()`), and `.spawn()` it. Only when all are running, wait for
    //~ // each with `wait_with_output()`, parse its stdout, and add up the answers.
    //~ let _ = (processes, new_worker); // (only silences warnings about unused arguments)
    //~ Ok(numbers.map(|n| n * n).sum())
    //~ solution:
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
    let mut total = 0;
    for worker in workers {
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
    //~ end
}

#[cfg(test)]
#[path = "../checks.rs"]
mod checks;
