//! Command-line flags of lesson 12. Kept apart from `main.rs`, which is the listing the book shows.

use std::time::Duration;

use clap::{CommandFactory, Parser, ValueEnum};

/// The most increments the shared-counter measurement makes in all (tasks × increments).
pub const MAX_TOTAL_INCREMENTS: u64 = 10_000_000;

/// Lesson 12: tasks that share and talk (`tokio::sync`).
///
/// std's Mutex inside async code, right while its guard never crosses an `.await`; tokio's Mutex
/// for a lock held across one; a counter shared by a thousand tasks with each of them and with an
/// actor, measured. Then the channels: a bounded mpsc that makes a fast producer wait, oneshot for
/// an answer, an actor that owns its state instead of a lock, broadcast with a receiver that
/// lags, watch for the latest value; and last a Semaphore that keeps k jobs in flight.
#[derive(Debug, Parser)]
#[command(version)]
pub struct Args {
    /// The pause of a slow step (a reply awaited under a lock, a slow consumer, a job), in
    /// milliseconds, so you can watch it.
    #[arg(
        long,
        value_name = "MS",
        default_value = "200",
        value_parser = course_support::parse_millis,
        allow_negative_numbers = true
    )]
    pub pause_ms: Duration,

    /// How many tasks share the counter of part 3 (1 to 10000).
    #[arg(
        long,
        value_name = "N",
        default_value_t = 1_000,
        value_parser = course_support::whole_number::<u32>(1..=10_000, "tasks"),
        allow_negative_numbers = true
    )]
    pub tasks: u32,

    /// How many times each of those tasks adds one to the counter (1 to 100000).
    #[arg(
        long,
        value_name = "M",
        default_value_t = 1_000,
        value_parser = course_support::whole_number::<u32>(1..=100_000, "increments"),
        allow_negative_numbers = true
    )]
    pub increments: u32,

    #[command(flatten)]
    pub parts: course_support::Parts<Part>,
}

impl Args {
    /// Ends the program with a usage error (exit code 2) when tasks × increments is more work than
    /// [`MAX_TOTAL_INCREMENTS`].
    pub fn check_total(&self) {
        let total = u64::from(self.tasks) * u64::from(self.increments);
        if total > MAX_TOTAL_INCREMENTS {
            Self::command()
                .error(
                    clap::error::ErrorKind::ValueValidation,
                    format!(
                        "{} tasks × {} increments is too much work (it would run for minutes); \
                         keep N × M at most {MAX_TOTAL_INCREMENTS}",
                        self.tasks, self.increments
                    ),
                )
                .exit();
        }
    }
}

/// The parts of the lesson, in the order they run. Each doc comment is the part's title: `--help`
/// lists it and the lesson prints it as the part's heading.
#[allow(
    clippy::doc_markdown,
    reason = "a title is printed as it is, without backticks"
)]
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum Part {
    /// std's Mutex in async code: the guard never crosses an .await
    StdMutex,
    /// tokio's Mutex: a lock held across an .await
    TokioMutex,
    /// a counter shared by many tasks: std Mutex, tokio Mutex or an actor
    Counter,
    /// a bounded mpsc channel makes a fast producer wait
    Mpsc,
    /// an actor owns its state; oneshot brings each answer back
    Actor,
    /// broadcast: every receiver gets every message, or learns that it lagged
    Broadcast,
    /// watch: only the latest value
    Watch,
    /// a Semaphore keeps k jobs in flight, against waves of k
    Semaphore,
}
