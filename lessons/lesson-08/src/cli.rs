//! Command-line flags of lesson 08. Kept apart from `main.rs`, which is the listing the book shows.

use clap::{Parser, ValueEnum};

/// The most lock operations, all threads together, that one row of the spin-lock part may ask
/// for: about five seconds with many threads on two cores.
const MAX_TOTAL_INCREMENTS: u64 = 20_000_000;

/// Lesson 08: atomics and memory ordering.
///
/// A writer publishes a value through a flag, with `Release`/`Acquire` and with `Relaxed` (the
/// loom tests of this package show what each ordering allows). Then a spin lock built from an
/// `AtomicBool`, timed against `Mutex` under contention; statistics counters with `fetch_add`;
/// and tickets handed out by a compare-exchange loop and by `fetch_update`.
#[derive(Debug, Parser)]
#[command(version)]
pub struct Args {
    /// How many threads share the lock, the statistics and the tickets (2 to 64).
    #[arg(
        long,
        value_name = "K",
        default_value_t = 4,
        value_parser = course_support::whole_number::<u32>(2..=64, "threads"),
        allow_negative_numbers = true
    )]
    pub threads: u32,

    /// How many times each thread takes the lock and adds one (1 to 10000000; K × M at most
    /// 20000000; the default takes about a second).
    #[arg(
        long,
        value_name = "M",
        default_value_t = 2_000_000,
        value_parser = course_support::whole_number::<u64>(1..=10_000_000, "increments"),
        allow_negative_numbers = true
    )]
    pub increments: u64,

    /// How many times the writer publishes and the reader waits, for each ordering (1 to 10000).
    #[arg(
        long,
        value_name = "N",
        default_value_t = 1000,
        value_parser = course_support::whole_number::<u32>(1..=10_000, "tries"),
        allow_negative_numbers = true
    )]
    pub tries: u32,

    #[command(flatten)]
    pub parts: course_support::Parts<Part>,
}

/// The parts of the lesson, in the order they run. Each doc comment is the part's title: `--help`
/// lists it and the lesson prints it as the part's heading.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
#[allow(
    clippy::doc_markdown,
    reason = "the doc comments are the parts' titles, printed as written"
)]
pub enum Part {
    /// publishing data through a flag
    Publish,
    /// a spin lock, and Mutex, under contention
    SpinLock,
    /// statistics counters: fetch_add with Relaxed
    Statistics,
    /// compare-exchange loops and fetch_update
    CompareExchange,
}

impl Args {
    /// Reads the command line (clap), with the conventions every lesson shares: see
    /// [`course_support::parse_args`].
    pub fn parse() -> Self {
        let args: Self = course_support::parse_args();
        // Spinning threads that outnumber the cores slow the lock down a lot: keep it short.
        course_support::limit_total_increments::<Self>(
            u64::from(args.threads),
            args.increments,
            MAX_TOTAL_INCREMENTS,
        );
        args
    }
}
