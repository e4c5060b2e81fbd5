//! Wrong: the deadline counts from the call of `timeout`, but the timer thread, started at the
//! first poll, sleeps the whole `duration`: a `Timeout` first polled late wakes late, its time
//! up long before it gives `Err(Elapsed)`.
//! verify says: "woke late"

use std::future::Future;
use std::pin::Pin;
use std::sync::{Arc, Mutex};
use std::task::{Context, Poll, Waker};
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
    duration: Duration,
    timer_started: bool,
    /// The latest waker: the one the timer thread calls.
    waker: Arc<Mutex<Option<Waker>>>,
}

/// `future` with at most `duration` to be done, counted from now.
pub fn timeout<F: Future + Unpin>(duration: Duration, future: F) -> Timeout<F> {
    Timeout {
        future: Some(future),
        deadline: Instant::now() + duration,
        duration,
        timer_started: false,
        waker: Arc::new(Mutex::new(None)),
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
        *this.waker.lock().unwrap() = Some(cx.waker().clone());
        if !this.timer_started {
            this.timer_started = true;
            let (duration, waker) = (this.duration, Arc::clone(&this.waker));
            thread::spawn(move || {
                thread::sleep(duration); // from the first poll, not from the call
                if let Some(waker) = waker.lock().unwrap().take() {
                    waker.wake();
                }
            });
        }
        Poll::Pending
    }
}

#[path = "../checks.rs"]
mod checks;
