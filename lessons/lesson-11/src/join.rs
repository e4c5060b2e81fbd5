//! Part 4: two futures joined by hand, against awaiting them one after the other.

use std::future::Future;
use std::pin::Pin;
use std::task::{Context, Poll};
use std::time::{Duration, Instant};

use crate::block_on;
use crate::timer::Timer;

// ANCHOR: join
/// Both futures at once: each poll of `Join` polls whichever of the two is not done yet, and
/// keeps its output. It is `Ready` when both are.
struct Join<A: Future, B: Future> {
    a: A,
    b: B,
    a_output: Option<A::Output>,
    b_output: Option<B::Output>,
}

impl<A, B> Future for Join<A, B>
where
    A: Future + Unpin, // Unpin: they may be polled through `&mut`; Box::pin makes any future so
    B: Future + Unpin,
    A::Output: Unpin,
    B::Output: Unpin,
{
    type Output = (A::Output, B::Output);

    fn poll(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Self::Output> {
        let this = &mut *self;
        // A future that is done is never polled again: its output waits here.
        if this.a_output.is_none()
            && let Poll::Ready(output) = Pin::new(&mut this.a).poll(cx)
        {
            this.a_output = Some(output);
        }
        if this.b_output.is_none()
            && let Poll::Ready(output) = Pin::new(&mut this.b).poll(cx)
        {
            this.b_output = Some(output);
        }
        if this.a_output.is_some() && this.b_output.is_some() {
            return Poll::Ready((this.a_output.take().unwrap(), this.b_output.take().unwrap()));
        }
        Poll::Pending // each of them has arranged its own wake-up
    }
}
// ANCHOR_END: join

// ANCHOR: join_against_one_after_the_other
pub fn join_against_one_after_the_other(pause: Duration) {
    println!("one after the other: timer a.await, then timer b.await");
    let started = Instant::now();
    block_on(
        async {
            Timer::new("timer a", pause * 2).await;
            Timer::new("timer b", pause * 3).await; // b's thread starts only now
        },
        false,
    );
    let one_after_the_other = started.elapsed();

    println!("joined by hand: Join {{ a, b }} polls both");
    let started = Instant::now();
    let (a, b) = (
        Timer::new("timer a", pause * 2),
        Timer::new("timer b", pause * 3),
    );
    block_on(
        Join {
            a,
            b,
            a_output: None,
            b_output: None,
        },
        false,
    );
    let joined = started.elapsed();

    println!("one after the other took {one_after_the_other:.1?}: a's time plus b's");
    println!("joined took {joined:.1?}: the longer of the two, as both waited at once");
}
// ANCHOR_END: join_against_one_after_the_other
