//! The runtimes of the lesson, and how it prints tokio's clock. Kept apart from `main.rs`, which
//! is the listing the book shows.

use std::io;
use std::time::Duration;

/// A runtime with one thread whose clock is paused: when every task waits, tokio moves its clock
/// straight to the next timer instead of sleeping. What takes 10 s on it takes no real time, and
/// the order of events is the same on every run.
pub fn paused_runtime() -> io::Result<tokio::runtime::Runtime> {
    tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .start_paused(true)
        .build()
}

/// A runtime with one thread and the real clock: a task that blocks it blocks every other task.
pub fn one_thread_runtime() -> io::Result<tokio::runtime::Runtime> {
    tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
}

/// The time on tokio's clock since `start`, as `1.5 s`. On a paused clock it is exact, the same
/// on every run (the snapshot filters leave `1.5 s` alone: they redact `1.5s`, a real duration).
pub fn since(start: tokio::time::Instant) -> String {
    seconds(start.elapsed())
}

/// `duration` as `1.5 s`.
pub fn seconds(duration: Duration) -> String {
    format!("{:.1} s", duration.as_secs_f64())
}
