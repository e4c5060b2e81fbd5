//! Exercise `timeout` (lesson 11).
//!
//! `timeout(duration, future)` is a future that gives `Ok(output)` if `future` is done within
//! `duration`, counted from the call of `timeout`, and `Err(Elapsed)` once that time is up. When
//! the time is up, the future is dropped at once (what it holds, a connection or a lock, is freed
//! then, not when the `Timeout` itself goes). Each poll polls the future first: if it is ready,
//! its output wins, even if the time is up. Nothing checks the clock in a loop: a timer thread
//! sleeps until the deadline and then calls the waker, as part 2's `Timer` does.
//!
//! Check your work: `cargo xtask verify timeout`. Stuck? `cargo xtask hint timeout`.
//! The checks are in `checks.rs`, next to this folder's `src/`: read them, there is no need to change them.

use std::future::Future;
use std::pin::Pin;
use std::task::{Context, Poll};
use std::time::{Duration, Instant};

/// What a [`Timeout`] gives when the time was up before its future was done.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Elapsed;

/// `future`, with a deadline (see [`timeout`]). The future is `Unpin`, so that it can be polled
/// through `Pin::new(&mut …)`; `Box::pin` makes any future so.
#[derive(Debug)]
pub struct Timeout<F> {
    future: F,
    deadline: Instant,
}

/// `future` with at most `duration` to be done, counted from now.
pub fn timeout<F: Future + Unpin>(duration: Duration, future: F) -> Timeout<F> {
    Timeout {
        future,
        deadline: Instant::now() + duration,
    }
}

impl<F: Future + Unpin> Future for Timeout<F> {
    type Output = Result<F::Output, Elapsed>;

    fn poll(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Self::Output> {
        let this = &mut *self;
        // TODO: this waits for the future however long it takes: `deadline` is never looked
        // at. Once the time is up, drop the future and give `Err(Elapsed)`; and arrange to be
        // woken at the deadline (a thread that sleeps until then and calls the waker), since
        // the future may never wake you.
        let _ = this.deadline;
        Pin::new(&mut this.future).poll(cx).map(Ok)
    }
}

#[cfg(test)]
#[path = "../checks.rs"]
mod checks;
