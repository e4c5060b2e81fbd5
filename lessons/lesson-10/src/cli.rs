//! Command-line flags of lesson 10. Kept apart from `main.rs`, which is the listing the book shows.

use std::net::SocketAddr;
use std::time::Duration;

use clap::{Parser, Subcommand, ValueEnum};

/// The most downloads the growth curve starts at once.
pub const MAX_DOWNLOADS: usize = 10_000;

/// Lesson 10: async I/O with tokio.
///
/// Lesson 02's three downloads again, as tokio tasks. Then the question lesson 02 could not ask:
/// what happens with 10, 100, 1 000 and 10 000 downloads at once, each with one OS thread, on a
/// fixed pool of threads, and as async tasks (wall time, memory, time to start them all). Then the
/// pitfall every async program meets, a blocking call inside a task, and last, time-outs that
/// cancel a download and leave no half-written file behind.
///
/// The downloads are real HTTP over the loopback interface, from a server that runs in a child
/// process of this program and answers every request after --latency-ms.
#[derive(Debug, Parser)]
#[command(version)]
pub struct Args {
    /// How long the server waits before it answers each request, standing in for a slow network.
    #[arg(
        long,
        value_name = "MS",
        default_value = "1000",
        value_parser = course_support::parse_millis,
        allow_negative_numbers = true
    )]
    pub latency_ms: Duration,

    /// The growth curve stops at this many downloads at once (10, 100, 1000 or 10000 are
    /// measured, up to this).
    #[arg(
        long,
        value_name = "N",
        default_value_t = MAX_DOWNLOADS,
        value_parser = course_support::whole_number::<usize>(10..=MAX_DOWNLOADS as u64, "max-downloads"),
        allow_negative_numbers = true
    )]
    pub max_downloads: usize,

    #[command(flatten)]
    pub parts: course_support::Parts<Part>,

    /// Run as a child process of the lesson (not meant to be typed by hand).
    #[command(subcommand)]
    pub hidden: Option<Hidden>,
}

/// The parts of the lesson, in the order they run. Each doc comment is the part's title: `--help`
/// lists it and the lesson prints it as the part's heading.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum Part {
    /// three downloads as tokio tasks
    Tasks,
    /// 10 to 10 000 downloads: threads, a pool or tasks
    Growth,
    /// a blocking call inside a task
    Blocking,
    /// time-outs cancel, and leave nothing half-written
    Timeout,
    /// select!: the first of several, the others dropped
    Select,
}

/// The hidden subcommand a child process is started with.
#[derive(Debug, Subcommand)]
pub enum Hidden {
    #[command(hide = true)]
    Worker {
        #[command(subcommand)]
        role: Role,
    },
}

/// What a child process does.
#[derive(Debug, Clone, Subcommand)]
pub enum Role {
    /// Serve files over HTTP on 127.0.0.1; print the address, then serve until stdin closes.
    Serve {
        #[arg(long, value_name = "MS", value_parser = course_support::parse_millis)]
        latency_ms: Duration,
    },
    /// Download `count` times from the server at `server` with one strategy, then print what it
    /// cost on one line.
    Measure {
        #[arg(value_enum)]
        strategy: Strategy,
        count: usize,
        server: SocketAddr,
    },
}

/// How a program can wait for many downloads at once.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum Strategy {
    /// One OS thread per download.
    Threads,
    /// A fixed pool of threads, each download waiting for a free one.
    Pool,
    /// One tokio task per download, on tokio's runtime.
    Tasks,
}
