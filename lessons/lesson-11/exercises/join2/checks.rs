//! The checks of `join2`. `cargo xtask verify join2` runs them; they are ignored by a plain
//! `cargo test` so that the course's own test suite passes before you start.
//!
//! `join2` is handed the course's own futures, `a` and `b`, and driven by the course's own
//! `block_on`. The futures note every poll (in which poll of `Join2` it came), count the wakes
//! they make (themselves, or from a thread of their own, with the waker they were given), and
//! panic if polled again after they returned `Ready`; the `block_on` counts how often `Join2`'s
//! waker was called. Outputs and numbers of wakes are drawn per run (a seeded generator: the seed
//! is in the messages, and `COURSE_SEED=<seed>` draws the same again).

use std::collections::HashMap;
use std::future::Future;
use std::pin::{Pin, pin};
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::{Arc, Mutex, PoisonError};
use std::task::{Context, Poll, Wake, Waker};
use std::thread::{self, Thread};
use std::time::Duration;

use course_checks::lesson_06::{Stopped, run_on_its_own_thread};
use course_checks::seeded::Seeded;

use super::join2;

/// How long a check waits for the join to be done; the slowest is done after 0.2 s.
const PATIENCE: Duration = Duration::from_secs(5);

/// Set once a call has not returned: the checks after it do not wait for another.
static NEVER_RETURNED: AtomicBool = AtomicBool::new(false);

/// How one of the course's futures gets to `Ready`.
#[derive(Debug, Clone, Copy)]
enum Script {
    /// `Pending` this many times, each time after waking its own waker, then `Ready`.
    WakesItself(usize),
    /// This many times: starts a thread that calls its latest waker after `every`, and stays
    /// `Pending` until then. Then `Ready`.
    WokenByAThread(usize, Duration),
}

