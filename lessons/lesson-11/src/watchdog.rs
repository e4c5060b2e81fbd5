//! The watchdog of part 3, kept out of the listing. `block_on` would sleep for ever on a future
//! that returns `Pending` without arranging a wake-up; the watchdog runs it on a thread of its
//! own, so that main stays free to watch, and steps in when the wait can no longer end.
//!
//! No timeout is guessed: the future's own wait is known. Once its deadline has passed by one more
//! pause and `block_on` has still not polled again, nobody has called the waker (each call
//! would have made it poll), so nothing ever will. The watchdog says so, then calls the waker it
//! saw the future receive, by hand, and the wait ends.

use std::future::Future;
use std::pin::Pin;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::mpsc::{self, RecvTimeoutError};
use std::sync::{Arc, Mutex};
use std::task::{Context, Poll, Waker};
use std::thread;
use std::time::{Duration, Instant};

use crate::block_on;

/// How long the watchdog waits for a thread to do what it can do at once (start, return after a
/// wake); only reached if the machine is stalled, and then it says what it waited for.
const STALLED: Duration = Duration::from_secs(30);

/// A future around the one under watch: notes the waker of every poll and tells the watchdog.
struct Watched<F> {
    inner: Pin<Box<F>>,
    waker: Arc<Mutex<Option<Waker>>>,
    polls: Arc<AtomicUsize>,
    polled: mpsc::Sender<()>,
}

impl<F: Future> Future for Watched<F> {
    type Output = F::Output;

    fn poll(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<F::Output> {
        *self.waker.lock().unwrap() = Some(cx.waker().clone());
        let result = self.inner.as_mut().poll(cx);
        self.polls.fetch_add(1, Ordering::SeqCst);
        let _ = self.polled.send(());
        result
    }
}

/// Runs `block_on(future)` on a thread of its own, for a future that waits `pause` from its first
/// poll, and wakes it by hand if that deadline has passed by one more `pause` without a new poll.
pub fn block_on_watched<F: Future + Send + 'static>(future: F, pause: Duration)
where
    F::Output: Send,
{
    let waker = Arc::new(Mutex::new(None));
    let polls = Arc::new(AtomicUsize::new(0));
    let (polled, polled_seen) = mpsc::channel();
    let watched = Watched {
        inner: Box::pin(future),
        waker: Arc::clone(&waker),
        polls: Arc::clone(&polls),
        polled,
    };
    let (done, returned) = mpsc::channel();
    thread::Builder::new()
        .name("block-on".into())
        .spawn(move || {
            let (_, counts) = block_on(watched, true);
            let _ = done.send(counts);
        })
        .unwrap();
    polled_seen
        .recv_timeout(STALLED)
        .expect("watchdog: block_on never polled its future");
    let deadline = Instant::now() + pause; // not before the first poll, which sets it
    let give_up = deadline + pause;
    loop {
        let left = give_up.saturating_duration_since(Instant::now());
        match polled_seen.recv_timeout(left) {
            Ok(()) => {} // polled again: someone woke it (not this future, which never does)
            Err(RecvTimeoutError::Timeout) => break,
            Err(RecvTimeoutError::Disconnected) => {
                let counts = returned.recv().unwrap();
                println!("block_on returned: {counts}");
                return;
            }
        }
    }
    println!(
        "watchdog: the deadline passed {:.1?} ago, and block_on still sleeps after {} poll(s);",
        deadline.elapsed(),
        polls.load(Ordering::SeqCst)
    );
    println!("  the future returned Pending without arranging a wake-up: nothing will wake it.");
    println!("watchdog: calling, by hand, the waker the future was given");
    let given = waker.lock().unwrap().clone();
    given.expect("a polled future was given a waker").wake();
    match returned.recv_timeout(STALLED) {
        Ok(counts) => println!("block_on returned: {counts}, the one wake being the watchdog's"),
        Err(_) => println!("watchdog: block_on did not return within {STALLED:?} of its wake"),
    }
}
