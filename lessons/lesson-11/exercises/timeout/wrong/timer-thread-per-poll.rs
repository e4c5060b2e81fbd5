//! Wrong: every poll starts a timer thread of its own, all sleeping until the deadline: a future
//! that wakes its `Timeout` a thousand times before the deadline leaves a thousand threads
//! asleep, where one timer was enough.
//! verify says: "a timer thread at every poll"

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
    /// The latest waker: the one the timer thread calls.
    waker: Arc<Mutex<Option<Waker>>>,
}

/// `future` with at most `duration` to be done, counted from now.
pub fn timeout<F: Future + Unpin>(duration: Duration, future: F) -> Timeout<F> {
    Timeout {
        future: Some(future),
        deadline: Instant::now() + duration,
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
        {
            // A timer for this poll: it wakes whichever waker is the latest at the deadline.
            let (deadline, waker) = (this.deadline, Arc::clone(&this.waker));
            thread::spawn(move || {
                thread::sleep(deadline.saturating_duration_since(Instant::now()));
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
