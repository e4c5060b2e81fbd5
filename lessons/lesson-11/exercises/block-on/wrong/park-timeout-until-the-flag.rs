//! Wrong: the waker sets a flag, and the loop polls only once it is set, but it looks at the flag
//! every 50 ms (`park_timeout`), sleeping in between: twenty wake-ups a second for one wake,
//! which an old bound of 20 sleeps in a wait of 0.4 s let through.
//! verify says: "sleeps a little and looks again"

use std::future::Future;
use std::pin::pin;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::task::{Context, Poll, Wake, Waker};
use std::thread;
use std::time::Duration;

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
            thread::park_timeout(Duration::from_millis(50));
        }
    }
}

#[cfg(test)]
#[path = "../checks.rs"]
mod checks;
