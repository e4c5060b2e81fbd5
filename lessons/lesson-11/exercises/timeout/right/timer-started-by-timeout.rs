//! Right: `timeout` itself starts the timer thread, at the call; the thread marks the time as up
//! in a shared state and wakes the latest waker kept there. The future sits in a `Box` that is
//! emptied when the time is up.

use std::future::Future;
use std::pin::Pin;
use std::sync::{Arc, Mutex};
use std::task::{Context, Poll, Waker};
use std::thread;
use std::time::Duration;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Elapsed;

#[derive(Debug, Default)]
struct Shared {
    time_is_up: bool,
    waker: Option<Waker>,
}

#[derive(Debug)]
pub struct Timeout<F> {
    future: Option<Box<F>>,
    shared: Arc<Mutex<Shared>>,
}

pub fn timeout<F: Future + Unpin>(duration: Duration, future: F) -> Timeout<F> {
    let shared = Arc::new(Mutex::new(Shared::default()));
    let for_the_timer = Arc::clone(&shared);
    thread::spawn(move || {
        thread::sleep(duration);
        let mut shared = for_the_timer.lock().unwrap();
        shared.time_is_up = true;
        if let Some(waker) = shared.waker.take() {
            waker.wake();
        }
    });
    Timeout {
        future: Some(Box::new(future)),
        shared,
    }
}

impl<F: Future + Unpin> Future for Timeout<F> {
    type Output = Result<F::Output, Elapsed>;

    fn poll(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Self::Output> {
        let this = &mut *self;
        let future = this.future.as_mut().expect("not polled after it is done");
        if let Poll::Ready(output) = Pin::new(&mut **future).poll(cx) {
            return Poll::Ready(Ok(output));
        }
        let mut shared = this.shared.lock().unwrap();
        if shared.time_is_up {
            drop(shared);
            this.future = None;
            return Poll::Ready(Err(Elapsed));
        }
        shared.waker = Some(cx.waker().clone());
        Poll::Pending
    }
}

#[cfg(test)]
#[path = "../checks.rs"]
mod checks;
