//! Lesson 04: deadlocks. Run it with `cargo run -p lesson-04`; `--help` lists the flags.
mod channel_watchdog;
mod cli;
mod play;
mod sync;
mod transfer;
mod waitfor;

use std::sync::mpsc::{self, Receiver, Sender};
use std::sync::{Arc, Barrier, Mutex, TryLockError};
use std::thread::{self, JoinHandle};
use std::time::Duration;

use cli::{Args, Part};
use transfer::{Account, transfer_in_global_order, transfer_locking_source_first};
use waitfor::WaitFor;

/// The watchdog reports a deadlock well within this time of it forming.
const DETECTION_LIMIT: Duration = Duration::from_secs(2);

// ANCHOR: opposite_order
fn deadlock_in_opposite_order(work: Duration) {
    let account1 = Arc::new(Account::new(1, 100));
    let account2 = Arc::new(Account::new(2, 100));
    let table = Arc::new(WaitFor::default());
    let both_hold_their_first_lock = Arc::new(Barrier::new(2));
    println!("Thread A moves 10 from account 1 to account 2; thread B moves 5 from 2 to 1.");
    println!("Each locks the account the money leaves first: A takes lock 1, B takes lock 2.");
    for (name, from, to, amount) in [
        ("A", &account1, &account2, 10),
        ("B", &account2, &account1, 5),
    ] {
        let (from, to) = (Arc::clone(from), Arc::clone(to));
        let (table, barrier) = (Arc::clone(&table), Arc::clone(&both_hold_their_first_lock));
        // No JoinHandle is kept: if these threads deadlock, nobody can ever join them.
        thread::spawn(move || {
            transfer_locking_source_first(&from, &to, amount, || {
                table.holds(name, from.number);
                thread::sleep(work); // the work done while holding the first lock
                barrier.wait(); // forces the bad timing: both now hold their first lock
                table.waits_for(name, to.number);
            });
        });
    }
    report_deadlock(&table, work);
    match account1.balance.try_lock() {
        Err(TryLockError::WouldBlock) => println!("main: try_lock on account 1 says WouldBlock"),
        other => println!("main: try_lock on account 1 unexpectedly gave {other:?}"),
    }
    println!("Nobody will ever release these locks. main leaves both threads blocked and goes on;");
    println!("they end when the process ends.");
}
// ANCHOR_END: opposite_order

// ANCHOR: watchdog
fn report_deadlock(table: &WaitFor, work: Duration) {
    match waitfor::watch(table, work + DETECTION_LIMIT) {
        Some(cycle) => {
            println!(
                "watchdog: deadlock, seen {:.1?} after it formed",
                cycle.detected_after
            );
            for edge in &cycle.edges {
                println!(
                    "  thread {} holds lock {} and waits for lock {}",
                    edge.thread, edge.holds, edge.waits_for
                );
            }
        }
        None => println!("watchdog: no deadlock within {DETECTION_LIMIT:?}"),
    }
}
// ANCHOR_END: watchdog

// ANCHOR: both_ways
/// Runs the two opposite transfers of part 1 on two threads and prints the balances after both.
fn transfer_both_ways(fix: &str, transfer: impl Fn(&Account, &Account, i64) + Sync) {
    let account1 = Account::new(1, 100);
    let account2 = Account::new(2, 100);
    thread::scope(|s| {
        s.spawn(|| transfer(&account1, &account2, 10));
        s.spawn(|| transfer(&account2, &account1, 5));
    });
    let one = account1.balance.into_inner().unwrap();
    let two = account2.balance.into_inner().unwrap();
    println!(
        "{fix}: account 1 = {one}, account 2 = {two}, total {}",
        one + two
    );
}
// ANCHOR_END: both_ways

// ANCHOR: back_off
/// Takes the first lock, then only *tries* the second; if it is taken, lets go of the first and
/// tries again later. Nobody holds one lock while blocked on another, so no cycle can form.
fn transfer_with_back_off(
    from: &Account,
    to: &Account,
    amount: i64,
    first_attempt_between_the_locks: impl FnOnce(),
    back_off: Duration,
) {
    let mut between_the_locks = Some(first_attempt_between_the_locks);
    loop {
        let mut source = from.balance.lock().unwrap();
        if let Some(step) = between_the_locks.take() {
            step();
        }
        match to.balance.try_lock() {
            Ok(mut target) => {
                *source -= amount;
                *target += amount;
                return;
            }
            Err(TryLockError::WouldBlock) => drop(source), // let the other thread finish
            Err(TryLockError::Poisoned(error)) => panic!("{error}"),
        }
        thread::sleep(back_off);
    }
}
// ANCHOR_END: back_off

