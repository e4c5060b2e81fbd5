//! Right: the timer thread waits on a channel with `recv_timeout` until the deadline: when the
//! `Timeout` is dropped early (its future was done in time), its `Sender` goes, the wait ends at
//! once and nothing is left sleeping.

use std::future::Future;
use std::pin::Pin;
use std::sync::mpsc::{self, RecvTimeoutError, Sender};
use std::sync::{Arc, Mutex};
use std::task::{Context, Poll, Waker};
use std::thread;
use std::time::{Duration, Instant};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Elapsed;

#[derive(Debug)]
pub struct Timeout<F> {
    future: Option<F>,
    deadline: Instant,
    waker: Arc<Mutex<Option<Waker>>>,
    /// Kept while the timer may be needed; dropping it stops the timer thread.
    cancel: Option<Sender<()>>,
}

pub fn timeout<F: Future + Unpin>(duration: Duration, future: F) -> Timeout<F> {
    Timeout {
        future: Some(future),
        deadline: Instant::now() + duration,
        waker: Arc::new(Mutex::new(None)),
        cancel: None,
    }
}

impl<F: Future + Unpin> Future for Timeout<F> {
    type Output = Result<F::Output, Elapsed>;

    fn poll(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Self::Output> {
        let this = &mut *self;
        let future = this.future.as_mut().expect("not polled after it is done");
        if let Poll::Ready(output) = Pin::new(future).poll(cx) {
            this.cancel = None;
            return Poll::Ready(Ok(output));
        }
        if Instant::now() >= this.deadline {
            this.future = None;
            this.cancel = None;
            return Poll::Ready(Err(Elapsed));
        }
        *this.waker.lock().unwrap() = Some(cx.waker().clone());
        if this.cancel.is_none() {
            let (cancel, cancelled) = mpsc::channel::<()>();
            this.cancel = Some(cancel);
            let (deadline, waker) = (this.deadline, Arc::clone(&this.waker));
            thread::spawn(move || {
                loop {
                    let left = deadline.saturating_duration_since(Instant::now());
                    match cancelled.recv_timeout(left) {
                        Err(RecvTimeoutError::Timeout) if Instant::now() >= deadline => break,
                        Err(RecvTimeoutError::Timeout) | Ok(()) => {}
                        Err(RecvTimeoutError::Disconnected) => return, // dropped: not needed
                    }
                }
                if let Some(waker) = waker.lock().unwrap().take() {
                    waker.wake();
                }
            });
        }
        Poll::Pending
    }
}

#[cfg(test)]
#[path = "../checks.rs"]
mod checks;
