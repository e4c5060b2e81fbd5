//! Command-line flags of lesson 06. Kept apart from `main.rs`, which is the listing the book shows.

use std::time::Duration;

use clap::{Parser, ValueEnum};

/// Lesson 06: channels — share memory by communicating.
///
/// Three producer threads send messages over one channel to one consumer, whose loop ends by itself
/// when the last Sender is dropped; then the same loop when main keeps a Sender by mistake (a
/// watchdog catches it, the lesson never hangs). Then a bounded channel that makes a fast producer
/// wait for a slow consumer, and a pipeline of three threads joined by channels, shut down from
/// either end. The printed order is decided by the program, never by the scheduler.
#[derive(Debug, Parser)]
#[command(version)]
pub struct Args {
    /// The pause that makes the threads watchable, in milliseconds: between two messages of a
    /// producer, for each message of the slow consumer, for each line the pipeline reads.
    #[arg(
        long,
        value_name = "MS",
        default_value = "500",
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
    /// three producers, one consumer: the loop ends when the last Sender is dropped
    FanIn,
    /// main keeps a Sender: the loop never ends, and a watchdog says why
    KeptSender,
    /// sync_channel(3): a fast producer waits for a slow consumer
    BackPressure,
    /// a pipeline of three stages, and how it shuts down
    Pipeline,
}
