//! `--play GOAL`: you are the scheduler. Two real threads run the lesson's own code (the counter's
//! `add_one_in_two_steps`, the account's `withdraw_check_then_act`) on the lesson's `Stage`, and
//! each takes its next step only when you name it. Reach the goal: lose an update, or overdraw
//! the account.
//!
//! Moves come from `--moves` (for the tests and the book) or, one per line, from standard input:
//! a plain terminal is enough, no raw mode. End of input, or `q`, ends the game cleanly.

use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::Duration;

use clap::ValueEnum;

use crate::account::{Account, Refused};
use crate::counters::add_one_in_two_steps;
use course_support::stage::{Moves, Stage};

/// What to make happen.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum Goal {
    /// two threads each add one to a counter: make it end at 1
    LostUpdate,
    /// two threads each withdraw 80 from 100: overdraw the account
    Overdraw,
}

const THREADS: [&str; 2] = ["A", "B"];
const OPENING_BALANCE: i64 = 100;
const WITHDRAWAL: i64 = 80;

/// What each thread will do next, as the screen says it.
#[derive(Debug, Clone, PartialEq)]
enum Next {
    Step(String),
    Finished,
}

/// Plays one game of `goal`. Every wait is bounded by the stage's watchdog; the threads end
/// with the game however it ends.
pub fn play(goal: Goal, given: Option<&str>) {
    let mut moves = Moves::new(given);
    let mut stage = Stage::new(Duration::ZERO);
    let counter = Arc::new(AtomicU64::new(0));
    let account = Arc::new(Account::new(OPENING_BALANCE));
    enter_threads(&mut stage, goal, &counter, &account);
    let first = match goal {
        Goal::LostUpdate => "read the counter",
        Goal::Overdraw => "check the balance",
    };
    let mut next = [Next::Step(first.into()), Next::Step(first.into())];
    introduce(goal);
    while next.iter().any(|n| *n != Next::Finished) {
        let shared = match goal {
            Goal::LostUpdate => format!("counter = {}", counter.load(Ordering::SeqCst)),
            Goal::Overdraw => format!("balance = {}", account.balance()),
        };
        println!();
        println!("{shared}");
        for (name, next) in THREADS.iter().zip(&next) {
            match next {
                Next::Step(what) => println!("  {name} will {what}"),
                Next::Finished => println!("  {name} has finished"),
            }
        }
        let Some(thread) = moves.next_step(|| help(goal)) else {
            stage.close();
            return;
        };
        let name = THREADS[thread];
        if next[thread] == Next::Finished {
            println!("{name} cannot move: it has finished its work. Move the other thread.");
            continue;
        }
        let finished = stage.step(name);
        next[thread] = if finished {
            Next::Finished
        } else {
            match goal {
                Goal::LostUpdate => {
                    // The thread has read the counter and waits before its write.
                    let seen = counter.load(Ordering::SeqCst);
                    Next::Step(format!("write {}", seen + 1))
                }
                Goal::Overdraw => Next::Step(format!("take {WITHDRAWAL}")),
            }
        };
    }
    stage.close();
    println!();
    match goal {
        Goal::LostUpdate => judge_lost_update(counter.load(Ordering::SeqCst)),
        Goal::Overdraw => judge_overdraw(account.balance()),
    }
}

/// Puts threads A and B on the stage, each running the lesson's own code for `goal` and pausing
/// where the game lets the player choose.
fn enter_threads(stage: &mut Stage, goal: Goal, counter: &Arc<AtomicU64>, account: &Arc<Account>) {
    for name in THREADS {
        match goal {
            Goal::LostUpdate => {
                let counter = Arc::clone(counter);
                stage.enter(name, move |turn| {
                    let wrote = add_one_in_two_steps(&counter, |seen| {
                        turn.say(format!("{name} reads {seen}"));
                        turn.pause();
                    });
                    turn.say(format!("{name} writes {wrote}"));
                });
            }
            Goal::Overdraw => {
                let account = Arc::clone(account);
                stage.enter(name, move |turn| {
                    let result = account.withdraw_check_then_act(WITHDRAWAL, |balance| {
                        turn.say(format!(
                            "{name} checks: balance {balance} covers {WITHDRAWAL}"
                        ));
                        turn.pause();
                    });
                    match result {
                        Ok(balance) => {
                            turn.say(format!("{name} takes {WITHDRAWAL}: balance {balance}"));
                        }
                        Err(Refused { balance }) => turn.say(format!(
                            "{name} checks: balance {balance} does not cover {WITHDRAWAL}: refused"
                        )),
                    }
                });
            }
        }
    }
}

fn introduce(goal: Goal) {
    match goal {
        Goal::LostUpdate => {
            println!("You are the scheduler. Threads A and B each add one to a shared counter,");
            println!("in two steps: read the counter, then write what they read plus one.");
            println!("Goal: two increments, and the counter ends at 1.");
        }
        Goal::Overdraw => {
            println!("You are the scheduler. Threads A and B each withdraw {WITHDRAWAL} from an");
            println!(
                "account holding {OPENING_BALANCE}, in two steps: check the balance, then take"
            );
            println!("the money. Each step holds the account's lock. Goal: a negative balance.");
        }
    }
    println!("Each move lets one thread take its next step: type A or B.");
}

fn help(goal: Goal) {
    println!("A moves thread A one step, B moves thread B; q quits.");
    match goal {
        Goal::LostUpdate => {
            println!("Hint: what does a thread write if it read before the other wrote?");
        }
        Goal::Overdraw => {
            println!("Hint: what does a check prove once the other thread has moved?");
        }
    }
}

fn judge_lost_update(counter: u64) {
    if counter == 1 {
        println!("Goal reached: two increments, and the counter is 1.");
        println!("Both threads read 0 before either wrote, so both wrote 1: the second write");
        println!("replaced the first, and one update was lost. With `fetch_add` (part 4) the read");
        println!("and the write are one step, and no order of moves can split them.");
    } else {
        println!("The counter is {counter}: no update was lost, because one thread read after the");
        println!(
            "other had written. Play again: which order makes both threads read the same value?"
        );
    }
}

fn judge_overdraw(balance: i64) {
    if balance < 0 {
        println!("Goal reached: the balance is {balance}.");
        println!("Both threads checked the balance before either took the money, so both checks");
        println!("passed, on a balance that was about to change. Every step held the lock, and");
        println!("still the account was overdrawn: the check and the act must be one step under");
        println!("one lock (part 5), and then no order of moves can overdraw it.");
    } else {
        println!(
            "The balance is {balance}: the second check saw the first withdrawal and refused."
        );
        println!("Play again: when must both threads check for both checks to pass?");
    }
}
