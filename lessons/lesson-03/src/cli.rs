//! Command-line flags of lesson 03. Kept apart from `main.rs`, which is the listing the book shows.

use std::time::Duration;

use clap::{CommandFactory, Parser, ValueEnum};

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

    /// Run only this part of the lesson (by default every part runs, in order).
    #[arg(long, value_enum, value_name = "PART")]
    pub part: Option<Part>,
}

/// The parts of the lesson, in the order they run.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum Part {
    /// The Python way, `counter += 1` from several threads, is rejected by the compiler.
    DoesNotCompile,
    /// A load and a store, run live on K threads: some updates are lost.
    LostUpdates,
    /// The same lost update, replayed step by step: the same result on every run.
    Replay,
    /// Three fixes, all correct, and how long each takes.
    Fixes,
    /// Check-then-act: two withdrawals overdraw an account; then the fix.
    CheckThenAct,
}

impl Args {
    /// Reads the command line (clap), with the conventions every lesson shares: see
    /// [`course_support::parse_args`].
    pub fn parse() -> Self {
        let args: Self = course_support::parse_args();
        if u64::from(args.threads) * args.increments > MAX_TOTAL_INCREMENTS {
            // Each increment spins for about a microsecond; this much work would run for minutes.
            Self::command()
                .error(
                    clap::error::ErrorKind::ValueValidation,
                    format!(
                        "{} threads × {} increments is too much work (it would run for minutes); \
                         keep K × M at most {MAX_TOTAL_INCREMENTS}",
                        args.threads, args.increments
                    ),
                )
                .exit();
        }
        args
    }

    /// The parts to run, in course order.
    pub fn parts(&self) -> Vec<Part> {
        course_support::selected_parts(self.part)
    }
}

impl Part {
    pub fn title(self) -> &'static str {
        match self {
            Part::DoesNotCompile => "counter += 1 from several threads does not compile",
            Part::LostUpdates => "a read and a write, apart: updates get lost",
            Part::Replay => "the lost update, replayed step by step",
            Part::Fixes => "three fixes that count right",
            Part::CheckThenAct => "check-then-act: an account overdrawn",
        }
    }
}
