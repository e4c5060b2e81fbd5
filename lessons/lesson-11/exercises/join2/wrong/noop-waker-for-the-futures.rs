//! Wrong: polls the two futures with a waker that does nothing instead of the `Context` it was
//! given: their wakes reach nobody, and the join is never polled again.
//! verify says: "was not done within"
//! verify says: "Give each future the `Context` Join2 is polled with"

use std::future::Future;
use std::pin::Pin;
use std::task::{Context, Poll, Waker};

#[derive(Debug)]
pub struct Join2<A: Future, B: Future> {
    a: A,
    b: B,
    a_output: Option<A::Output>,
    b_output: Option<B::Output>,
}

pub fn join2<A: Future, B: Future>(a: A, b: B) -> Join2<A, B> {
    Join2 {
        a,
        b,
        a_output: None,
        b_output: None,
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
        let _ = cx;
        let mut own = Context::from_waker(Waker::noop());
        if this.a_output.is_none()
            && let Poll::Ready(output) = Pin::new(&mut this.a).poll(&mut own)
        {
            this.a_output = Some(output);
        }
        if this.b_output.is_none()
            && let Poll::Ready(output) = Pin::new(&mut this.b).poll(&mut own)
        {
            this.b_output = Some(output);
        }
        match (this.a_output.take(), this.b_output.take()) {
            (Some(a), Some(b)) => Poll::Ready((a, b)),
            (a, b) => {
                (this.a_output, this.b_output) = (a, b);
                Poll::Pending
            }
        }
    }
}

#[cfg(test)]
#[path = "../checks.rs"]
mod checks;
