//! Lesson 07: shared state. Run it with `cargo run -p lesson-07`; `--help` lists the flags.
mod bounded_queue;
mod cli;
mod progress;
mod rounds;

use std::cell::Cell;
use std::hint::black_box;
use std::panic;
use std::sync::atomic::{AtomicU32, Ordering};
use std::sync::{Arc, Barrier, LazyLock, Mutex, OnceLock, RwLock, TryLockError, mpsc};
use std::thread;
use std::time::{Duration, Instant};

use bounded_queue::BoundedQueue;
use cli::{Args, Part};
use rounds::Round;

fn send_and_sync() {
    println!("Two programs that do not compile; see the compiler's words yourself:");
    println!("  rustc --edition 2024 lessons/lesson-07/compile-fail/rc_to_thread.rs");
    println!("  error E0277: `Rc<String>` cannot be sent between threads safely");
    println!("  rustc --edition 2024 lessons/lesson-07/compile-fail/refcell_in_arc.rs");
    println!("  error E0277: `RefCell<Vec<&str>>` cannot be shared between threads safely");
    println!("The tests check that both still fail, and why. The same programs, fixed:");
    arc_instead_of_rc();
    mutex_instead_of_refcell();
    atomic_instead_of_a_plain_counter();
}

// ANCHOR: fixes
fn arc_instead_of_rc() {
    let name = Arc::new(String::from("report.txt"));
    let for_the_thread = Arc::clone(&name); // Arc counts its owners with an atomic: Send
    let handle = thread::spawn(move || format!("the thread had {for_the_thread}"));
    let said = handle.join().unwrap();
    let owners = Arc::strong_count(&name); // the thread's clone is gone with the thread
    println!("  Arc:       {said}; main has {name}, owners now {owners}");
}

fn mutex_instead_of_refcell() {
    let visits = Arc::new(Mutex::new(Vec::new())); // Mutex<T> is Sync: one borrower at a time
    let for_the_thread = Arc::clone(&visits);
    let handle = thread::spawn(move || for_the_thread.lock().unwrap().push("from the thread"));
    visits.lock().unwrap().push("from main");
    handle.join().unwrap();
    let mut visits = visits.lock().unwrap().clone();
    visits.sort_unstable(); // which push came first is the scheduler's choice
    println!("  Mutex:     {visits:?}");
}

fn atomic_instead_of_a_plain_counter() {
    let hits = AtomicU32::new(0);
    thread::scope(|s| {
        for _ in 0..4 {
            s.spawn(|| hits.fetch_add(1, Ordering::Relaxed));
        }
    });
    println!(
        "  AtomicU32: 4 threads added one each: {}",
        hits.into_inner()
    );
}
// ANCHOR_END: fixes

// ANCHOR: measure
const PRICES: usize = 1024;
/// The writer changes one price once per this many lookups of one reader.
const WRITE_EVERY: u32 = 100;

/// `readers` threads each call `read` `lookups` times while one writer calls `write`; how long
/// until all of them are done.
fn time_readers_and_a_writer(
    readers: u32,
    lookups: u32,
    read: impl Fn(usize) -> u64 + Sync,
    write: impl Fn(usize) + Sync,
) -> Duration {
    let started = Instant::now();
    thread::scope(|s| {
        for reader in 0..readers as usize {
            let read = &read;
            s.spawn(move || {
                let seen = (0..lookups as usize).map(|i| read(reader + i * 7));
                black_box(seen.fold(0, u64::wrapping_add)) // keep the work from being optimised away
            });
        }
        s.spawn(|| (0..lookups / WRITE_EVERY).for_each(|i| write(i as usize)));
    });
    started.elapsed()
}

/// The same workload behind a `Mutex` and behind an `RwLock`; a read sums `span` prices.
fn mutex_then_rwlock(readers: u32, lookups: u32, span: usize) -> Round {
    let sum = move |prices: &[u64], at: usize| (0..span).map(|k| prices[(at + k) % PRICES]).sum();
    let table = Mutex::new(vec![1_u64; PRICES]);
    let mutex = time_readers_and_a_writer(
        readers,
        lookups,
        |at| sum(&table.lock().unwrap(), at), // one reader at a time
        |at| table.lock().unwrap()[at % PRICES] += 1,
    );
    let table = RwLock::new(vec![1_u64; PRICES]);
    let rwlock = time_readers_and_a_writer(
        readers,
        lookups,
        |at| sum(&table.read().unwrap(), at), // any number of readers at once
        |at| table.write().unwrap()[at % PRICES] += 1,
    );
    Round { mutex, rwlock }
}

