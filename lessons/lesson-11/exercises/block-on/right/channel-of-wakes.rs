//! Right: every wake sends a message on a channel, and the loop waits for one with `recv`, which
//! sleeps until a message comes (and never returns without one).

use std::future::Future;
use std::pin::pin;
use std::sync::Arc;
use std::sync::mpsc::{self, Sender};
use std::task::{Context, Poll, Wake, Waker};

struct WakeMessages(Sender<()>);

impl Wake for WakeMessages {
    fn wake(self: Arc<Self>) {
        let _ = self.0.send(());
    }
}

pub fn block_on<F: Future>(future: F) -> F::Output {
    let mut future = pin!(future);
    let (sender, wakes) = mpsc::channel();
    let waker = Waker::from(Arc::new(WakeMessages(sender)));
    let mut cx = Context::from_waker(&waker);
    loop {
        if let Poll::Ready(output) = future.as_mut().poll(&mut cx) {
            return output;
        }
        wakes.recv().expect("the waker keeps a Sender"); // one wake, one poll
    }
}

#[cfg(test)]
#[path = "../checks.rs"]
mod checks;
