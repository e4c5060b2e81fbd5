//! Right: a flag behind a `Mutex`, and a `Condvar` the waker notifies; the loop waits on the
//! condvar while the flag is down (`wait_while` checks it again after every return).

use std::future::Future;
use std::pin::pin;
use std::sync::{Arc, Condvar, Mutex};
use std::task::{Context, Poll, Wake, Waker};

#[derive(Default)]
struct Woken {
    flag: Mutex<bool>,
    changed: Condvar,
}

impl Wake for Woken {
    fn wake(self: Arc<Self>) {
        *self.flag.lock().unwrap() = true;
        self.changed.notify_one();
    }
}

pub fn block_on<F: Future>(future: F) -> F::Output {
    let mut future = pin!(future);
    let woken = Arc::new(Woken::default());
    let waker = Waker::from(Arc::clone(&woken));
    let mut cx = Context::from_waker(&waker);
    loop {
        if let Poll::Ready(output) = future.as_mut().poll(&mut cx) {
            return output;
        }
        let flag = woken.flag.lock().unwrap();
        let mut flag = woken.changed.wait_while(flag, |woken| !*woken).unwrap();
        *flag = false;
    }
}

#[cfg(test)]
#[path = "../checks.rs"]
mod checks;
