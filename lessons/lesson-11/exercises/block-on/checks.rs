//! The checks of `block-on`. `cargo xtask verify block-on` runs them; they are ignored by a plain
//! `cargo test` so that the course's own test suite passes before you start.
//!
//! Your `block_on` is handed the course's own futures, which see what it does: they count their
//! polls and the wakes they make (themselves, or from a thread of their own), note the waker they
//! were given, and panic if polled again after they returned `Ready`. A wait is also measured in
//! CPU time. The outputs are drawn per run (a seeded generator: the seed is in the messages, and
//! `COURSE_SEED=<seed>` draws the same again).

use std::future::Future;
use std::pin::Pin;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::{Arc, Mutex, PoisonError};
use std::task::{Context, Poll, Waker};
use std::thread::{self, Thread};
use std::time::Duration;

use course_checks::cpu::{self, Cost, SLEEPING_WAIT};
use course_checks::lesson_06::{Stopped, run_on_its_own_thread};
use course_checks::seeded::Seeded;

use super::block_on;

/// How long a check waits for `block_on` to return; the slowest future is ready after 0.4 s.
const PATIENCE: Duration = Duration::from_secs(5);

/// How many times the waiting thread may go to sleep while a future waits 0.4 s for its one
/// wake: a wait that sleeps until it is woken sleeps once (twice, if a lock is contended on the
/// way, and a few times if it also wakes itself every 100 ms or more, as a safety net); one that
/// sleeps 60 ms or less and looks again sleeps 6 times or more.
const MOST_SLEEPS_FOR_ONE_WAKE: u64 = 5;

/// Set once a call has not returned: the checks after it do not wait for another.
static NEVER_RETURNED: AtomicBool = AtomicBool::new(false);

/// What one of the course's futures saw.
#[derive(Default)]
struct Probe {
    polls: AtomicUsize,
    /// The wakes the future made (counted before each call of the waker).
    wakes: AtomicUsize,
    ready: AtomicBool,
    waker: Mutex<Option<Waker>>,
    /// How many times the polling thread had slept (blocked) by the first poll, and by the poll
    /// that was `Ready`, where the system says it ([`times_the_thread_slept`]).
    slept_by_first_poll: Mutex<Option<u64>>,
    slept_by_ready_poll: Mutex<Option<u64>>,
}

impl Probe {
    fn polls(&self) -> usize {
        self.polls.load(Ordering::SeqCst)
    }

    fn wakes(&self) -> usize {
        self.wakes.load(Ordering::SeqCst)
    }
}

/// How the course's future behaves.
#[derive(Debug, Clone, Copy)]
enum Script {
    /// `Ready` at its first poll.
    ReadyAtOnce,
    /// `Pending` `times` times, each time after waking its own waker (by reference or a clone,
    /// in turn), then `Ready`.
    WakesItself { times: usize },
    /// Its first poll starts a thread that unparks the polling thread `spurious` times without
    /// calling any waker, then sleeps `after` and calls the latest waker once: `Ready` after that.
    WokenByAThread { after: Duration, spurious: usize },
}

struct CourseFuture {
    probe: Arc<Probe>,
    script: Script,
    output: u64,
    started: bool,
    due: Arc<AtomicBool>,
}

impl CourseFuture {
    fn new(script: Script, output: u64) -> (Self, Arc<Probe>) {
        let probe = Arc::new(Probe::default());
        let future = CourseFuture {
            probe: Arc::clone(&probe),
            script,
            output,
            started: false,
            due: Arc::new(AtomicBool::new(false)),
        };
        (future, probe)
    }
}

impl Future for CourseFuture {
    type Output = u64;

    fn poll(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<u64> {
        let this = self.get_mut();
        let probe = Arc::clone(&this.probe);
        assert!(
            !probe.ready.load(Ordering::SeqCst),
            "the future was polled again after it had returned Ready: once a future is done, \
             block_on returns its output and never polls it again"
        );
        let polls = probe.polls.fetch_add(1, Ordering::SeqCst) + 1;
        if polls == 1 {
            *probe
                .slept_by_first_poll
                .lock()
                .unwrap_or_else(PoisonError::into_inner) = times_the_thread_slept();
        }
        *probe.waker.lock().unwrap_or_else(PoisonError::into_inner) = Some(cx.waker().clone());
        let ready = match this.script {
            Script::ReadyAtOnce => true,
            Script::WakesItself { times } if polls > times => true,
            Script::WakesItself { .. } => {
                probe.wakes.fetch_add(1, Ordering::SeqCst);
                if polls.is_multiple_of(2) {
                    #[allow(
                        clippy::waker_clone_wake,
                        reason = "a waker woken by value, as a timer thread wakes its own clone"
                    )]
                    cx.waker().clone().wake();
                } else {
                    cx.waker().wake_by_ref();
                }
                false
            }
            Script::WokenByAThread { after, spurious } => {
                if !this.started {
                    this.started = true;
                    let poller = thread::current();
                    let (probe, due) = (Arc::clone(&probe), Arc::clone(&this.due));
                    thread::spawn(move || wake_later(&poller, &probe, &due, after, spurious));
                }
                this.due.load(Ordering::SeqCst)
            }
        };
        if ready {
            *probe
                .slept_by_ready_poll
                .lock()
                .unwrap_or_else(PoisonError::into_inner) = times_the_thread_slept();
            probe.ready.store(true, Ordering::SeqCst);
            return Poll::Ready(this.output);
        }
        Poll::Pending
    }
}

