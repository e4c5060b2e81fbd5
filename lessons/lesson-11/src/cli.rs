//! Command-line flags of lesson 11. Kept apart from `main.rs`, which is the listing the book shows.

use std::time::Duration;

use clap::{Parser, ValueEnum};

/// The most tasks the executor part takes: a million polls run in well under a second.
pub const MAX_TASKS: u64 = 1_000_000;

/// Lesson 11: a future by hand.
///
/// What a future is, shown rather than asserted, with std alone: a `Future` written as a state
/// machine, a `block_on` that parks its thread until a `Waker` wakes it, a timer thread, a future
/// that forgets to arrange its wake-up (a watchdog names the hang), two futures joined by hand, a
/// tiny executor, and what `async fn` becomes. Every poll and every wake is printed.
#[derive(Debug, Parser)]
#[command(version)]
pub struct Args {
    /// How long the timers wait, in milliseconds (one second, so that you see the thread sleep).
    #[arg(
        long,
        value_name = "MS",
        default_value = "1000",
        value_parser = course_support::parse_millis,
        allow_negative_numbers = true
    )]
    pub pause_ms: Duration,

    /// How many tasks the executor part spawns (every poll is printed up to 5 tasks; above that,
    /// only the counts).
    #[arg(
        long,
        value_name = "N",
        default_value = "3",
        value_parser = course_support::whole_number::<usize>(1..=MAX_TASKS, "tasks"),
        allow_negative_numbers = true
    )]
    pub tasks: usize,

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
    /// a Future by hand: a state machine, driven by a block_on that parks
    StateMachine,
    /// a timer future, woken by a timer thread
    Timer,
    /// Pending without a wake-up: the watchdog names the hang
    NoWake,
    /// two futures joined by hand, against one after the other
    Join,
    /// a tiny executor: a queue of tasks, spawn, run
    Executor,
    /// what async fn becomes: the size of its future, and Pin
    AsyncFn,
}
