//~ starter:
//~ //! Exercise `block-on` (lesson 11).
//~ solution:
//! Exercise `block-on` (lesson 11): the reference solution.
//~ end
//!
//! `block_on` runs one future to the end on the calling thread: it polls, and while the future is
//! `Pending` it waits, without burning CPU, until the future's waker is called, then polls again.
//! A future that returns `Pending` has arranged for its waker to be called (a timer thread, a
//! socket, itself): polling it before that is work in vain. So the checks count: the future is
//! polled once to start and at most once per wake (polls ≤ wakes + 1), and the CPU time of the
//! wait is measured.
//!
//! Check your work: `cargo xtask verify block-on`. Stuck? `cargo xtask hint block-on`.
//! The checks are in `checks.rs`, next to this folder's `src/`: read them, there is no need to change them.

use std::future::Future;
use std::pin::pin;
//~ starter:
//~ use std::task::{Context, Poll, Waker};
//~ use std::thread;
//~ solution:
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::task::{Context, Poll, Wake, Waker};
use std::thread::{self, Thread};

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
//~ end

/// Runs `future` to completion on the calling thread and returns its output. Polls it once to
/// start, then again only after its waker has been called; sleeps in between.
pub fn block_on<F: Future>(future: F) -> F::Output {
    let mut future = pin!(future);
    //~ starter:
    //~ // TODO: this waker does nothing, so the loop cannot know when to poll again: it polls
    //~ // again and again. Make a waker that wakes this thread (`std::task::Wake` on an `Arc`,
    //~ // `thread::park` / `Thread::unpark`), and poll again only once it has been called.
    //~ let mut cx = Context::from_waker(Waker::noop());
    //~ loop {
    //~     if let Poll::Ready(output) = future.as_mut().poll(&mut cx) {
    //~         return output;
    //~     }
    //~     thread::yield_now();
    //~ }
    //~ solution:
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
            thread::park();
        }
    }
    //~ end
}

#[cfg(test)]
#[path = "../checks.rs"]
mod checks;
