//! The checks of `timeout`. `cargo xtask verify timeout` runs them; they are ignored by a plain
//! `cargo test` so that the course's own test suite passes before you start.
//!
//! `timeout` is handed the course's own futures and driven by the course's own `block_on`. The
//! futures count their polls, note when they are dropped, panic if polled after they returned
//! `Ready`, and are either ready at once, woken by a thread of their own, or never ready (and
//! never wake anyone). The `block_on` notes each poll of the `Timeout`, whether the future was
//! still alive when the `Timeout` was ready, and how often it was woken; the CPU time of a wait
//! is measured. Outputs and durations are drawn per run (a seeded generator: the seed is in the
//! messages, and `COURSE_SEED=<seed>` draws the same again).

use std::future::Future;
use std::pin::{Pin, pin};
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::{Arc, Mutex, PoisonError};
use std::task::{Context, Poll, Wake, Waker};
use std::thread::{self, Thread};
use std::time::{Duration, Instant};

use course_checks::cpu::{self, Cost, SLEEPING_WAIT};
use course_checks::lesson_06::{Stopped, run_on_its_own_thread};
use course_checks::seeded::Seeded;

use super::{Elapsed, Timeout, timeout};

/// How long a check waits for the `Timeout` to be ready, beyond its own duration.
const PATIENCE: Duration = Duration::from_secs(5);

/// Set once a call has not returned: the checks after it do not wait for another.
static NEVER_RETURNED: AtomicBool = AtomicBool::new(false);

/// How the course's future behaves.
#[derive(Debug, Clone, Copy)]
enum Inner {
    /// `Ready` at its first poll.
    ReadyAtOnce,
    /// Its first poll starts a thread that calls the waker after this long; `Ready` after that.
    WokenAfter(Duration),
    /// Always `Pending`, and never calls any waker (a server that never answers).
    NeverReady,
    /// Always `Pending`; its first poll starts a thread that calls its latest waker once, after
    /// this long (a server that sends a first byte, then nothing).
    WokenOnceThenNever(Duration),
    /// Always `Pending`; its first this many polls wake its waker (by reference, at once), the
    /// later ones wake nobody (a server that sends many bytes at once, then nothing).
    WakesItselfThenNever(usize),
}

#[derive(Default)]
struct Probe {
    polls: AtomicUsize,
    dropped: AtomicBool,
    /// The calls of a waker that an earlier poll of the `Timeout` was given, after a later poll
    /// came with another (when the course's `block_on` gives a new waker to each poll).
    stale_wakes: AtomicUsize,
}

struct CourseFuture {
    inner: Inner,
    output: u64,
    done: bool,
    due: Arc<AtomicBool>,
    started: bool,
    /// The waker of its latest poll.
    waker: Arc<Mutex<Option<Waker>>>,
    probe: Arc<Probe>,
}

impl Drop for CourseFuture {
    fn drop(&mut self) {
        self.probe.dropped.store(true, Ordering::SeqCst);
    }
}

impl Future for CourseFuture {
    type Output = u64;

