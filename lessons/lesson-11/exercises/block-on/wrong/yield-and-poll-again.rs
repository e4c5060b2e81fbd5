//! Wrong: a waker that does nothing, and a loop that yields and polls again: it polls in vain
//! for as long as the future waits.
//! verify says: "it polls again without a wake"

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
        thread::yield_now(); // let the others run, then try again
    }
}

#[cfg(test)]
#[path = "../checks.rs"]
mod checks;
