//! Right: each future gets a waker of its own, which notes that this future was woken and then
//! wakes the join; a poll of the join polls only the futures woken since the last one (both,
//! the first time), as `FuturesUnordered` does.

use std::future::Future;
use std::pin::Pin;
use std::sync::Arc;
use std::sync::Mutex;
use std::sync::atomic::{AtomicBool, Ordering};
use std::task::{Context, Poll, Wake, Waker};

/// The waker one future is polled with: a flag of its own, then the join's latest waker.
struct Woken {
    flag: AtomicBool,
    join: Mutex<Option<Waker>>,
}

impl Wake for Woken {
    fn wake(self: Arc<Self>) {
        self.flag.store(true, Ordering::SeqCst);
        if let Some(join) = self.join.lock().unwrap().as_ref() {
            join.wake_by_ref();
        }
    }
}

fn woken() -> Arc<Woken> {
    Arc::new(Woken {
        flag: AtomicBool::new(true), // the first poll polls both
        join: Mutex::new(None),
    })
}

pub struct Join2<A: Future, B: Future> {
    a: A,
    b: B,
    a_output: Option<A::Output>,
    b_output: Option<B::Output>,
    a_woken: Arc<Woken>,
    b_woken: Arc<Woken>,
}

pub fn join2<A: Future, B: Future>(a: A, b: B) -> Join2<A, B> {
    Join2 {
        a,
        b,
        a_output: None,
        b_output: None,
        a_woken: woken(),
        b_woken: woken(),
    }
}

/// Polls `future` with a waker of its own if it was woken since its last poll.
fn poll_if_woken<F: Future + Unpin>(
    future: &mut F,
    woken: &Arc<Woken>,
    cx: &Context<'_>,
) -> Option<F::Output> {
    *woken.join.lock().unwrap() = Some(cx.waker().clone());
    if !woken.flag.swap(false, Ordering::SeqCst) {
        return None;
    }
    let waker = Waker::from(Arc::clone(woken));
    match Pin::new(future).poll(&mut Context::from_waker(&waker)) {
        Poll::Ready(output) => Some(output),
        Poll::Pending => None,
    }
}

impl<A, B> Future for Join2<A, B>
where
    A: Future + Unpin,
    B: Future + Unpin,
    A::Output: Unpin,
    B::Output: Unpin,
{
    type Output = (A::Output, B::Output);

    fn poll(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Self::Output> {
        let this = &mut *self;
        if this.a_output.is_none() {
            this.a_output = poll_if_woken(&mut this.a, &this.a_woken, cx);
        }
        if this.b_output.is_none() {
            this.b_output = poll_if_woken(&mut this.b, &this.b_woken, cx);
        }
        if this.a_output.is_some() && this.b_output.is_some() {
            return Poll::Ready((this.a_output.take().unwrap(), this.b_output.take().unwrap()));
        }
        Poll::Pending
    }
}

#[path = "../checks.rs"]
mod checks;
