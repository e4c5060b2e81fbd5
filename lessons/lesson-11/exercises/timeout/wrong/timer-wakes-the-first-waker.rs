//! Wrong: the timer thread takes the waker of the first poll and calls it at the deadline: when
//! a later poll came with another waker (the future was woken meanwhile, or the `Timeout` moved
//! to another task), the deadline's wake goes to a waker that no longer polls it.
//! verify says: "the waker of an earlier poll"

use std::future::Future;
use std::pin::Pin;
use std::task::{Context, Poll};
use std::thread;
use std::time::{Duration, Instant};

/// What a [`Timeout`] gives when the time was up before its future was done.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Elapsed;

/// `future`, with a deadline (see [`timeout`]). The future is `Unpin`, so that it can be polled
/// through `Pin::new(&mut …)`; `Box::pin` makes any future so.
#[derive(Debug)]
pub struct Timeout<F> {
    /// `None` once the time is up: dropped.
    future: Option<F>,
    deadline: Instant,
    timer_started: bool,
}

/// `future` with at most `duration` to be done, counted from now.
pub fn timeout<F: Future + Unpin>(duration: Duration, future: F) -> Timeout<F> {
    Timeout {
        future: Some(future),
        deadline: Instant::now() + duration,
        timer_started: false,
    }
}

impl<F: Future + Unpin> Future for Timeout<F> {
    type Output = Result<F::Output, Elapsed>;

    fn poll(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Self::Output> {
        let this = &mut *self;
        let future = this
            .future
            .as_mut()
            .expect("a Timeout is not polled after it is done");
        if let Poll::Ready(output) = Pin::new(future).poll(cx) {
            return Poll::Ready(Ok(output));
        }
        if Instant::now() >= this.deadline {
            this.future = None; // dropped now, not when the Timeout goes
            return Poll::Ready(Err(Elapsed));
        }
        if !this.timer_started {
            this.timer_started = true;
            let (deadline, waker) = (this.deadline, cx.waker().clone());
            thread::spawn(move || {
                thread::sleep(deadline.saturating_duration_since(Instant::now()));
                waker.wake(); // the waker of the first poll, whoever polls now
            });
        }
        Poll::Pending
    }
}

#[path = "../checks.rs"]
mod checks;
