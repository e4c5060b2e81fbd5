//! Command-line flags of lesson 01. Kept apart from `main.rs`, which is the listing the book shows.

use std::time::Duration;

use clap::{Parser, ValueEnum};

/// Lesson 01: a basic thread.
///
/// A spawned thread prints `Number: 0` … `Number: 4` with a pause after each, and main joins it.
/// Then what Rust adds: a value returned through the join handle, a `move` closure, scoped threads,
/// thread names, and what happens when main does not join (that part runs last: it ends the
/// program).
#[derive(Debug, Parser)]
#[command(version)]
pub struct Args {
    /// Pause after each number, in milliseconds (the article sleeps one second).
    #[arg(
        long,
        value_name = "MS",
        default_value = "1000",
        value_parser = course_support::parse_millis,
        allow_negative_numbers = true
    )]
    pub pause_ms: Duration,

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
    /// a thread, started and joined
    Basic,
    /// a thread returns a value through its JoinHandle
    ReturnValue,
    /// a move closure gives the thread its own data
    Move,
    /// scoped threads borrow local data
    Scope,
    /// named threads
    Names,
    /// without join, the thread is cut off when main ends
    NoJoin,
}
