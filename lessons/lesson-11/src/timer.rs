//! Part 2: a timer future, woken by a timer thread.

use std::future::Future;
use std::pin::Pin;
use std::sync::{Arc, Mutex};
use std::task::{Context, Poll, Waker};
use std::thread;
use std::time::{Duration, Instant};

use crate::block_on;

// ANCHOR: timer
/// A future that is ready once `duration` has passed since its first poll. It does not check
/// the clock in a loop: its first poll starts a thread that sleeps, then calls the waker.
pub struct Timer {
    name: &'static str,
    duration: Duration,
    deadline: Option<Instant>,
    waker: Arc<Mutex<Option<Waker>>>, // the latest waker: the one the thread must call
}

impl Timer {
    pub fn new(name: &'static str, duration: Duration) -> Self {
        let waker = Arc::new(Mutex::new(None));
        Timer {
            name,
            duration,
            deadline: None,
            waker,
        }
    }
}

impl Future for Timer {
    type Output = ();

    fn poll(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<()> {
        *self.waker.lock().unwrap() = Some(cx.waker().clone());
        let Some(deadline) = self.deadline else {
            let (duration, waker) = (self.duration, Arc::clone(&self.waker));
            self.deadline = Some(Instant::now() + duration);
            // Said before the thread exists: its wake cannot be printed first.
            println!(
                "  {}: starts a timer thread for {duration:?} → Pending",
                self.name
            );
            thread::Builder::new()
                .name("timer".into())
                .spawn(move || {
                    thread::sleep(duration);
                    waker.lock().unwrap().take().unwrap().wake(); // the wake-up it arranged
                })
                .unwrap();
            return Poll::Pending;
        };
        if Instant::now() < deadline {
            return Poll::Pending; // polled early (a join polls both): the thread will still wake us
        }
        println!("  {}: its time is up → Ready", self.name);
        Poll::Ready(())
    }
}
// ANCHOR_END: timer

// ANCHOR: wait_for_a_timer
pub fn wait_for_a_timer(pause: Duration) {
    let started = Instant::now();
    let ((), counts) = block_on(Timer::new("timer", pause), true);
    println!(
        "block_on returned after {:.1?}, {counts}",
        started.elapsed()
    );
}
// ANCHOR_END: wait_for_a_timer