/// How many times the calling thread has blocked (slept in the kernel) since it started: on
/// Linux, its `voluntary_ctxt_switches`. A wait that sleeps until it is woken blocks once or
/// twice; one that sleeps a little and looks again blocks hundreds of times a second. Other
/// systems keep no such count for a thread that std can read: `None`, and the check relies on
/// the counts of polls and on the CPU time alone.
fn times_the_thread_slept() -> Option<u64> {
    if !cfg!(target_os = "linux") {
        return None;
    }
    let status = std::fs::read_to_string("/proc/thread-self/status").ok()?;
    let line = status
        .lines()
        .find(|line| line.starts_with("voluntary_ctxt_switches:"))?;
    line.split(':').nth(1)?.trim().parse().ok()
}

/// The thread of [`Script::WokenByAThread`].
fn wake_later(poller: &Thread, probe: &Probe, due: &AtomicBool, after: Duration, spurious: usize) {
    for _ in 0..spurious {
        poller.unpark(); // not a wake: no waker is called
        thread::sleep(Duration::from_millis(20));
    }
    thread::sleep(after);
    due.store(true, Ordering::SeqCst);
    probe.wakes.fetch_add(1, Ordering::SeqCst);
    let waker = probe
        .waker
        .lock()
        .unwrap_or_else(PoisonError::into_inner)
        .clone();
    waker.expect("the future was polled").wake();
}

/// Runs `block_on` on the course's future on a thread of its own, waits for it at most
/// [`PATIENCE`], and returns its output, what the future saw and what the wait cost.
fn run(script: Script, output: u64, what: &str) -> (u64, Arc<Probe>, Cost) {
    assert!(
        !NEVER_RETURNED.load(Ordering::SeqCst),
        "not tried: block_on did not return in the first check that failed"
    );
    let (future, probe) = CourseFuture::new(script, output);
    let running = run_on_its_own_thread(move || block_on(future));
    let (returned, cost) = cpu::measure(|| running.wait(PATIENCE));
    match returned {
        Ok(returned) => (returned, probe, cost),
        Err(Stopped::Panicked(message)) => panic!("block_on({what}) panicked: {message}"),
        Err(Stopped::TimedOut) => {
            NEVER_RETURNED.store(true, Ordering::SeqCst);
            let (polls, wakes) = (probe.polls(), probe.wakes());
            assert!(
                wakes != 0,
                "block_on({what}) did not return within {PATIENCE:?}, and polled it {polls} \
                 time(s) before its waker was ever called"
            );
            panic!(
                "block_on({what}) did not return within {PATIENCE:?}: the future's waker was \
                 called {wakes} time(s), yet block_on never polled it again after that (it was \
                 polled {polls} time(s) in all). Calling the waker must wake the thread that \
                 waits (`Thread::unpark`), so that it polls again"
            );
        }
    }
}

/// Polls ≤ wakes + 1: the first poll needs no wake, every other one does.
fn assert_no_poll_in_vain(probe: &Probe, what: &str, seed: u64) {
    let (polls, wakes) = (probe.polls(), probe.wakes());
    assert!(
        polls <= wakes + 1,
        "block_on({what}) polled the future {polls} times for {wakes} wake(s): it polls again \
         without a wake (in a loop that yields, sleeps a while or checks again at once). Poll \
         once, then again only after the future's waker has been called (seed {seed})"
    );
}

#[test]
#[ignore = "checked by cargo xtask verify"]
fn a_ready_future_is_polled_once_and_its_output_returned() {
    let mut seeded = Seeded::new();
    let output = seeded.next_u64();
    let (returned, probe, _) = run(
        Script::ReadyAtOnce,
        output,
        "a future that is ready at once",
    );
    assert_eq!(
        returned,
        output,
        "block_on must return the future's own output (seed {})",
        seeded.seed()
    );
    assert_eq!(
        probe.polls(),
        1,
        "a future that is ready at once is polled once"
    );
}

