//! Right: each future in an enum of three states, `Running`, `Done` with its output, and `Taken`;
//! the join polls the running ones and is ready when neither is running.

use std::future::Future;
use std::mem;
use std::pin::Pin;
use std::task::{Context, Poll};

enum MaybeDone<F: Future> {
    Running(F),
    Done(F::Output),
    Taken,
}

impl<F: Future + Unpin> MaybeDone<F> {
    /// Polls the future if it is still running; true once its output is there.
    fn poll_done(&mut self, cx: &mut Context<'_>) -> bool {
        if let MaybeDone::Running(future) = self {
            match Pin::new(future).poll(cx) {
                Poll::Ready(output) => *self = MaybeDone::Done(output),
                Poll::Pending => return false,
            }
        }
        true
    }

    fn take(&mut self) -> F::Output {
        match mem::replace(self, MaybeDone::Taken) {
            MaybeDone::Done(output) => output,
            _ => unreachable!("taken once, when done"),
        }
    }
}

pub struct Join2<A: Future, B: Future> {
    a: MaybeDone<A>,
    b: MaybeDone<B>,
}

pub fn join2<A: Future, B: Future>(a: A, b: B) -> Join2<A, B> {
    Join2 {
        a: MaybeDone::Running(a),
        b: MaybeDone::Running(b),
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
        let a_done = this.a.poll_done(cx);
        let b_done = this.b.poll_done(cx); // polled whatever a said
        if a_done && b_done {
            return Poll::Ready((this.a.take(), this.b.take()));
        }
        Poll::Pending
    }
}

#[cfg(test)]
#[path = "../checks.rs"]
mod checks;
