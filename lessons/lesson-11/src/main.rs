//! Lesson 11: a future by hand. Run it with `cargo run -p lesson-11`; `--help` lists the flags.
mod async_fn;
mod cli;
mod executor;
mod join;
mod no_wake;
mod timer;
mod watchdog;

use std::future::Future;
use std::pin::{Pin, pin};
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::task::{Context, Poll, Wake, Waker};
use std::thread::{self, Thread};

use cli::{Args, Part};

// ANCHOR: count_down
/// A future written by hand: a state machine with one state, the steps still to go. Each poll
/// does one step; until the last, it asks to be polled again (it wakes its own waker) and
/// returns `Pending`.
struct CountDown {
    steps_to_go: u32,
}

impl Future for CountDown {
    type Output = &'static str;

    fn poll(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Self::Output> {
        if self.steps_to_go == 0 {
            println!("  CountDown: no step to go → Ready");
            return Poll::Ready("liftoff");
        }
        self.steps_to_go -= 1;
        println!(
            "  CountDown: one step done, {} to go → Pending",
            self.steps_to_go
        );
        cx.waker().wake_by_ref(); // "poll me again": without it, nobody ever would
        Poll::Pending
    }
}
// ANCHOR_END: count_down

// ANCHOR: block_on
/// The waker of `block_on`: waking it sets a flag and unparks the thread that waits.
struct ThreadWaker {
    thread: Thread,
    woken: AtomicBool,
    wakes: AtomicUsize,
    trace: bool,
}

impl Wake for ThreadWaker {
    fn wake(self: Arc<Self>) {
        self.wake_by_ref();
    }

    fn wake_by_ref(self: &Arc<Self>) {
        self.wakes.fetch_add(1, Ordering::SeqCst);
        if self.trace {
            let by = thread::current();
            println!(
                "  wake (on thread {}): unpark the waiting thread",
                by.name().unwrap_or("?")
            );
        }
        self.woken.store(true, Ordering::SeqCst);
        self.thread.unpark();
    }
}

/// Polls `future` until it is `Ready`. Between two polls the thread sleeps (`park`) until the
/// future's waker is called: it never polls in vain, and it burns no CPU while it waits.
fn block_on<F: Future>(future: F, trace: bool) -> (F::Output, Counts) {
    let signal = Arc::new(ThreadWaker {
        thread: thread::current(),
        woken: AtomicBool::new(false),
        wakes: AtomicUsize::new(0),
        trace,
    });
    let waker = Waker::from(Arc::clone(&signal));
    let mut cx = Context::from_waker(&waker);
    let mut future = pin!(future); // polled in place from now on: it never moves again
    let mut polls = 0;
    loop {
        polls += 1;
        if trace {
            println!("block_on: poll {polls}");
        }
        if let Poll::Ready(output) = future.as_mut().poll(&mut cx) {
            let counts = Counts {
                polls,
                wakes: signal.wakes.load(Ordering::SeqCst),
            };
            return (output, counts);
        }
        // Sleep until woken; `park` may also return for no reason, so check the flag.
        while !signal.woken.swap(false, Ordering::SeqCst) {
            thread::park();
        }
    }
}
// ANCHOR_END: block_on

/// How many times `block_on` polled its future, and how many times the future's waker was called.
#[derive(Debug, Clone, Copy)]
struct Counts {
    polls: usize,
    wakes: usize,
}

impl std::fmt::Display for Counts {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let plural = |n: usize| if n == 1 { "" } else { "s" };
        let (polls, wakes) = (self.polls, self.wakes);
        write!(
            f,
            "{polls} poll{} for {wakes} wake{}",
            plural(polls),
            plural(wakes)
        )
    }
}

// ANCHOR: state_machine
fn drive_a_count_down() {
    let (output, counts) = block_on(CountDown { steps_to_go: 3 }, true);
    println!("block_on returned {output:?} after {counts}");
}
// ANCHOR_END: state_machine

// ANCHOR: main
fn main() {
    let args: Args = course_support::parse_args();
    for part in args.parts.announced() {
        match part {
            Part::StateMachine => drive_a_count_down(),
            Part::Timer => timer::wait_for_a_timer(args.pause_ms),
            Part::NoWake => no_wake::pending_without_a_wake_up(args.pause_ms),
            Part::Join => join::join_against_one_after_the_other(args.pause_ms),
            Part::Executor => executor::run_tasks(args.tasks),
            Part::AsyncFn => async_fn::what_async_fn_becomes(),
        }
    }
}
// ANCHOR_END: main
