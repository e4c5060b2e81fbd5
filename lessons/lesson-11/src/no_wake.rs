//! Part 3: a future that returns `Pending` without arranging a wake-up. The watchdog
//! (`watchdog.rs`) runs it and names the hang.

use std::future::Future;
use std::pin::Pin;
use std::task::{Context, Poll};
use std::time::{Duration, Instant};

use crate::watchdog;

// ANCHOR: clock_check
/// A "timer" that only looks at the clock. When it is too early it returns `Pending`, and
/// nothing will ever call the waker: `block_on` sleeps for good.
struct ClockCheck {
    wait: Duration,
    deadline: Option<Instant>, // set by the first poll
}

impl Future for ClockCheck {
    type Output = ();

    fn poll(mut self: Pin<&mut Self>, _cx: &mut Context<'_>) -> Poll<()> {
        let deadline = self.deadline.unwrap_or_else(|| Instant::now() + self.wait);
        if self.deadline.is_some() && Instant::now() >= deadline {
            println!("  ClockCheck: the deadline has passed → Ready");
            return Poll::Ready(());
        }
        self.deadline = Some(deadline);
        println!("  ClockCheck: too early → Pending (and no one is asked to wake us)");
        Poll::Pending // the mistake: the waker in `_cx` is thrown away
    }
}
// ANCHOR_END: clock_check

pub fn pending_without_a_wake_up(pause: Duration) {
    let future = ClockCheck {
        wait: pause,
        deadline: None,
    };
    watchdog::block_on_watched(future, pause);
}
