//! Exercise `block-on` (lesson 11).
//!
//! `block_on` runs one future to the end on the calling thread: it polls, and while the future is
//! `Pending` it waits, without burning CPU, until the future's waker is called, then polls again.
//! A future that returns `Pending` has arranged for its waker to be called (a timer thread, a
//! socket, itself): polling it before that is work in vain. So the checks count: the future is
//! polled once to start and at most once per wake (polls ≤ wakes + 1), and the CPU time of the
//! wait is measured.
//!
//! Check your work: `cargo xtask verify block-on`. Stuck? `cargo xtask hint block-on`.
//! The checks are in `checks.rs`, next to this folder's `src/`: read them, there is no need to change them.

use std::future::Future;
use std::pin::pin;
use std::task::{Context, Poll, Waker};
use std::thread;

/// Runs `future` to completion on the calling thread and returns its output. Polls it once to
/// start, then again only after its waker has been called; sleeps in between.
pub fn block_on<F: Future>(future: F) -> F::Output {
    let mut future = pin!(future);
    // TODO: this waker does nothing, so the loop cannot know when to poll again: it polls
    // again and again. Make a waker that wakes this thread (`std::task::Wake` on an `Arc`,
    // `thread::park` / `Thread::unpark`), and poll again only once it has been called.
    let mut cx = Context::from_waker(Waker::noop());
    loop {
        if let Poll::Ready(output) = future.as_mut().poll(&mut cx) {
            return output;
        }
        thread::yield_now();
    }
}

#[cfg(test)]
#[path = "../checks.rs"]
mod checks;
