//! Command-line flags of lesson 03. Kept apart from `main.rs`, which is the listing the book shows.

use std::time::Duration;

use clap::{Parser, ValueEnum};

/// The most increments, all threads together, that the live race may be asked to do.
const MAX_TOTAL_INCREMENTS: u64 = 4_000_000;

/// Lesson 03: race conditions.
///
/// The Python way — many threads doing `counter += 1` on one shared integer — does not compile in
/// Rust. What does compile, and still goes wrong: a read-modify-write split into a load and a store
/// (run live, then replayed step by step), and a check-then-act on a bank account. Each comes
/// with its fix; the loom tests of this package check the same code under every interleaving.
#[derive(Debug, Parser)]
#[command(version)]
pub struct Args {
    /// How many threads share the counter (2 to 64: a race needs at least two).
    #[arg(
        long,
        value_name = "K",
        default_value_t = 4,
        value_parser = course_support::whole_number::<u32>(2..=64, "threads"),
        allow_negative_numbers = true
    )]
    pub threads: u32,

    /// How many times each thread adds one (1 to 1000000; K × M at most 4000000, a few seconds).
    #[arg(
        long,
        value_name = "M",
        default_value_t = 100_000,
        value_parser = course_support::whole_number::<u64>(1..=1_000_000, "increments"),
        allow_negative_numbers = true
    )]
    pub increments: u64,

    /// Pause after each step of a replayed interleaving, in milliseconds, so you can follow it.
    #[arg(
        long,
        value_name = "MS",
        default_value = "500",
        value_parser = course_support::parse_millis,
        allow_negative_numbers = true
    )]
    pub step_ms: Duration,

    /// Be the scheduler: two threads run the lesson's own code, and each takes its next step
    /// only when you say so. Reach the goal: `lost-update` (two increments, yet the counter ends
    /// at one) or `overdraw` (two withdrawals of 80 from 100, a negative balance). Type A or B,
    /// then Enter, for each move.
    #[arg(long, value_name = "GOAL", value_enum, conflicts_with = "only")]
    pub play: Option<crate::play::Goal>,

    /// With --play: the moves, such as ABAB, instead of typing them one by one.
    #[arg(long, value_name = "MOVES", requires = "play", value_parser = course_support::stage::parse_moves)]
    pub moves: Option<String>,

    #[command(flatten)]
    pub parts: course_support::Parts<Part>,
}

/// The parts of the lesson, in the order they run. Each doc comment is the part's title: `--help`
/// lists it and the lesson prints it as the part's heading.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum Part {
    /// counter += 1 from several threads does not compile
    DoesNotCompile,
    /// a read and a write, apart: updates get lost
    LostUpdates,
    /// the lost update, replayed step by step
    Replay,
    /// three fixes that count right
    Fixes,
    /// check-then-act: an account overdrawn
    CheckThenAct,
}

impl Args {
    /// Reads the command line (clap), with the conventions every lesson shares: see
    /// [`course_support::parse_args`].
    pub fn parse() -> Self {
        let args: Self = course_support::parse_args();
        // Each increment spins for about a microsecond; this much work would run for minutes.
        course_support::limit_total_increments::<Self>(
            u64::from(args.threads),
            args.increments,
            MAX_TOTAL_INCREMENTS,
        );
        args
    }
}
