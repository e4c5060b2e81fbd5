//! Wrong: the waker sets a flag, and the loop polls only once it is set, but it waits for the
//! flag by yielding and checking again: it never sleeps, and on a core shared with other work it
//! burns little CPU, so only the count of times the thread went to sleep (none) gives it away.
//! verify says: "never went to sleep"
//! verify says: "it spins"

use std::future::Future;
use std::pin::pin;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::task::{Context, Poll, Wake, Waker};
use std::thread;

struct Flag(AtomicBool);

impl Wake for Flag {
    fn wake(self: Arc<Self>) {
        self.0.store(true, Ordering::SeqCst);
    }
}

pub fn block_on<F: Future>(future: F) -> F::Output {
    let mut future = pin!(future);
    let flag = Arc::new(Flag(AtomicBool::new(false)));
    let waker = Waker::from(Arc::clone(&flag));
    let mut cx = Context::from_waker(&waker);
    loop {
        if let Poll::Ready(output) = future.as_mut().poll(&mut cx) {
            return output;
        }
        while !flag.0.swap(false, Ordering::SeqCst) {
            thread::yield_now();
        }
    }
}

#[cfg(test)]
#[path = "../checks.rs"]
mod checks;
