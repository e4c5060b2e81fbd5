//! `--play GOAL`: you are the scheduler. Thread A moves 10 from account 1 to account 2, thread B
//! moves 10 from account 2 to account 1, each with the lesson's own transfer function, on the
//! stage of `course_support::stage`; each takes its next step only when you name it. Goal: make
//! both wait forever.
//!
//! A step that would wait for a lock the other thread holds is never taken: it is refused, with
//! the reason, so no thread of the game ever blocks. When both threads' next steps would wait for
//! each other, that is the deadlock, and the game says so and ends.

use std::sync::Arc;
use std::time::Duration;

use clap::ValueEnum;
use course_support::stage::{Moves, Stage};

use crate::transfer::{Account, transfer_in_global_order, transfer_locking_source_first};

/// Which transfer the two threads run.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum Goal {
    /// each thread locks the account its money leaves first: make both wait forever
    Deadlock,
    /// the fix: both lock the lower-numbered account first; try to make them wait forever
    GlobalOrder,
}

const THREADS: [&str; 2] = ["A", "B"];
const AMOUNT: i64 = 10;

/// The accounts thread `thread` moves money between: from, to.
fn accounts_of(thread: usize) -> (u32, u32) {
    if thread == 0 { (1, 2) } else { (2, 1) }
}

/// The two locks thread `thread` takes, in the order it takes them.
fn locks_of(goal: Goal, thread: usize) -> [u32; 2] {
    let (from, to) = accounts_of(thread);
    match goal {
        Goal::Deadlock => [from, to],
        Goal::GlobalOrder => [from.min(to), from.max(to)],
    }
}

/// Where a thread is: before its first lock, holding its first lock, or done.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Progress {
    Start,
    HoldsFirst,
    Finished,
}

/// Plays one game. No thread ever waits for a lock: a move that would is refused.
pub fn play(goal: Goal, given: Option<&str>) {
    let mut moves = Moves::new(given);
    let accounts = Arc::new([Account::new(1, 100), Account::new(2, 100)]);
    let mut stage = Stage::new(Duration::ZERO);
    enter_threads(&mut stage, goal, &accounts);
    introduce(goal);
    let mut progress = [Progress::Start; 2];
    loop {
        // The lock each thread's next step takes, and who holds it now.
        let waits_for = |thread: usize| -> Option<usize> {
            let other = 1 - thread;
            let wanted = match progress[thread] {
                Progress::Start => locks_of(goal, thread)[0],
                Progress::HoldsFirst => locks_of(goal, thread)[1],
                Progress::Finished => return None,
            };
            (progress[other] == Progress::HoldsFirst && locks_of(goal, other)[0] == wanted)
                .then_some(other)
        };
        if progress.iter().all(|p| *p == Progress::Finished) {
            println!();
            println!("Both transfers are done and both locks are free: no deadlock this time.");
            match goal {
                Goal::Deadlock => {
                    println!("Play again: which order of moves leaves each thread holding the");
                    println!("lock the other one needs?");
                }
                Goal::GlobalOrder => {
                    println!("Every order ends like this: whoever locks account 1 first also gets");
                    println!("account 2, because nobody can hold account 2 without account 1.");
                }
            }
            stage.close();
            return;
        }
        if waits_for(0).is_some() && waits_for(1).is_some() {
            println!();
            println!("Goal reached: a deadlock.");
            println!("A holds account 1 and waits for account 2; B holds account 2 and waits for");
            println!(
                "account 1. Neither can move again, ever: each waits for the other to let go."
            );
            println!("Locking in one global order (--play global-order) makes this impossible.");
            // The two threads wait at the stage with a lock each; they end with the process.
            return;
        }
        show_state(progress, goal, &waits_for);
        let help = || {
            println!("A moves thread A one step, B moves thread B; q quits.");
            println!("Hint: what happens if each thread takes its first lock before either");
            println!("takes its second?");
        };
        let Some(thread) = moves.next_step(help) else {
            return;
        };
        let name = THREADS[thread];
        if progress[thread] == Progress::Finished {
            println!("{name} cannot move: its transfer is done. Move the other thread.");
            continue;
        }
        if let Some(other) = waits_for(thread) {
            let wanted =
                locks_of(goal, thread)[usize::from(progress[thread] == Progress::HoldsFirst)];
            println!(
                "{name} cannot move: it would wait for account {wanted}, which {} holds. Move {}.",
                THREADS[other], THREADS[other]
            );
            continue;
        }
        let finished = stage.step(name);
        progress[thread] = if finished {
            Progress::Finished
        } else {
            Progress::HoldsFirst
        };
    }
}

/// Puts threads A and B on the stage, each running the lesson's transfer for `goal` and pausing
/// between its two locks.
fn enter_threads(stage: &mut Stage, goal: Goal, accounts: &Arc<[Account; 2]>) {
    for (thread, name) in THREADS.iter().copied().enumerate() {
        let accounts = Arc::clone(accounts);
        let [first, _] = locks_of(goal, thread);
        stage.enter(name, move |turn| {
            let (from, to) = accounts_of(thread);
            let (from, to) = (&accounts[from as usize - 1], &accounts[to as usize - 1]);
            let between_the_locks = || {
                turn.say(format!("{name} locks account {first}"));
                turn.pause();
            };
            match goal {
                Goal::Deadlock => {
                    transfer_locking_source_first(from, to, AMOUNT, between_the_locks);
                }
                Goal::GlobalOrder => transfer_in_global_order(from, to, AMOUNT, between_the_locks),
            }
            turn.say(format!(
                "{name} locks account {}, moves {AMOUNT} from account {} to account {}, and \
                 unlocks both",
                if first == from.number {
                    to.number
                } else {
                    from.number
                },
                from.number,
                to.number
            ));
        });
    }
}

fn show_state(progress: [Progress; 2], goal: Goal, waits_for: &dyn Fn(usize) -> Option<usize>) {
    println!();
    let held: Vec<String> = (0..2)
        .filter(|&t| progress[t] == Progress::HoldsFirst)
        .map(|t| format!("{} holds account {}", THREADS[t], locks_of(goal, t)[0]))
        .collect();
    if held.is_empty() {
        println!("locks: both free");
    } else {
        println!("locks: {}", held.join(", "));
    }
    for (thread, name) in THREADS.iter().enumerate() {
        let [first, second] = locks_of(goal, thread);
        let next = match progress[thread] {
            Progress::Start => format!("will lock account {first}"),
            Progress::HoldsFirst => format!("will lock account {second}, then move the money"),
            Progress::Finished => "has finished".to_string(),
        };
        let blocked = match waits_for(thread) {
            Some(other) => format!(" (blocked: {} holds it)", THREADS[other]),
            None => String::new(),
        };
        println!("  {name} {next}{blocked}");
    }
}

fn introduce(goal: Goal) {
    println!(
        "You are the scheduler. Thread A moves {AMOUNT} from account 1 to account 2; thread B"
    );
    println!("moves {AMOUNT} from account 2 to account 1. Each locks both accounts, one after");
    match goal {
        Goal::Deadlock => println!("the other: first the account its money leaves."),
        Goal::GlobalOrder => println!("the other: first the account with the lower number."),
    }
    println!("Goal: make both threads wait forever. Each move lets one thread take its next");
    println!("step: type A or B.");
}