#[test]
#[ignore = "checked by cargo xtask verify"]
fn a_future_that_wakes_itself_is_polled_once_per_wake() {
    let mut seeded = Seeded::new();
    for times in [1, seeded.size(2, 50)] {
        let output = seeded.next_u64();
        let what = format!("a future that wakes itself {times} times");
        let (returned, probe, _) = run(Script::WakesItself { times }, output, &what);
        assert_eq!(
            returned, output,
            "block_on must return the future's own output"
        );
        assert_no_poll_in_vain(&probe, &what, seeded.seed());
        assert_eq!(
            probe.polls(),
            times + 1,
            "{what} is polled {} times",
            times + 1
        );
    }
}

#[test]
#[ignore = "checked by cargo xtask verify"]
fn a_future_woken_by_another_thread_is_polled_again() {
    let mut seeded = Seeded::new();
    let output = seeded.next_u64();
    let after = Duration::from_millis(seeded.between(50, 150));
    let script = Script::WokenByAThread { after, spurious: 0 };
    let what = "a future woken by another thread after 50 to 150 ms";
    let (returned, probe, _) = run(script, output, what);
    assert_eq!(
        returned, output,
        "block_on must return the future's own output"
    );
    assert_no_poll_in_vain(&probe, what, seeded.seed());
}

#[test]
#[ignore = "checked by cargo xtask verify"]
fn an_unpark_without_a_wake_does_not_poll_again() {
    let mut seeded = Seeded::new();
    let output = seeded.next_u64();
    let spurious = seeded.size(2, 5);
    let script = Script::WokenByAThread {
        after: Duration::from_millis(100),
        spurious,
    };
    let what = "a future whose thread is unparked by something else";
    let (returned, probe, _) = run(script, output, what);
    assert_eq!(
        returned, output,
        "block_on must return the future's own output"
    );
    let (polls, wakes) = (probe.polls(), probe.wakes());
    assert!(
        polls <= wakes + 1,
        "block_on({what}) polled the future {polls} times for {wakes} wake(s), while its thread \
         was unparked {spurious} times with no waker called: it polls again without a wake. \
         `park` may return when no waker was called (an unpark from elsewhere, or none at all): \
         let your waker set a flag, and poll again only once the flag says it was called \
         (seed {})",
        seeded.seed()
    );
}

#[test]
#[ignore = "checked by cargo xtask verify"]
fn waiting_sleeps_instead_of_spinning() {
    let mut seeded = Seeded::new();
    let output = seeded.next_u64();
    let after = Duration::from_millis(400);
    let script = Script::WokenByAThread { after, spurious: 0 };
    let what = "a future woken by another thread after 0.4 s";
    let (returned, probe, cost) = run(script, output, what);
    assert_eq!(
        returned, output,
        "block_on must return the future's own output"
    );
    assert_no_poll_in_vain(&probe, what, seeded.seed());
    let slept = |slot: &Mutex<Option<u64>>| *slot.lock().unwrap_or_else(PoisonError::into_inner);
    if let (Some(first), Some(ready)) = (
        slept(&probe.slept_by_first_poll),
        slept(&probe.slept_by_ready_poll),
    ) {
        let times = ready.saturating_sub(first);
        assert!(
            times != 0,
            "while {what} waited for its one wake, the thread that waited never went to sleep: \
             block_on kept it running, so it spins (checking a flag again and again, with \
             `yield_now` or a spin hint in between) instead of sleeping until the waker wakes it \
             (`thread::park` and `Thread::unpark`, a `Condvar`, a channel's `recv`)"
        );
        assert!(
            times <= MOST_SLEEPS_FOR_ONE_WAKE,
            "while {what} waited for its one wake, the thread that waited went to sleep and woke \
             up {times} times: block_on sleeps a little and looks again (a loop around `sleep` or \
             `park_timeout`) instead of sleeping until the waker wakes it (`thread::park` and \
             `Thread::unpark`, a `Condvar`, a channel's `recv`)"
        );
    }
    assert!(
        cost.cores_busy() < SLEEPING_WAIT,
        "while the future waited for its waker, block_on kept {:.2} cores busy ({:?} of CPU in \
         {:?}): it spins, checking again at once, instead of sleeping until it is woken \
         (`thread::park`, a `Condvar`, a channel's `recv`)",
        cost.cores_busy(),
        cost.cpu,
        cost.wall
    );
}
