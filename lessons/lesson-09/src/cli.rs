//! Command-line flags of lesson 09. Kept apart from `main.rs`, which is the listing the book shows.

use std::path::PathBuf;

use clap::{Parser, ValueEnum};

/// The largest `--limit`: counting the primes below it takes about a minute on one core.
const MAX_LIMIT: u64 = 200_000_000;
/// The most threads `--threads` accepts.
const MAX_THREADS: usize = 64;

/// Lesson 09: data parallelism with rayon.
///
/// Lesson 05's prime count again, first with one line of rayon (`par_iter`) beside a loop and
/// hand-made threads; then work of very uneven sizes, where splitting it evenly by hand leaves a
/// core idle and rayon's work stealing does not; then `rayon::join` and `rayon::scope` for
/// divide and conquer; and last a job so small that going parallel costs more than it saves.
///
/// Every part runs on a pool of --threads threads (one per core unless told otherwise).
#[derive(Debug, Parser)]
#[command(version)]
pub struct Args {
    /// How many threads rayon's pool and the hand-made threads use: one per core by default.
    #[arg(
        long,
        value_name = "K",
        default_value_t = default_threads(),
        value_parser = course_support::whole_number::<usize>(1..=MAX_THREADS as u64, "threads"),
        allow_negative_numbers = true
    )]
    pub threads: usize,

    /// The size of the work: count the primes below N (ten million takes one to two seconds on
    /// one core); the other parts scale with it.
    #[arg(
        long,
        value_name = "N",
        default_value = "10000000",
        value_parser = course_support::whole_number::<u64>(1000..=MAX_LIMIT, "limit"),
        allow_negative_numbers = true
    )]
    pub limit: u64,

    /// Draw which worker ran which job in part 2: printed as text, and written to FILE, a
    /// picture if FILE ends in `.svg`, the figures if it ends in `.tsv` (`target/uneven.svg`,
    /// say); the lesson prints the file's whole path.
    #[arg(long, value_name = "FILE", value_parser = course_support::timeline::parse_file)]
    pub timeline: Option<PathBuf>,

    #[command(flatten)]
    pub parts: course_support::Parts<Part>,
}

/// The parts of the lesson, in the order they run. Each doc comment is the part's title: `--help`
/// lists it and the lesson prints it as the part's heading.
#[allow(
    clippy::doc_markdown,
    reason = "a title is printed as it is, without backticks"
)]
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum Part {
    /// par_iter: lesson 05's prime count in one line
    ParIter,
    /// uneven work: an even split by hand against work stealing
    Uneven,
    /// rayon::join and rayon::scope: divide and conquer
    Join,
    /// a job too small to split
    TooSmall,
}

fn default_threads() -> usize {
    std::thread::available_parallelism().map_or(1, |n| n.get().min(MAX_THREADS))
}
