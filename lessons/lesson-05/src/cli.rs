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
    #[arg(long, value_name = "K", default_value_t = default_workers(), value_parser = parse_workers)]
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

    /// Run only this part of the lesson (by default every part runs, in order).
    #[arg(long, value_enum, value_name = "PART")]
    pub part: Option<Part>,

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

/// The parts of the lesson, in the order they run.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum Part {
    /// Start a child process, wait for it, read its exit status.
    Child,
    /// A child changes its copy of a value; the parent's stays as it was.
    Memory,
    /// Count primes in one loop, with threads, and with a pool of worker processes.
    Pool,
    /// A worker crashes on purpose; its chunk is redone by another.
    Isolation,
    /// What starting a thread and starting a process cost.
    Price,
}

impl Args {
    /// The parts to run, in course order.
    pub fn parts(&self) -> Vec<Part> {
        match self.part {
            Some(part) => vec![part],
            None => Part::value_variants().to_vec(),
        }
    }
}

impl Part {
    pub fn title(self) -> &'static str {
        match self {
            Part::Child => "a child process, started and waited for",
            Part::Memory => "each process has its own memory",
            Part::Pool => "a pool of worker processes, threads, and one loop",
            Part::Isolation => "a crashing worker does not bring the parent down",
            Part::Price => "the price of a process",
        }
    }
}

/// The number of cores this machine offers, at most [`MAX_WORKERS`].
fn default_workers() -> usize {
    thread::available_parallelism().map_or(1, |n| n.get().min(MAX_WORKERS))
}

fn parse_workers(arg: &str) -> Result<usize, String> {
    let workers: usize = arg
        .trim()
        .parse()
        .map_err(|_| "expected a whole number of workers, such as 2".to_string())?;
    if workers == 0 || workers > MAX_WORKERS {
        return Err(format!(
            "{workers} workers: the lesson starts between 1 and {MAX_WORKERS}"
        ));
    }
    Ok(workers)
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
            "{limit} is out of range: the lesson counts primes below 2 up to {MAX_LIMIT}"
        ));
    }
    Ok(limit)
}
