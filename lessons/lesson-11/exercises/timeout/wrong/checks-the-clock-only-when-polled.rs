//! Wrong: looks at the clock when it is polled, and arranges no wake-up for the deadline: a
//! future that never wakes anyone leaves it waiting for ever.
//! verify says: "never woke at its deadline"

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
    /// `None` once the time is up: dropped.
    future: Option<F>,
    deadline: Instant,
}

/// `future` with at most `duration` to be done, counted from now.
pub fn timeout<F: Future + Unpin>(duration: Duration, future: F) -> Timeout<F> {
    Timeout {
        future: Some(future),
        deadline: Instant::now() + duration,
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
        Poll::Pending
    }
}

#[cfg(test)]
#[path = "../checks.rs"]
mod checks;
