//! Right: each future in an `Option` that becomes `None` when it is done (the future is dropped
//! at once), its output kept beside it.

use std::future::Future;
use std::pin::Pin;
use std::task::{Context, Poll};

#[derive(Debug)]
pub struct Join2<A: Future, B: Future> {
    a: Option<A>,
    b: Option<B>,
    outputs: (Option<A::Output>, Option<B::Output>),
}

pub fn join2<A: Future, B: Future>(a: A, b: B) -> Join2<A, B> {
    Join2 {
        a: Some(a),
        b: Some(b),
        outputs: (None, None),
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
        if let Some(a) = &mut this.a
            && let Poll::Ready(output) = Pin::new(a).poll(cx)
        {
            this.outputs.0 = Some(output);
            this.a = None; // done: dropped, and never polled again
        }
        if let Some(b) = &mut this.b
            && let Poll::Ready(output) = Pin::new(b).poll(cx)
        {
            this.outputs.1 = Some(output);
            this.b = None;
        }
        if this.a.is_none() && this.b.is_none() {
            let (a, b) = (this.outputs.0.take(), this.outputs.1.take());
            return Poll::Ready((a.expect("a is done"), b.expect("b is done")));
        }
        Poll::Pending
    }
}

#[cfg(test)]
#[path = "../checks.rs"]
mod checks;