    fn poll(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<u64> {
        let this = self.get_mut();
        assert!(
            !this.done,
            "the future was polled again after it had returned Ready: once it is done, the \
             Timeout is ready with its output"
        );
        this.probe.polls.fetch_add(1, Ordering::SeqCst);
        *this.waker.lock().unwrap_or_else(PoisonError::into_inner) = Some(cx.waker().clone());
        let ready = match this.inner {
            Inner::ReadyAtOnce => true,
            Inner::NeverReady => false,
            Inner::WokenAfter(after) => {
                if !this.started {
                    this.started = true;
                    let (due, waker) = (Arc::clone(&this.due), cx.waker().clone());
                    thread::spawn(move || {
                        thread::sleep(after);
                        due.store(true, Ordering::SeqCst);
                        waker.wake();
                    });
                }
                this.due.load(Ordering::SeqCst)
            }
            Inner::WokenOnceThenNever(after) => {
                if !this.started {
                    this.started = true;
                    let waker = Arc::clone(&this.waker);
                    thread::spawn(move || {
                        thread::sleep(after);
                        let latest = waker.lock().unwrap_or_else(PoisonError::into_inner).clone();
                        latest.expect("a polled future has a waker").wake();
                    });
                }
                false
            }
            Inner::WakesItselfThenNever(times) => {
                if this.probe.polls.load(Ordering::SeqCst) <= times {
                    cx.waker().wake_by_ref();
                }
                false
            }
        };
        if ready {
            this.done = true;
            return Poll::Ready(this.output);
        }
        Poll::Pending
    }
}

/// The waker of the course's `block_on` (of one poll, or of all).
struct Signal {
    woken: AtomicBool,
    /// Set once a later poll was given another waker: a call of this one then polls nothing.
    stale: AtomicBool,
    wakes: Arc<AtomicUsize>,
    probe: Arc<Probe>,
    thread: Thread,
}

impl Wake for Signal {
    fn wake(self: Arc<Self>) {
        if self.stale.load(Ordering::SeqCst) {
            self.probe.stale_wakes.fetch_add(1, Ordering::SeqCst);
            return;
        }
        self.wakes.fetch_add(1, Ordering::SeqCst);
        self.woken.store(true, Ordering::SeqCst);
        self.thread.unpark();
    }
}

/// What the course's `block_on` saw of one `Timeout`.
#[derive(Debug)]
struct Seen {
    result: Result<u64, Elapsed>,
    polls: usize,
    wakes: usize,
    /// Whether the future had been dropped when the `Timeout` was ready.
    dropped_when_ready: bool,
    /// From the call of `timeout` to the first poll, and to the last.
    first_poll: Duration,
    ready_after: Duration,
    /// How long the longest poll of the `Timeout` took.
    longest_poll: Duration,
    /// The threads of the test program before the first poll, and the most after any poll,
    /// where the system says ([`threads_now`]).
    threads: Option<(usize, usize)>,
}

/// How many threads the test program runs now: on Linux, `Threads:` in `/proc/self/status`.
/// Other systems: `None`, and the check of the timer threads is not made.
fn threads_now() -> Option<usize> {
    if !cfg!(target_os = "linux") {
        return None;
    }
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    let line = status.lines().find(|line| line.starts_with("Threads:"))?;
    line.split(':').nth(1)?.trim().parse().ok()
}

/// Drives the `Timeout`; with `new_waker_each_poll`, each poll is given a waker of its own (as
/// when a task moves), and the wakers of earlier polls then wake nothing.
fn block_on(
    mut timeout: Pin<&mut Timeout<CourseFuture>>,
    probe: &Arc<Probe>,
    called: Instant,
    new_waker_each_poll: bool,
) -> Seen {
    let all_wakes = Arc::new(AtomicUsize::new(0));
    let new_signal = || {
        Arc::new(Signal {
            woken: AtomicBool::new(false),
            stale: AtomicBool::new(false),
            wakes: Arc::clone(&all_wakes),
            probe: Arc::clone(probe),
            thread: thread::current(),
        })
    };
    let mut signal = new_signal();
    let mut polls = 0;
    let mut first_poll = None;
    let mut longest_poll = Duration::ZERO;
    let threads_before = threads_now();
    let mut most_threads = threads_before;
    loop {
        first_poll.get_or_insert_with(|| called.elapsed());
        polls += 1;
        if new_waker_each_poll && polls > 1 {
            signal.stale.store(true, Ordering::SeqCst);
            signal = new_signal();
        }
        let waker = Waker::from(Arc::clone(&signal));
        let started = Instant::now();
        let poll = timeout.as_mut().poll(&mut Context::from_waker(&waker));
        longest_poll = longest_poll.max(started.elapsed());
        most_threads = most_threads.max(threads_now());
        if let Poll::Ready(result) = poll {
            return Seen {
                result,
                polls,
                wakes: all_wakes.load(Ordering::SeqCst),
                dropped_when_ready: probe.dropped.load(Ordering::SeqCst),
                first_poll: first_poll.unwrap_or_default(),
                ready_after: called.elapsed(),
                longest_poll,
                threads: threads_before.zip(most_threads),
            };
        }
        while !signal.woken.swap(false, Ordering::SeqCst) {
            thread::park();
        }
    }
}

/// Calls `timeout(duration, future)`, waits `before_polling`, then drives it with the course's
/// `block_on` on a thread of its own, for `duration` and [`PATIENCE`] at most.
fn run(
    duration: Duration,
    inner: Inner,
    before_polling: Duration,
    output: u64,
    what: &str,
) -> (Seen, Cost) {
    run_with(duration, inner, before_polling, output, what, false)
}

/// [`run`], where the `block_on` gives each poll a new waker if `new_waker_each_poll`.
fn run_with(
    duration: Duration,
    inner: Inner,
    before_polling: Duration,
    output: u64,
    what: &str,
    new_waker_each_poll: bool,
) -> (Seen, Cost) {
    assert!(
        !NEVER_RETURNED.load(Ordering::SeqCst),
        "not tried: the Timeout was not ready in the first check that failed"
    );
    let probe = Arc::new(Probe::default());
    let running = run_on_its_own_thread({
        let probe = Arc::clone(&probe);
        move || {
            let future = CourseFuture {
                inner,
                output,
                done: false,
                due: Arc::new(AtomicBool::new(false)),
                started: false,
                waker: Arc::new(Mutex::new(None)),
                probe: Arc::clone(&probe),
            };
            let called = Instant::now();
            let timeout = pin!(timeout(duration, future));
            thread::sleep(before_polling);
            block_on(timeout, &probe, called, new_waker_each_poll)
        }
    });
    let (returned, cost) = cpu::measure(|| running.wait(duration + before_polling + PATIENCE));
    match returned {
        Ok(seen) => (seen, cost),
        Err(Stopped::Panicked(message)) => panic!("{what} panicked: {message}"),
        Err(Stopped::TimedOut) => {
            NEVER_RETURNED.store(true, Ordering::SeqCst);
            let stale = probe.stale_wakes.load(Ordering::SeqCst);
            assert!(
                stale == 0,
                "{what} was still not ready {PATIENCE:?} after its time was up, polled {} \
                 time(s): at its deadline it called the waker of an earlier poll ({stale} \
                 time(s)), not the waker of its latest poll, which is the one that polls it \
                 now. Keep the latest waker (`cx.waker().clone()` at every poll, in a slot the \
                 timer thread shares) and wake that one at the deadline",
                probe.polls.load(Ordering::SeqCst)
            );
            panic!(
                "{what} was still not ready {PATIENCE:?} after its time was up, polled {} \
                 time(s): it never woke at its deadline. The future may never wake you: arrange \
                 your own wake-up for the deadline (a thread that sleeps until then and calls the \
                 waker), and when polled after it, drop the future and give Err(Elapsed)",
                probe.polls.load(Ordering::SeqCst)
            );
        }
    }
}

/// A `Timeout` whose future never wakes it must have slept: polled once to start and once at the
/// deadline, woken once, by its timer.
fn assert_no_busy_wait(seen: &Seen, cost: Cost, duration: Duration, what: &str) {
    assert!(
        seen.longest_poll < duration / 2,
        "one poll of {what} took {:?}: it holds the thread (sleeps or waits inside poll) instead \
         of returning Pending and letting a timer wake it at the deadline; while it does, nothing \
         else can run on that thread",
        seen.longest_poll
    );
    assert!(
        seen.polls <= seen.wakes + 1 && seen.wakes <= 1,
        "{what} was polled {} times for {} wakes of its waker: it keeps asking to be polled again \
         (it wakes its own waker at every poll, or a thread wakes it again and again) instead of \
         arranging one wake-up, at the deadline",
        seen.polls,
        seen.wakes
    );
    assert!(
        cost.cores_busy() < SLEEPING_WAIT,
        "while {what} waited, {:.2} cores were busy ({:?} of CPU in {:?}): it spins instead of \
         sleeping until the deadline",
        cost.cores_busy(),
        cost.cpu,
        cost.wall
    );
}

#[test]
#[ignore = "checked by cargo xtask verify"]
fn a_future_done_in_time_gives_its_output() {
    let mut seeded = Seeded::new();
    let drawn_with = seeded.seed();
    let output = seeded.next_u64();
    let what = format!("timeout(2 s, a future that is ready at once) (seed {drawn_with})");
    let (seen, _) = run(
        Duration::from_secs(2),
        Inner::ReadyAtOnce,
        Duration::ZERO,
        output,
        &what,
    );
    assert_eq!(seen.result, Ok(output), "{what} must give Ok(its output)");
    assert_eq!(seen.polls, 1, "{what} is ready at its first poll");
    let after = Duration::from_millis(seeded.between(30, 80));
    let output = seeded.next_u64();
    let what = format!(
        "timeout(2 s, a future woken after {after:?} by its own thread) (seed {drawn_with})"
    );
    let (seen, _) = run(
        Duration::from_secs(2),
        Inner::WokenAfter(after),
        Duration::ZERO,
        output,
        &what,
    );
    assert!(
        seen.result == Ok(output) && seen.ready_after < Duration::from_secs(2),
        "{what} gave {:?} after {:?}, when its time was up, not when the future was done: the \
         future's wake did not reach the Timeout's waker. Poll the future with the Context you \
         were given",
        seen.result,
        seen.ready_after
    );
}

#[test]
#[ignore = "checked by cargo xtask verify"]
fn the_future_is_dropped_when_the_time_is_up() {
    let mut seeded = Seeded::new();
    let duration = Duration::from_millis(seeded.between(100, 200));
    let what = format!(
        "timeout({duration:?}, a future that is never ready) (seed {})",
        seeded.seed()
    );
    let (seen, _) = run(
        duration,
        Inner::NeverReady,
        Duration::ZERO,
        seeded.next_u64(),
        &what,
    );
    assert_eq!(seen.result, Err(Elapsed), "{what} must give Err(Elapsed)");
    assert!(
        seen.ready_after >= duration,
        "{what} gave Err(Elapsed) after {:?}, before its time was up",
        seen.ready_after
    );
    assert!(
        seen.dropped_when_ready,
        "{what} gave Err(Elapsed), but the future was still alive then: drop it as soon as the \
         time is up (keep it in an Option and set it to None), so that what it holds is freed \
         at once, not when the Timeout itself is dropped"
    );
}

#[test]
#[ignore = "checked by cargo xtask verify"]
fn the_clock_starts_when_timeout_is_called() {
    let mut seeded = Seeded::new();
    let duration = Duration::from_millis(seeded.between(50, 100));
    let before_polling = duration * 2;
    let what = format!(
        "timeout({duration:?}, a future that is never ready), first polled {before_polling:?} \
         after the call (seed {})",
        seeded.seed()
    );
    let (seen, _) = run(
        duration,
        Inner::NeverReady,
        before_polling,
        seeded.next_u64(),
        &what,
    );
    assert_eq!(seen.result, Err(Elapsed), "{what} must give Err(Elapsed)");
    assert_eq!(
        seen.polls, 1,
        "{what} was polled {} times and was ready after {:?}: its time was up at its first poll. \
         The deadline counts from the call of timeout (as tokio's does), not from the first poll",
        seen.polls, seen.ready_after
    );
    assert!(seen.first_poll >= before_polling);
}

#[test]
#[ignore = "checked by cargo xtask verify"]
fn a_ready_future_wins_even_when_the_time_is_up() {
    let mut seeded = Seeded::new();
    let output = seeded.next_u64();
    let what = format!(
        "timeout(0 ms, a future that is ready at once) (seed {})",
        seeded.seed()
    );
    let (seen, _) = run(
        Duration::ZERO,
        Inner::ReadyAtOnce,
        Duration::ZERO,
        output,
        &what,
    );
    assert_eq!(
        seen.result,
        Ok(output),
        "{what} gave {:?}: poll the future first, and give its output if it is ready, even when \
         the time is up",
        seen.result
    );
}

#[test]
#[ignore = "checked by cargo xtask verify"]
fn waiting_for_the_deadline_sleeps() {
    let mut seeded = Seeded::new();
    let duration = Duration::from_millis(seeded.between(300, 400));
    let what = format!(
        "timeout({duration:?}, a future that is never ready) (seed {})",
        seeded.seed()
    );
    let (seen, cost) = run(
        duration,
        Inner::NeverReady,
        Duration::ZERO,
        seeded.next_u64(),
        &what,
    );
    assert_eq!(seen.result, Err(Elapsed), "{what} must give Err(Elapsed)");
    assert_no_busy_wait(&seen, cost, duration, &what);
}

#[test]
#[ignore = "checked by cargo xtask verify"]
fn the_latest_waker_is_woken_at_the_deadline() {
    let mut seeded = Seeded::new();
    let duration = Duration::from_millis(seeded.between(150, 250));
    let woken_after = duration / 3;
    let what = format!(
        "timeout({duration:?}, a future that wakes its waker once after {woken_after:?} and is \
         never ready), each poll given a new waker (seed {})",
        seeded.seed()
    );
    let (seen, _) = run_with(
        duration,
        Inner::WokenOnceThenNever(woken_after),
        Duration::ZERO,
        seeded.next_u64(),
        &what,
        true,
    );
    assert_eq!(seen.result, Err(Elapsed), "{what} must give Err(Elapsed)");
}

#[test]
#[ignore = "checked by cargo xtask verify"]
fn the_timer_wakes_at_the_deadline_even_when_first_polled_late() {
    let mut seeded = Seeded::new();
    let duration = Duration::from_millis(seeded.between(400, 500));
    let before_polling = duration * 4 / 5;
    let what = format!(
        "timeout({duration:?}, a future that is never ready), first polled {before_polling:?} \
         after the call (seed {})",
        seeded.seed()
    );
    let (seen, _) = run(
        duration,
        Inner::NeverReady,
        before_polling,
        seeded.next_u64(),
        &what,
    );
    assert_eq!(seen.result, Err(Elapsed), "{what} must give Err(Elapsed)");
    // A timer that sleeps the whole duration from the first poll wakes at `duration +
    // before_polling` at the earliest; one that sleeps until the deadline, at `duration`.
    let late = duration + before_polling / 2;
    assert!(
        seen.ready_after < late,
        "{what} gave Err(Elapsed) {:?} after the call, its time up at {duration:?}: it woke \
         late. The timer must sleep until the deadline (`deadline - Instant::now()`), not the \
         whole duration from the first poll",
        seen.ready_after
    );
}

#[test]
#[ignore = "checked by cargo xtask verify"]
fn one_timer_however_many_polls() {
    let mut seeded = Seeded::new();
    let duration = Duration::from_millis(seeded.between(200, 300));
    let wakes = seeded.size(20, 40);
    let what = format!(
        "timeout({duration:?}, a future that wakes its waker at each of its first {wakes} polls \
         and then never again) (seed {})",
        seeded.seed()
    );
    let (seen, _) = run(
        duration,
        Inner::WakesItselfThenNever(wakes),
        Duration::ZERO,
        seeded.next_u64(),
        &what,
    );
    assert_eq!(seen.result, Err(Elapsed), "{what} must give Err(Elapsed)");
    if let Some((before, most)) = seen.threads {
        let more = most.saturating_sub(before);
        assert!(
            more <= 2,
            "{what} was polled {} times, and meanwhile the test program ran {more} more \
             threads than before the first poll: it starts a timer thread at every poll. One \
             timer is enough: start it once (at the first poll, or in `timeout`), and let it \
             wake the latest waker at the deadline",
            seen.polls
        );
    }
}
