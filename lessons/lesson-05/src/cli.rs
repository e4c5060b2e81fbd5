//! Command-line flags of lesson 05. Kept apart from `main.rs`, which is the listing the book shows.

use std::thread;

use clap::{Parser, Subcommand, ValueEnum};

/// The most worker processes (and threads) the lesson starts.
pub const MAX_WORKERS: usize = 64;

/// The largest `--limit`: counting primes below it takes about a minute on one core.
pub const MAX_LIMIT: u64 = 100_000_000;

/// Lesson 05: multiple processes.
///
/// The program starts copies of itself as child processes: one that prints its process id, one
/// that changes its own copy of a value, then a pool of workers that count primes, compared with
/// one loop and with threads. Then a worker that crashes on purpose, and what a process costs to
/// start compared with a thread.
#[derive(Debug, Parser)]
#[command(version)]
pub struct Args {
    /// How many worker processes (and threads) count primes: one per core unless told otherwise.
    /// Part 4 uses at least two.
    #[arg(
        long,
        value_name = "K",
        default_value_t = default_workers(),
        value_parser = course_support::whole_number::<usize>(1..=MAX_WORKERS as u64, "workers"),
        allow_negative_numbers = true
    )]
    pub workers: usize,

    /// Count the primes below this number (ten million takes one to two seconds on one core).
    #[arg(
        long,
        value_name = "N",
        default_value = "10000000",
        value_parser = parse_limit,
        allow_negative_numbers = true
    )]
    pub limit: u64,

    /// Draw which worker counted when in part 3: printed as text, and written to FILE, a picture
    /// if FILE ends in `.svg`, the figures if it ends in `.tsv` (`target/timeline.svg`, say);
    /// the lesson prints the file's whole path.
    #[arg(long, value_name = "FILE", value_parser = course_support::timeline::parse_file)]
    pub timeline: Option<std::path::PathBuf>,

    #[command(flatten)]
    pub parts: course_support::Parts<Part>,

    /// Run as a worker: what the lesson's child processes do (not meant to be typed by hand, but
    /// try `worker count-primes` and type `count 0 100`).
    #[command(subcommand)]
    pub hidden: Option<Hidden>,
}

/// The hidden subcommand a child process is started with.
#[derive(Debug, Subcommand)]
pub enum Hidden {
    #[command(hide = true)]
    Worker {
        #[arg(value_enum)]
        role: Role,
    },
}

/// What a child process does.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum Role {
    /// Print its process id, then exit (part 1).
    Hello,
    /// Read numbers from stdin, double its copy of them, print them (part 2).
    DoubleCopy,
    /// Answer `count START END` lines with the number of primes in START..END (parts 3 and 4).
    CountPrimes,
    /// Exit at once (part 5 measures how long that takes, start to finish).
    Nothing,
}

/// The parts of the lesson, in the order they run. Each doc comment is the part's title: `--help`
/// lists it and the lesson prints it as the part's heading.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum Part {
    /// a child process, started and waited for
    Child,
    /// each process has its own memory
    Memory,
    /// a pool of worker processes, threads, and one loop
    Pool,
    /// a crashing worker does not bring the parent down
    Isolation,
    /// the price of a process
    Price,
}

/// The number of cores this machine offers, at most [`MAX_WORKERS`].
fn default_workers() -> usize {
    thread::available_parallelism().map_or(1, |n| n.get().min(MAX_WORKERS))
}

fn parse_limit(arg: &str) -> Result<u64, String> {
    let arg = arg.trim();
    if arg.starts_with('-') && arg.len() > 1 {
        return Err("the limit cannot be negative".to_string());
    }
    let limit: u64 = arg
        .parse()
        .map_err(|_| "expected a whole number, such as 1000000".to_string())?;
    if !(2..=MAX_LIMIT).contains(&limit) {
        return Err(format!(
            "{limit} is out of range; choose a limit from 2 to {MAX_LIMIT}"
        ));
    }
    Ok(limit)
}