/// What the two futures and the course's `block_on` saw.
#[derive(Default)]
struct Log {
    /// Which poll of `Join2` is running (1 for the first).
    join_poll: AtomicUsize,
    /// Every poll of `a` or `b`: in which poll of `Join2`, and by whom.
    polls: Mutex<Vec<(usize, &'static str)>>,
    /// The wakes the two futures made.
    wakes_made: AtomicUsize,
    /// Every poll of `a` or `b` and every time one of them became due to be polled again (a
    /// wake on its way), in the order they came: which poll of `Join2` had begun, by whom, and
    /// whether it was a wake.
    timeline: Mutex<Vec<(usize, &'static str, bool)>>,
    /// How often `Join2`'s own waker was called.
    join_wakes: AtomicUsize,
}

impl Log {
    /// Notes in the timeline a poll of `name` (`wake` false) or that it is due to be polled
    /// again (`wake` true), and runs `then` before another event can be noted.
    fn note<T>(&self, name: &'static str, wake: bool, then: impl FnOnce() -> T) -> T {
        let mut timeline = self.timeline.lock().unwrap_or_else(PoisonError::into_inner);
        timeline.push((self.join_poll.load(Ordering::SeqCst), name, wake));
        then()
    }
}

struct CourseFuture {
    name: &'static str,
    script: Script,
    wakes_left: usize,
    output: u64,
    done: bool,
    /// For [`Script::WokenByAThread`]: a wake is on its way.
    waiting: Arc<AtomicBool>,
    waker: Arc<Mutex<Option<Waker>>>,
    log: Arc<Log>,
}

impl CourseFuture {
    fn new(name: &'static str, script: Script, output: u64, log: &Arc<Log>) -> Self {
        let wakes_left = match script {
            Script::WakesItself(times) | Script::WokenByAThread(times, _) => times,
        };
        CourseFuture {
            name,
            script,
            wakes_left,
            output,
            done: false,
            waiting: Arc::new(AtomicBool::new(false)),
            waker: Arc::new(Mutex::new(None)),
            log: Arc::clone(log),
        }
    }
}

impl Future for CourseFuture {
    type Output = u64;

    fn poll(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<u64> {
        let this = self.get_mut();
        assert!(
            !this.done,
            "the future {} was polled again after it had returned Ready: keep its output, and \
             never poll a future that is done",
            this.name
        );
        let join_poll = this.log.join_poll.load(Ordering::SeqCst);
        this.log
            .polls
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .push((join_poll, this.name));
        *this.waker.lock().unwrap_or_else(PoisonError::into_inner) = Some(cx.waker().clone());
        if this
            .log
            .note(this.name, false, || this.waiting.load(Ordering::SeqCst))
        {
            return Poll::Pending; // polled before its wake: it still comes
        }
        if this.wakes_left == 0 {
            this.done = true;
            return Poll::Ready(this.output);
        }
        this.wakes_left -= 1;
        match this.script {
            Script::WakesItself(_) => {
                this.log.wakes_made.fetch_add(1, Ordering::SeqCst);
                this.log.note(this.name, true, || ());
                cx.waker().wake_by_ref();
            }
            Script::WokenByAThread(_, every) => {
                this.waiting.store(true, Ordering::SeqCst);
                let (waiting, waker) = (Arc::clone(&this.waiting), Arc::clone(&this.waker));
                let (log, name) = (Arc::clone(&this.log), this.name);
                thread::spawn(move || {
                    thread::sleep(every);
                    log.note(name, true, || waiting.store(false, Ordering::SeqCst));
                    log.wakes_made.fetch_add(1, Ordering::SeqCst);
                    let latest = waker.lock().unwrap_or_else(PoisonError::into_inner).clone();
                    latest.expect("a polled future has a waker").wake();
                });
            }
        }
        Poll::Pending
    }
}

/// The waker of the course's `block_on`.
struct JoinWaker {
    woken: AtomicBool,
    thread: Thread,
    log: Arc<Log>,
}

impl Wake for JoinWaker {
    fn wake(self: Arc<Self>) {
        self.log.join_wakes.fetch_add(1, Ordering::SeqCst);
        self.woken.store(true, Ordering::SeqCst);
        self.thread.unpark();
    }
}

/// The course's `block_on`, which tells the futures which poll of the join is running.
fn block_on<F: Future>(future: F, log: &Arc<Log>) -> F::Output {
    let signal = Arc::new(JoinWaker {
        woken: AtomicBool::new(false),
        thread: thread::current(),
        log: Arc::clone(log),
    });
    let waker = Waker::from(Arc::clone(&signal));
    let mut cx = Context::from_waker(&waker);
    let mut future = pin!(future);
    loop {
        log.join_poll.fetch_add(1, Ordering::SeqCst);
        if let Poll::Ready(output) = future.as_mut().poll(&mut cx) {
            return output;
        }
        while !signal.woken.swap(false, Ordering::SeqCst) {
            thread::park();
        }
    }
}

/// Joins the course's futures `a` and `b` with the learner's `join2`, and judges what they saw.
fn join_and_judge(a: Script, b: Script, seeded: &mut Seeded) {
    assert!(
        !NEVER_RETURNED.load(Ordering::SeqCst),
        "not tried: the join was not done in the first check that failed"
    );
    let seed = seeded.seed();
    let (a_output, b_output) = (seeded.next_u64(), seeded.next_u64());
    let log = Arc::new(Log::default());
    let what = format!("join2(a, b), with a that {a:?} and b that {b:?} (seed {seed})");
    let running = run_on_its_own_thread({
        let log = Arc::clone(&log);
        move || {
            let a = CourseFuture::new("a", a, a_output, &log);
            let b = CourseFuture::new("b", b, b_output, &log);
            block_on(join2(a, b), &log)
        }
    });
    let returned = match running.wait(PATIENCE) {
        Ok(returned) => returned,
        Err(Stopped::Panicked(message)) => panic!("{what} panicked: {message}"),
        Err(Stopped::TimedOut) => {
            NEVER_RETURNED.store(true, Ordering::SeqCst);
            panic!(
                "{what} was not done within {PATIENCE:?}: the futures made {} wakes, and Join2's \
                 own waker was called {} times. Give each future the `Context` Join2 is polled \
                 with, so that their wakes reach whoever polls Join2",
                log.wakes_made.load(Ordering::SeqCst),
                log.join_wakes.load(Ordering::SeqCst)
            );
        }
    };
    assert_eq!(
        returned,
        (a_output, b_output),
        "{what} returned {returned:?}, but a's output is {a_output} and b's {b_output}: Join2 is \
         ready with (a's output, b's output)"
    );
    let polls = log
        .polls
        .lock()
        .unwrap_or_else(PoisonError::into_inner)
        .clone();
    for name in ["a", "b"] {
        assert!(
            polls.contains(&(1, name)),
            "{what}: Join2's first poll did not poll {name}. It must poll both futures at once; \
             polling one only when the other is done waits for one after the other"
        );
    }
    let mut times_in_one_poll: HashMap<(usize, &str), usize> = HashMap::new();
    for &poll in &polls {
        *times_in_one_poll.entry(poll).or_default() += 1;
    }
    let most = times_in_one_poll
        .into_iter()
        .max_by_key(|&(poll, times)| (times, poll));
    if let Some(((join_poll, name), times)) = most {
        assert!(
            times <= 1,
            "{what}: {name} was polled {times} times in one poll of Join2 (its poll \
             {join_poll}). Poll each future once at most: a future that returns Pending has \
             arranged its wake-up, and polling it again in a loop is work in vain (and holds the \
             thread)"
        );
    }
    // A future that became due once poll `n` of Join2 had begun (its waker is called next) is
    // polled again by poll `n + 2` at the latest: poll `n + 1` follows the wake, or had begun
    // before it and then a poll `n + 2` follows. (It is not done: a wake is on its way.)
    let timeline = log
        .timeline
        .lock()
        .unwrap_or_else(PoisonError::into_inner)
        .clone();
    for (at, &(n, name, _)) in timeline.iter().enumerate().filter(|(_, event)| event.2) {
        let next = timeline[at..]
            .iter()
            .find(|&&(_, polled, wake)| polled == name && !wake)
            .map(|&(poll, _, _)| poll);
        assert!(
            next.is_some_and(|next| next <= n + 2),
            "{what}: {name} woke Join2 during its poll {n}, but the next poll of Join2 did not \
             poll {name} (it was polled again {}): Join2 polls one future after the other, \
             returning Pending while the first is not done, and the wake of the other waits. \
             Poll every future that is not done in every poll of Join2",
            next.map_or_else(
                || "never".to_owned(),
                |next| format!("in Join2's poll {next}")
            )
        );
    }
    let (made, join_wakes) = (
        log.wakes_made.load(Ordering::SeqCst),
        log.join_wakes.load(Ordering::SeqCst),
    );
    assert!(
        join_wakes <= made,
        "{what}: Join2's waker was called {join_wakes} times, but the futures made only {made} \
         wakes: Join2 wakes itself, asking to be polled again when neither future asked. Give the \
         futures the `Context` you were given, and let their wakes do it"
    );
}

#[test]
#[ignore = "checked by cargo xtask verify"]
fn both_futures_are_polled_in_the_first_poll() {
    let mut seeded = Seeded::new();
    let a = Script::WakesItself(seeded.size(1, 5));
    let b = Script::WakesItself(seeded.size(1, 5));
    join_and_judge(a, b, &mut seeded);
}

#[test]
#[ignore = "checked by cargo xtask verify"]
fn the_outputs_come_in_the_order_of_the_futures() {
    let mut seeded = Seeded::new();
    let later = seeded.size(2, 6);
    join_and_judge(Script::WakesItself(0), Script::WakesItself(0), &mut seeded);
    join_and_judge(
        Script::WakesItself(later),
        Script::WakesItself(0),
        &mut seeded,
    );
    join_and_judge(
        Script::WakesItself(0),
        Script::WakesItself(later),
        &mut seeded,
    );
}

#[test]
#[ignore = "checked by cargo xtask verify"]
fn a_future_that_is_done_is_not_polled_again() {
    let mut seeded = Seeded::new();
    let every = Duration::from_millis(seeded.between(5, 20));
    let b = Script::WokenByAThread(seeded.size(2, 4), every);
    join_and_judge(Script::WakesItself(0), b, &mut seeded);
    let a = Script::WokenByAThread(seeded.size(2, 4), every);
    join_and_judge(a, Script::WakesItself(1), &mut seeded);
}

#[test]
#[ignore = "checked by cargo xtask verify"]
fn futures_woken_by_other_threads_wake_the_join() {
    let mut seeded = Seeded::new();
    let a = Script::WokenByAThread(2, Duration::from_millis(seeded.between(20, 40)));
    let b = Script::WokenByAThread(seeded.size(1, 3), Duration::from_millis(10));
    join_and_judge(a, b, &mut seeded);
}
