//! Wrong: the thread parks after a `Pending`, but the waker does nothing, so nothing unparks it:
//! it sleeps for ever.
//! verify says: "never polled it again"
//! verify says: "must wake the thread that waits"

use std::future::Future;
use std::pin::pin;
use std::task::{Context, Poll, Waker};
use std::thread;

pub fn block_on<F: Future>(future: F) -> F::Output {
    let mut future = pin!(future);
    let mut cx = Context::from_waker(Waker::noop());
    loop {
        if let Poll::Ready(output) = future.as_mut().poll(&mut cx) {
            return output;
        }
        thread::park();
    }
}

#[cfg(test)]
#[path = "../checks.rs"]
mod checks;
