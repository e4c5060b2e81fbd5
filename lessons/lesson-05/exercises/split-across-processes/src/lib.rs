//! Exercise `split-across-processes` (lesson 05).
//!
//! Spread a CPU-bound job — the sum of the squares of a range of numbers — over several worker
//! processes that run at the same time. Each worker is a separate program with its own memory:
//! it gets its share as command-line arguments and sends its answer back on its standard output.
//!
//! Check your work: `cargo xtask verify split-across-processes`.
//! Stuck? `cargo xtask hint split-across-processes`.
//! The checks in `checks.rs` count the worker processes that really ran, and make every worker
//! wait until all of them are running, so an answer without processes, or with processes started
//! one after another, does not pass. The worker program is `../worker.rs`.

use std::io;
use std::ops::Range;
use std::process::Command;

/// Sums the squares of `numbers` with `processes` worker processes running at the same time.
///
/// `new_worker()` returns a `Command` for the worker program. Add two arguments, START and END,
/// and the worker prints the sum of the squares of START..END on its standard output.
pub fn sum_of_squares_in_processes(
    numbers: Range<u64>,
    processes: usize,
    new_worker: impl Fn() -> Command,
) -> io::Result<u64> {
    // TODO: this does all the work here, in this process. Instead, split `numbers` into
    // `processes` ranges; for each, start a worker with `new_worker().arg(..).arg(..)`, its
    // stdout piped (`Stdio::piped()`), and `.spawn()` it. Only when all are running, wait for
    // each with `wait_with_output()`, parse its stdout, and add up the answers.
    let _ = (processes, new_worker); // (only silences warnings about unused arguments)
    Ok(numbers.map(|n| n * n).sum())
}

#[cfg(test)]
#[path = "../checks.rs"]
mod checks;
