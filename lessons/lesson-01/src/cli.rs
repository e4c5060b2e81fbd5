//! Command-line flags of lesson 01. Kept apart from `main.rs`, which is the listing the book shows.

use std::time::Duration;

use clap::{Parser, ValueEnum};

/// Lesson 01: a basic thread.
///
/// A spawned thread prints `Number: 0` … `Number: 4` with a pause after each, and main joins it.
/// Then what Rust adds: a value returned through the join handle, a `move` closure, scoped threads,
/// thread names, and what happens when main does not join.
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

    /// Run only this part of the lesson (by default every part runs, in order).
    #[arg(long, value_enum, value_name = "PART")]
    pub part: Option<Part>,
}

/// The parts of the lesson, in the order they run.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum Part {
    /// Spawn a thread, then join it.
    Basic,
    /// Get a value back through the `JoinHandle`.
    ReturnValue,
    /// Move data into the thread with a `move` closure.
    Move,
    /// Borrow local data with `std::thread::scope`.
    Scope,
    /// Name threads with `thread::Builder`.
    Names,
    /// End main without joining: the process ends and the thread stops mid-way (runs last, as it ends the program).
    NoJoin,
}

impl Args {
    /// Reads the command line (clap), with the conventions every lesson shares: see
    /// [`course_support::parse_args`].
    pub fn parse() -> Self {
        course_support::parse_args()
    }

    /// The parts to run, in course order.
    pub fn parts(&self) -> Vec<Part> {
        course_support::selected_parts(self.part)
    }
}

impl Part {
    pub fn title(self) -> &'static str {
        match self {
            Part::Basic => "a thread, started and joined",
            Part::ReturnValue => "a thread returns a value through its JoinHandle",
            Part::Move => "a move closure gives the thread its own data",
            Part::Scope => "scoped threads borrow local data",
            Part::Names => "named threads",
            Part::NoJoin => "without join, the thread is cut off when main ends",
        }
    }
}
