//! Command-line flags of lesson 04. Kept apart from `main.rs`, which is the listing the book shows.

use std::time::Duration;

use clap::{Parser, ValueEnum};

/// Lesson 04: deadlocks.
///
/// Two threads move money between two accounts, each locking the account it takes money from
/// first. Taking the two locks in opposite orders, they deadlock on every run, and a watchdog names
/// who holds what and waits for what. Then three fixes that always finish, and a deadlock with no second mutex: a
/// loop waiting on a channel that main itself keeps open. The program always ends by itself.
#[derive(Debug, Parser)]
#[command(version)]
pub struct Args {
    /// How long each thread works, in milliseconds (the article's one second). In parts 1 and 2
    /// it works while holding a lock; every pause of the lesson, back-offs included, scales with it.
    #[arg(
        long,
        value_name = "MS",
        default_value = "1000",
        value_parser = course_support::parse_millis,
        allow_negative_numbers = true
    )]
    pub work_ms: Duration,

    /// Run only this part of the lesson (by default every part runs, in order).
    #[arg(long, value_enum, value_name = "PART")]
    pub part: Option<Part>,
}

/// The parts of the lesson, in the order they run.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum Part {
    /// Two threads take two locks in opposite order; a watchdog finds the deadlock.
    OppositeOrder,
    /// The same transfers, fixed three ways: global lock order, `try_lock` with back-off, one lock.
    Fixes,
    /// A deadlock without two mutexes: receiving on a channel that main keeps open.
    Channel,
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
            Part::OppositeOrder => "two threads take two locks in opposite order",
            Part::Fixes => "three ways out, each running to completion",
            Part::Channel => "a deadlock without two mutexes: a channel that never closes",
        }
    }
}
