//! Command-line flags of lesson 07. Kept apart from `main.rs`, which is the listing the book shows.

use std::time::Duration;

use clap::{Parser, ValueEnum};

/// Lesson 07: shared state, and the two traits that make it safe.
///
/// `Rc` and `RefCell` do not compile across threads (`Send` and `Sync`), and what does: `Arc`,
/// `Mutex`, `RwLock` and atomics. Then `Mutex` and `RwLock` measured on a read-heavy workload, how
/// long a guard holds its lock, a poisoned `Mutex` recovered, a bounded queue built from `Mutex`
/// and `Condvar` beside `sync_channel`, and one short part each on `Barrier`, `OnceLock` and
/// `LazyLock`, and `thread_local!`.
#[derive(Debug, Parser)]
#[command(version)]
pub struct Args {
    /// The pause of a slow step (a consumer taking an item, work done under a lock), in
    /// milliseconds, so you can watch it.
    #[arg(
        long,
        value_name = "MS",
        default_value = "300",
        value_parser = course_support::parse_millis,
        allow_negative_numbers = true
    )]
    pub pause_ms: Duration,

    /// How many threads read the shared table in the Mutex-or-RwLock measurement (2 to 16).
    #[arg(
        long,
        value_name = "K",
        default_value_t = 4,
        value_parser = course_support::whole_number::<u32>(2..=16, "readers"),
        allow_negative_numbers = true
    )]
    pub readers: u32,

    /// How many long lookups each reader makes in each round of that measurement (1 to
    /// 1000000); it makes ten times as many short ones.
    #[arg(
        long,
        value_name = "N",
        default_value_t = 20_000,
        value_parser = course_support::whole_number::<u32>(1..=1_000_000, "lookups"),
        allow_negative_numbers = true
    )]
    pub lookups: u32,

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
    /// Rc and RefCell stay on one thread; Arc, Mutex and atomics cross
    SendAndSync,
    /// many readers: Mutex and RwLock measured side by side
    MutexOrRwlock,
    /// a guard holds the lock until it is dropped
    LockScope,
    /// a panic under the lock poisons the Mutex, and the way back
    Poisoning,
    /// a bounded queue from Mutex and Condvar, beside sync_channel
    Condvar,
    /// a Barrier: nobody starts phase two before everyone ends phase one
    Barrier,
    /// OnceLock and LazyLock: set up once, whoever comes first
    Once,
    /// thread_local!: one value per thread, no lock at all
    ThreadLocal,
}
