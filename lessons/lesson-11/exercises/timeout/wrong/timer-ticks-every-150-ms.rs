//! Wrong: the timer thread does not sleep until the deadline: it ticks every 150 ms, waking the
//! `Timeout` to look at the clock, so it is polled several times for one deadline and is ready
//! up to 150 ms late.
//! verify says: "it keeps asking to be polled again"

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
    timer_started: bool,
    /// The latest waker: the one the timer thread calls.
    waker: Arc<Mutex<Option<Waker>>>,
}

/// `future` with at most `duration` to be done, counted from now.
pub fn timeout<F: Future + Unpin>(duration: Duration, future: F) -> Timeout<F> {
    Timeout {
        future: Some(future),
        deadline: Instant::now() + duration,
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
            let (deadline, waker) = (this.deadline, Arc::clone(&this.waker));
            thread::spawn(move || {
                // Tick every 150 ms until the time is up: each tick lets poll look at the clock.
                while Instant::now() < deadline {
                    thread::sleep(Duration::from_millis(150));
                    if let Some(waker) = waker.lock().unwrap().take() {
                        waker.wake();
                    }
                }
            });
        }
        Poll::Pending
    }
}

#[path = "../checks.rs"]
mod checks;
