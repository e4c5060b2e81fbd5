//! Wrong: its first poll polls both futures, but after that it polls `b` only once `a` is done,
//! returning `Pending` early while `a` is not: a wake of `b` is left waiting for `a`, one after
//! the other again after the first poll.
//! verify says: "did not poll b"
//! verify says: "woke Join2"

use std::future::Future;
use std::pin::Pin;
use std::task::{Context, Poll};

pub struct Join2<A: Future, B: Future> {
    a: A,
    b: B,
    a_output: Option<A::Output>,
    b_output: Option<B::Output>,
    first: bool,
}

pub fn join2<A: Future, B: Future>(a: A, b: B) -> Join2<A, B> {
    Join2 {
        a,
        b,
        a_output: None,
        b_output: None,
        first: true,
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
        let first = std::mem::replace(&mut this.first, false);
        if this.a_output.is_none() {
            match Pin::new(&mut this.a).poll(cx) {
                Poll::Ready(output) => this.a_output = Some(output),
                Poll::Pending if !first => return Poll::Pending,
                Poll::Pending => {}
            }
        }
        if this.b_output.is_none()
            && let Poll::Ready(output) = Pin::new(&mut this.b).poll(cx)
        {
            this.b_output = Some(output);
        }
        if this.a_output.is_some() && this.b_output.is_some() {
            return Poll::Ready((this.a_output.take().unwrap(), this.b_output.take().unwrap()));
        }
        Poll::Pending
    }
}

#[path = "../checks.rs"]
mod checks;