/// One run proves nothing on a busy machine: both locks are timed in turn, round after round.
const ROUNDS: usize = 7;
/// A short read is quick, so each reader makes this many times more of them: enough to time.
const MORE_SHORT_READS: u32 = 10;

fn compare_mutex_and_rwlock(readers: u32, lookups: u32) {
    println!(
        "{readers} readers, 1 writer changing a price every {WRITE_EVERY} lookups; \
         {ROUNDS} rounds, the two locks in turn"
    );
    println!("long reads: {lookups} lookups each, summing all {PRICES} prices under the lock");
    let rounds = rounds::run(ROUNDS, || mutex_then_rwlock(readers, lookups, PRICES));
    rounds::report(&rounds);
    let lookups = lookups.saturating_mul(MORE_SHORT_READS);
    println!("short reads: {lookups} lookups each, reading 1 price under the lock");
    let rounds = rounds::run(ROUNDS, || mutex_then_rwlock(readers, lookups, 1));
    rounds::report(&rounds);
}
// ANCHOR_END: measure

// ANCHOR: lock_scope
/// A thread locks `prices`, copies them, then does slow work with the copy. Main tries the lock
/// while that work runs: is it free?
fn is_the_lock_free_during_slow_work(drop_guard_early: bool, pause: Duration) -> bool {
    let prices = &Mutex::new(vec![3, 1, 2]);
    let (says_working, hears_working) = mpsc::channel();
    let (says_tried, hears_tried) = mpsc::channel();
    thread::scope(|s| {
        s.spawn(move || {
            let guard = prices.lock().unwrap();
            let mut sorted = guard.clone();
            if drop_guard_early {
                drop(guard); // from here on, other threads may lock `prices`
            }
            says_working.send(()).unwrap();
            sorted.sort_unstable(); // the slow work, on the copy
            thread::sleep(pause);
            hears_tried.recv().unwrap(); // stay until main has tried
        }); // a guard not dropped yet is dropped here, at the end of its scope
        hears_working.recv().unwrap();
        let free = !matches!(prices.try_lock(), Err(TryLockError::WouldBlock));
        says_tried.send(()).unwrap();
        free
    })
}

fn show_lock_scope(pause: Duration) {
    let held = is_the_lock_free_during_slow_work(false, pause);
    println!("guard kept through the slow work: try_lock finds the lock free? {held}");
    let free = is_the_lock_free_during_slow_work(true, pause);
    println!("drop(guard) before the slow work: try_lock finds the lock free? {free}");
}
// ANCHOR_END: lock_scope

// ANCHOR: poisoning
fn poison_then_recover() {
    let shelves = Arc::new(Mutex::new([10, 10])); // move 5 from shelf 0 to shelf 1
    let previous_hook = panic::take_hook();
    panic::set_hook(Box::new(|_| {})); // this panic is on purpose: keep stderr quiet
    let for_the_thread = Arc::clone(&shelves);
    let moved = thread::spawn(move || {
        let mut shelves = for_the_thread.lock().unwrap();
        shelves[0] -= 5;
        panic!("the forklift broke down"); // before `shelves[1] += 5`
    })
    .join();
    panic::set_hook(previous_hook);
    let why = moved.unwrap_err();
    println!(
        "the mover panicked: {:?}",
        why.downcast_ref::<&str>().unwrap()
    );
    match shelves.lock() {
        Ok(_) => println!("lock() succeeded: not poisoned"),
        Err(poisoned) => {
            println!("lock() returned Err(PoisonError): a thread panicked holding it");
            let mut guard = poisoned.into_inner(); // the guard, and the data as the panic left it
            println!(
                "into_inner() gives the data anyway: {:?}, 5 items missing",
                *guard
            );
            guard[1] += 5; // finish the move: the data is whole again
        }
    }
    shelves.clear_poison(); // say so: later lock() calls succeed
    println!("repaired, clear_poison(): {:?}", *shelves.lock().unwrap());
}
// ANCHOR_END: poisoning

// ANCHOR: condvar
const CAPACITY: usize = 2;
const ITEMS: u32 = 6;

fn queue_with_a_slow_consumer(pause: Duration) {
    let queue = BoundedQueue::new(CAPACITY);
    let (most_held, got) = thread::scope(|s| {
        let producer = s.spawn(|| (1..=ITEMS).map(|item| queue.push(item)).max());
        let consumer = s.spawn(|| {
            let take = |_| {
                let item = queue.pop();
                thread::sleep(pause); // a slow consumer: the producer waits on `not_full`
                item
            };
            (0..ITEMS).map(take).collect::<Vec<_>>()
        });
        (producer.join().unwrap(), consumer.join().unwrap())
    });
    let bound = if most_held <= Some(CAPACITY) {
        "never more than"
    } else {
        "MORE THAN"
    };
    println!("Mutex + Condvar: got {got:?}, {bound} {CAPACITY} in the queue");
}

