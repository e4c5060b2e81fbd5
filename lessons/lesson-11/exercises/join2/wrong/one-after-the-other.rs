//! Wrong: polls `b` only once `a` is done, returning `Pending` early while `a` is not: one
//! after the other, the two waits added up.
//! verify says: "first poll did not poll b"

use std::future::Future;
use std::pin::Pin;
use std::task::{Context, Poll};

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
        if this.a_output.is_none() {
            match Pin::new(&mut this.a).poll(cx) {
                Poll::Ready(output) => this.a_output = Some(output),
                Poll::Pending => return Poll::Pending, // b waits for its turn
            }
        }
        if this.b_output.is_none()
            && let Poll::Ready(output) = Pin::new(&mut this.b).poll(cx)
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
