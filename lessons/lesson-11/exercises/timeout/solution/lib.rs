//~ starter:
//~ //! Exercise `timeout` (lesson 11).
//~ solution:
//! Exercise `timeout` (lesson 11): the reference solution.
//~ end
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
//~ starter:
//~ use std::task::{Context, Poll};
//~ use std::time::{Duration, Instant};
//~ solution:
use std::sync::{Arc, Mutex};
use std::task::{Context, Poll, Waker};
use std::thread;
use std::time::{Duration, Instant};
//~ end

/// What a [`Timeout`] gives when the time was up before its future was done.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Elapsed;

/// `future`, with a deadline (see [`timeout`]). The future is `Unpin`, so that it can be polled
/// through `Pin::new(&mut …)`; `Box::pin` makes any future so.
#[derive(Debug)]
pub struct Timeout<F> {
    //~ starter:
    //~ future: F,
    //~ solution:
    /// `None` once the time is up: dropped.
    future: Option<F>,
    //~ end
    deadline: Instant,
    //~ starter:
    //~ solution:
    timer_started: bool,
    /// The latest waker: the one the timer thread calls.
    waker: Arc<Mutex<Option<Waker>>>,
    //~ end
}

/// `future` with at most `duration` to be done, counted from now.
pub fn timeout<F: Future + Unpin>(duration: Duration, future: F) -> Timeout<F> {
    Timeout {
        //~ starter:
        //~ future,
        //~ solution:
        future: Some(future),
        //~ end
        deadline: Instant::now() + duration,
        //~ starter:
        //~ solution:
        timer_started: false,
        waker: Arc::new(Mutex::new(None)),
        //~ end
    }
}

impl<F: Future + Unpin> Future for Timeout<F> {
    type Output = Result<F::Output, Elapsed>;

    fn poll(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Self::Output> {
        let this = &mut *self;
        //~ starter:
        //~ // TODO: this waits for the future however long it takes: `deadline` is never looked
        //~ // at. Once the time is up, drop the future and give `Err(Elapsed)`; and arrange to be
        //~ // woken at the deadline (a thread that sleeps until then and calls the waker), since
        //~ // the future may never wake you.
        //~ let _ = this.deadline;
        //~ Pin::new(&mut this.future).poll(cx).map(Ok)
        //~ solution:
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
                thread::sleep(deadline.saturating_duration_since(Instant::now()));
                if let Some(waker) = waker.lock().unwrap().take() {
                    waker.wake();
                }
            });
        }
        Poll::Pending
        //~ end
    }
}

#[cfg(test)]
#[path = "../checks.rs"]
mod checks;
