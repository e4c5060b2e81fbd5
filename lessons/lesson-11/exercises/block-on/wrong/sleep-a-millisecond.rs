//! Wrong: a waker that does nothing, and a loop that sleeps a millisecond between polls: little
//! CPU, but a poll in vain every millisecond.
//! verify says: "it polls again without a wake"

use std::future::Future;
use std::pin::pin;
use std::task::{Context, Poll, Waker};
use std::thread;
use std::time::Duration;

pub fn block_on<F: Future>(future: F) -> F::Output {
    let mut future = pin!(future);
    let mut cx = Context::from_waker(Waker::noop());
    loop {
        if let Poll::Ready(output) = future.as_mut().poll(&mut cx) {
            return output;
        }
        thread::sleep(Duration::from_millis(1));
    }
}

#[cfg(test)]
#[path = "../checks.rs"]
mod checks;