fn sync_channel_with_a_slow_consumer(pause: Duration) {
    let (sender, receiver) = mpsc::sync_channel(CAPACITY); // send waits while 2 are queued
    let got = thread::scope(|s| {
        s.spawn(move || (1..=ITEMS).for_each(|item| sender.send(item).unwrap()));
        let slowly = |item| {
            thread::sleep(pause);
            item
        };
        receiver.iter().map(slowly).collect::<Vec<_>>() // ends when the sender is dropped
    });
    println!("sync_channel({CAPACITY}): got {got:?}");
}
// ANCHOR_END: condvar

// ANCHOR: barrier
fn two_phases(pause: Duration) {
    const WORKERS: u32 = 3;
    let barrier = Barrier::new(WORKERS as usize);
    let parts = Mutex::new(Vec::new());
    let seen: Vec<(usize, bool)> = thread::scope(|s| {
        let workers: Vec<_> = (1..=WORKERS)
            .map(|worker| {
                let (barrier, parts) = (&barrier, &parts);
                s.spawn(move || {
                    thread::sleep(pause * worker); // phase one takes each its own time
                    parts.lock().unwrap().push(worker * 10);
                    let leader = barrier.wait().is_leader(); // exactly one waiter is told so
                    (parts.lock().unwrap().len(), leader) // phase two: every part is there
                })
            })
            .collect(); // all spawned before any join: joining inside the map would deadlock
        workers.into_iter().map(|w| w.join().unwrap()).collect()
    });
    let complete = seen
        .iter()
        .filter(|(parts, _)| *parts == WORKERS as usize)
        .count();
    let leaders = seen.iter().filter(|(_, leader)| *leader).count();
    println!("{complete} of {WORKERS} workers saw all {WORKERS} parts after the barrier");
    println!("{leaders} of them was told it is the leader (which one varies)");
}
// ANCHOR_END: barrier

// ANCHOR: once
static LOADS: AtomicU32 = AtomicU32::new(0);
static SETTINGS: OnceLock<String> = OnceLock::new();
static SQUARES: LazyLock<Vec<u32>> = LazyLock::new(|| (1..=5).map(|n| n * n).collect());

fn settings() -> &'static str {
    SETTINGS.get_or_init(|| {
        LOADS.fetch_add(1, Ordering::Relaxed); // counts how often this closure ran
        String::from("queue capacity 2")
    })
}

fn set_up_once() {
    let start_together = Barrier::new(4);
    thread::scope(|s| {
        for _ in 0..4 {
            s.spawn(|| {
                start_together.wait();
                settings() // all four ask at once; one runs the closure, the others wait for it
            });
        }
    });
    let loads = LOADS.load(Ordering::Relaxed);
    println!(
        "OnceLock: 4 threads asked for {:?}; it was loaded {loads} time",
        settings()
    );
    println!("LazyLock: SQUARES computed on first use: {:?}", *SQUARES);
}
// ANCHOR_END: once

// ANCHOR: thread_local
thread_local! {
    // Each thread has its own `CALLS`: a `Cell` needs no lock, because no other thread sees it.
    static CALLS: Cell<u32> = const { Cell::new(0) };
}

fn count_a_call() -> u32 {
    CALLS.with(|calls| {
        calls.set(calls.get() + 1);
        calls.get()
    })
}

fn one_counter_per_thread() {
    let counted: Vec<u32> = thread::scope(|s| {
        let workers: Vec<_> = (1..=3)
            .map(|n| s.spawn(move || (0..n).fold(0, |_, _| count_a_call())))
            .collect();
        workers.into_iter().map(|w| w.join().unwrap()).collect()
    });
    let main_calls = CALLS.with(Cell::get);
    println!("threads calling 1, 2 and 3 times counted {counted:?}; main's CALLS is {main_calls}");
}
// ANCHOR_END: thread_local

fn main() {
    let args: Args = course_support::parse_args();
    for part in args.parts.announced() {
        match part {
            Part::SendAndSync => send_and_sync(),
            Part::MutexOrRwlock => compare_mutex_and_rwlock(args.readers, args.lookups),
            Part::LockScope => show_lock_scope(args.pause_ms),
            Part::Poisoning => poison_then_recover(),
            Part::Condvar => {
                queue_with_a_slow_consumer(args.pause_ms);
                sync_channel_with_a_slow_consumer(args.pause_ms);
            }
            Part::Barrier => two_phases(args.pause_ms),
            Part::Once => set_up_once(),
            Part::ThreadLocal => one_counter_per_thread(),
        }
    }
}
