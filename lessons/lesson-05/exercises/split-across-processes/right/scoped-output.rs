//! Right: every worker waited for on a scoped thread with `Command::output`.

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
    let mut commands = Vec::new();
    let mut start = numbers.start;
    while start < numbers.end {
        let end = (start + size).min(numbers.end);
        let mut command = new_worker();
        command.arg(start.to_string()).arg(end.to_string());
        commands.push(command);
        start = end;
    }
    let outputs: Vec<io::Result<std::process::Output>> = std::thread::scope(|scope| {
        let threads: Vec<_> = commands
            .into_iter()
            .map(|mut command| scope.spawn(move || command.output()))
            .collect();
        threads.into_iter().map(|t| t.join().unwrap()).collect()
    });
    let mut total = 0;
    for output in outputs {
        let output = output?;
        if !output.status.success() {
            return Err(io::Error::other("a worker failed"));
        }
        let text = String::from_utf8_lossy(&output.stdout);
        total += text.trim().parse::<u64>().map_err(io::Error::other)?;
    }
    Ok(total)
}

#[cfg(test)]
#[path = "../checks.rs"]
mod checks;
