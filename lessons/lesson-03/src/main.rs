//! Lesson 03: race conditions. Run it with `cargo run -p lesson-03`; `--help` lists the flags.
mod account;
mod cli;
mod counters;
mod play;
mod sync; // the types counters.rs and account.rs use: std's here, loom's in the loom tests

use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{Duration, Instant};

use account::{Account, Refused};
use cli::{Args, Part};
use counters::{
    add_one_in_two_steps, count_in_two_steps, count_with_fetch_add, count_with_mutex,
    count_with_per_thread_sums,
};
use course_support::stage::Stage;

fn does_not_compile() {
    println!("In Python, several threads may run `counter += 1` on one shared integer.");
    println!("In Rust that program does not compile: error E0499, `counter` cannot be");
    println!("borrowed as mutable more than once at a time. See the message yourself:");
    println!("  rustc --edition 2024 lessons/lesson-03/compile-fail/shared_counter.rs");
    println!("The tests check that this file still fails to compile, and why.");
}

// ANCHOR: lost_updates
fn lose_updates(threads: u32, increments: u64) {
    let expected = u64::from(threads) * increments;
    println!("{threads} threads each add one {increments} times, as a load and a separate store");
    let actual = count_in_two_steps(threads, increments);
    println!("expected {expected}");
    println!("the counter ended at {actual}");
    let lost = expected - actual;
    println!("lost {lost} updates this time (run it again: the number changes)");
}
// ANCHOR_END: lost_updates

// ANCHOR: replay
/// Threads A and B each add one with `add_one_in_two_steps`; `order` says who moves when.
fn replay_two_increments(order: [&str; 4], step_pause: Duration) -> u64 {
    let counter = Arc::new(AtomicU64::new(0));
    let mut stage = Stage::new(step_pause);
    for name in ["A", "B"] {
        let counter = Arc::clone(&counter);
        stage.enter(name, move |turn| {
            let wrote = add_one_in_two_steps(&counter, |seen| {
                turn.say(format!("{name} reads {seen}"));
                turn.pause(); // between the read and the write, wait for main's "go"
            });
            turn.say(format!("{name} writes {wrote}"));
        });
    }
    for name in order {
        stage.step(name);
    }
    stage.close();
    counter.load(Ordering::Relaxed)
}

fn replay_lost_update(step_pause: Duration) {
    println!("Order A, B, A, B: both read before either writes.");
    let total = replay_two_increments(["A", "B", "A", "B"], step_pause);
    println!("→ the counter is {total}, expected 2: B's write replaced A's");
    println!("Order A, A, B, B: the same code, but B reads after A has written.");
    let total = replay_two_increments(["A", "A", "B", "B"], step_pause);
    println!("→ the counter is {total}, as expected");
}
// ANCHOR_END: replay

// ANCHOR: fixes
fn compare_fixes(threads: u32, increments: u64) {
    let expected = u64::from(threads) * increments;
    println!("{threads} threads each add one {increments} times; expected {expected}");
    let fixes = [
        ("fetch_add:", count_with_fetch_add as fn(u32, u64) -> u64),
        ("Mutex held for read and write:", count_with_mutex),
        ("sums per thread, then added:", count_with_per_thread_sums),
    ];
    for (name, count) in fixes {
        let started = Instant::now();
        let total = count(threads, increments);
        let elapsed = started.elapsed();
        let verdict = if total == expected { "right" } else { "WRONG" };
        println!("{name:<31} {total} ({verdict}) in {elapsed:.1?}");
    }
}
// ANCHOR_END: fixes

// ANCHOR: withdrawals
const OPENING_BALANCE: i64 = 100;
const WITHDRAWAL: i64 = 80;

/// Threads A and B each withdraw 80 from an account holding 100. Only one of them should get it.
fn withdraw_twice(check_and_act_together: bool, step_pause: Duration) -> i64 {
    let account = Arc::new(Account::new(OPENING_BALANCE));
    let mut stage = Stage::new(step_pause);
    for name in ["A", "B"] {
        let account = Arc::clone(&account);
        stage.enter(name, move |turn| {
            let after_the_check = |balance| {
                turn.say(format!(
                    "{name} checks: balance {balance} covers {WITHDRAWAL}"
                ));
                turn.pause(); // between the check and the withdrawal, wait for main's "go"
            };
            let result = if check_and_act_together {
                account.withdraw_check_and_act(WITHDRAWAL, after_the_check)
            } else {
                account.withdraw_check_then_act(WITHDRAWAL, after_the_check)
            };
            match result {
                Ok(balance) => turn.say(format!("{name} takes {WITHDRAWAL}: balance {balance}")),
                Err(Refused { balance }) => turn.say(format!(
                    "{name} checks: balance {balance} does not cover {WITHDRAWAL}: refused"
                )),
            }
        });
    }
    if check_and_act_together {
        stage.step("A"); // A checks, and pauses holding the lock
        stage.let_go("B");
        println!("  B is let go too, but must wait for the lock that A holds");
        stage.step("A"); // A withdraws and releases the lock
        stage.print_until_it_stops("B"); // only now can B check
    } else {
        for name in ["A", "B", "A", "B"] {
            stage.step(name);
        }
    }
    stage.close();
    account.balance()
}

fn overdraw_then_fix(step_pause: Duration) {
    println!("Check, then act, each under its own lock; both check before either withdraws:");
    let balance = withdraw_twice(false, step_pause);
    println!("→ balance {balance}: overdrawn, though every step held the lock");
    println!("Check and act under one lock, the same two withdrawals:");
    let balance = withdraw_twice(true, step_pause);
    println!("→ balance {balance}: one withdrawal refused, as it should be");
}
// ANCHOR_END: withdrawals

fn main() {
    let args = Args::parse();
    if let Some(goal) = args.play {
        play::play(goal, args.moves.as_deref()); // --play: you are the scheduler
        return;
    }
    for part in args.parts.announced() {
        match part {
            Part::DoesNotCompile => does_not_compile(),
            Part::LostUpdates => lose_updates(args.threads, args.increments),
            Part::Replay => replay_lost_update(args.step_ms),
            Part::Fixes => compare_fixes(args.threads, args.increments),
            Part::CheckThenAct => overdraw_then_fix(args.step_ms),
        }
    }
}
