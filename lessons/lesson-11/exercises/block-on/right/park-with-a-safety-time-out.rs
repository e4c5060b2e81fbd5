//! Right: the solution's flag and unpark, with a safety net: `park_timeout` of 250 ms, so that a
//! lost unpark would cost a quarter of a second, not the whole wait. The unpark still ends each
//! wait at once, and the flag still decides whether to poll.

use std::future::Future;
use std::pin::pin;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::task::{Context, Poll, Wake, Waker};
use std::thread::{self, Thread};
use std::time::Duration;

/// What the waker of `block_on` does: note that it was called, and unpark the waiting thread.
struct Signal {
    woken: AtomicBool,
    thread: Thread,
}

impl Wake for Signal {
    fn wake(self: Arc<Self>) {
        self.wake_by_ref();
    }

    fn wake_by_ref(self: &Arc<Self>) {
        self.woken.store(true, Ordering::SeqCst); // first the flag, then the unpark
        self.thread.unpark();
    }
}

/// Runs `future` to completion on the calling thread and returns its output. Polls it once to
/// start, then again only after its waker has been called; sleeps in between.
pub fn block_on<F: Future>(future: F) -> F::Output {
    let mut future = pin!(future);
    let signal = Arc::new(Signal {
        woken: AtomicBool::new(false),
        thread: thread::current(),
    });
    let waker = Waker::from(Arc::clone(&signal));
    let mut cx = Context::from_waker(&waker);
    loop {
        if let Poll::Ready(output) = future.as_mut().poll(&mut cx) {
            return output;
        }
        // `park` may return with no unpark at all: only the flag says the waker was called.
        while !signal.woken.swap(false, Ordering::SeqCst) {
            // The unpark of the waker ends this at once; the time-out is only a safety net.
            thread::park_timeout(Duration::from_millis(250));
        }
    }
}

#[cfg(test)]
#[path = "../checks.rs"]
mod checks;