// ANCHOR: one_lock
/// Both balances behind one lock: a thread either has both accounts or neither.
fn transfer_under_one_lock(
    accounts: &Mutex<[i64; 2]>,
    from: usize,
    to: usize,
    amount: i64,
    work: Duration,
) {
    let mut balances = accounts.lock().unwrap();
    thread::sleep(work);
    balances[from] -= amount;
    balances[to] += amount;
}
// ANCHOR_END: one_lock

// ANCHOR: fixes
fn three_fixes(work: Duration) {
    transfer_both_ways("one global lock order", |from, to, amount| {
        transfer_in_global_order(from, to, amount, || thread::sleep(work));
    });

    // The same forced collision as part 1; the thread that cannot get its second lock backs off.
    let both_hold_their_first_lock = Barrier::new(2);
    transfer_both_ways("try_lock with back-off", |from, to, amount| {
        let collide = || {
            thread::sleep(work);
            both_hold_their_first_lock.wait();
        };
        // Different back-offs per thread, so that they do not retry in lockstep forever.
        let back_off = work / 10 * from.number;
        transfer_with_back_off(from, to, amount, collide, back_off);
    });

    let accounts = Mutex::new([100, 100]);
    thread::scope(|s| {
        s.spawn(|| transfer_under_one_lock(&accounts, 0, 1, 10, work));
        s.spawn(|| transfer_under_one_lock(&accounts, 1, 0, 5, work));
    });
    let [one, two] = accounts.into_inner().unwrap();
    println!(
        "one lock for both accounts: account 1 = {one}, account 2 = {two}, total {}",
        one + two
    );
}
// ANCHOR_END: fixes

// ANCHOR: channel
/// Three workers each send one square, then end, dropping their clone of `results`.
fn start_squaring(results: &Sender<i32>, work: Duration) -> Vec<JoinHandle<()>> {
    (1..=3)
        .map(|n| {
            let results = results.clone();
            thread::spawn(move || {
                thread::sleep(work);
                results.send(n * n).unwrap();
            })
        })
        .collect()
}

/// Collects squares until the channel closes, which happens when the last `Sender` is dropped.
fn collect_squares(inbox: Receiver<i32>) -> Vec<i32> {
    let mut squares = Vec::new();
    for square in inbox {
        squares.push(square);
    }
    squares
}
// ANCHOR_END: channel

/// Collects the squares twice: first while main keeps its own `Sender`, then after dropping it.
/// `channel_watchdog::collect` runs `collect_squares` for main, and steps in if it can never end.
fn deadlock_on_a_channel(work: Duration) {
    println!("Without drop(results):");
    let (results, inbox) = mpsc::channel();
    let workers = start_squaring(&results, work);
    let squares = channel_watchdog::collect(workers, Some(results), || collect_squares(inbox));
    print_sorted(squares);

    println!("With drop(results) before the loop:");
    // ANCHOR: drop_own_sender
    let (results, inbox) = mpsc::channel();
    let workers = start_squaring(&results, work);
    drop(results); // now only the workers hold Senders
    // ANCHOR_END: drop_own_sender
    let squares = channel_watchdog::collect(workers, None, || collect_squares(inbox));
    print_sorted(squares);
}

fn print_sorted(mut squares: Vec<i32>) {
    squares.sort_unstable(); // arrival order depends on the scheduler; the set does not
    println!("squares received: {squares:?}");
}

fn main() {
    let args: Args = course_support::parse_args();
    if let Some(goal) = args.play {
        play::play(goal, args.moves.as_deref()); // --play: you are the scheduler
        return;
    }
    for part in args.parts.announced() {
        match part {
            Part::OppositeOrder => deadlock_in_opposite_order(args.work_ms),
            Part::Fixes => three_fixes(args.work_ms),
            Part::Channel => deadlock_on_a_channel(args.work_ms),
        }
    }
}
