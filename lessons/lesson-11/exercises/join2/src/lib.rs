//! Exercise `join2` (lesson 11).
//!
//! `join2(a, b)` is a future that runs two futures at once and gives both outputs, `(a's, b's)`.
//! Each poll of it polls whichever of the two is not done yet, with the `Context` it was given,
//! so that whichever of them is woken wakes the join; a future that is done is never polled
//! again, its output kept until the other is done too.
//!
//! Check your work: `cargo xtask verify join2`. Stuck? `cargo xtask hint join2`.
//! The checks are in `checks.rs`, next to this folder's `src/`: read them, there is no need to change them.

use std::future::Future;
use std::pin::Pin;
use std::task::{Context, Poll};

/// Both futures at once (see [`join2`]). The two are `Unpin`, so that they can be polled through
/// `Pin::new(&mut …)`; `Box::pin` makes any future so.
#[derive(Debug)]
pub struct Join2<A: Future, B: Future> {
    a: A,
    b: B,
    a_output: Option<A::Output>,
}

/// A future that polls `a` and `b` at once and is ready with `(a's output, b's output)` when both
/// are done.
pub fn join2<A: Future, B: Future>(a: A, b: B) -> Join2<A, B> {
    Join2 {
        a,
        b,
        a_output: None,
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
        // TODO: this polls `b` only once `a` is done: one after the other, not at once. Poll
        // both (each only while it is not done, keeping its output), and be `Ready` when both are.
        if this.a_output.is_none() {
            match Pin::new(&mut this.a).poll(cx) {
                Poll::Ready(output) => this.a_output = Some(output),
                Poll::Pending => return Poll::Pending,
            }
        }
        match Pin::new(&mut this.b).poll(cx) {
            Poll::Ready(b) => Poll::Ready((this.a_output.take().unwrap(), b)),
            Poll::Pending => Poll::Pending,
        }
    }
}

#[cfg(test)]
#[path = "../checks.rs"]
mod checks;
