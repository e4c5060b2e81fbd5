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

    /// Be the scheduler: thread A moves money from account 1 to account 2, thread B from 2 to 1,
    /// and each takes its next step only when you say so. `deadlock`: make both wait forever;
    /// `global-order`: try the same against the fix. Type A or B, then Enter, for each move.
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
    /// two threads take two locks in opposite order
    OppositeOrder,
    /// three ways out, each running to completion
    Fixes,
    /// a deadlock without two mutexes: a channel that never closes
    Channel,
}
