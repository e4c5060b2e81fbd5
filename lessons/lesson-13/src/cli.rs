//! Command-line flags of lesson 13. Kept apart from `main.rs`, which is the listing the book shows.

use std::time::Duration;

use clap::{Parser, ValueEnum};

/// Lesson 13: cancellation, shutdown and structured concurrency.
///
/// Five checks in a `JoinSet`: the first error cancels the rest, and no task outlives the
/// function that started them (against `tokio::spawn`, whose tasks run on). A `select!` loop
/// that loses half a line, and two fixes. A loopback server that shuts down gracefully: it stops
/// accepting, lets the requests in flight finish within a deadline, and aborts the rest. A CPU
/// job that blocks the runtime, against `spawn_blocking`, measured by how late another task
/// wakes. And tokio's paused clock, which runs a 10 s time-out in no time.
///
/// With --serve, the server of part 3 runs until you press Ctrl-C (or end its input), on every
/// system: try it with a client such as `nc 127.0.0.1 PORT`, and type a number of milliseconds
/// of work.
#[derive(Debug, Parser)]
#[command(version)]
pub struct Args {
    /// How long the CPU job of part 4 keeps a core busy, in milliseconds.
    #[arg(
        long,
        value_name = "MS",
        default_value = "1000",
        value_parser = course_support::parse_millis,
        allow_negative_numbers = true
    )]
    pub job_ms: Duration,

    /// Run part 3's server on 127.0.0.1 until Ctrl-C or the end of standard input, instead of
    /// the lesson's parts.
    #[arg(long, conflicts_with = "only")]
    pub serve: bool,

    /// With --serve: how long the requests in flight may still take after Ctrl-C.
    #[arg(
        long,
        value_name = "MS",
        default_value = "10000",
        value_parser = course_support::parse_millis,
        allow_negative_numbers = true,
        requires = "serve"
    )]
    pub deadline_ms: Duration,

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
    /// JoinSet: the first error cancels the rest
    JoinSet,
    /// select! in a loop: a future that is not cancel-safe loses data
    CancelSafety,
    /// a server that shuts down gracefully
    Shutdown,
    /// a CPU job blocks the runtime, against spawn_blocking
    Blocking,
    /// tokio's paused clock: a 10 s time-out in no time
    PausedClock,
}
