//! loom runs the lesson's own code — `src/counters.rs` and `src/account.rs`, compiled here a
//! second time against loom's `Arc`, `Mutex`, atomics and threads — under every interleaving of
//! its threads that matters, and reports what each one produced.
//!
//! A normal test runs the threads once, in whatever order the scheduler picks; loom runs the model
//! again and again, choosing a different order at each step where threads could interleave, until
//! it has tried them all. The counts are tiny (two threads, one or two increments) because the
//! number of interleavings grows very fast; tiny is enough to contain the bugs.

use std::collections::BTreeSet;

// ANCHOR: loom_shim
/// The same shape as the lesson's `src/sync.rs`, with loom's types instead of std's.
mod sync {
    pub use loom::sync::atomic;
    pub use loom::sync::{Arc, Mutex};

    pub use loom::thread;
}

#[path = "../src/counters.rs"]
mod counters;

#[path = "../src/account.rs"]
mod account;
// ANCHOR_END: loom_shim

use account::{Account, Refused};
use counters::{
    count_in_two_steps, count_with_fetch_add, count_with_mutex, count_with_per_thread_sums,
};

// ANCHOR: every_outcome
/// Runs `model` under loom and returns every distinct value it produced, over all interleavings.
fn every_outcome<T: Ord + Clone + Send + 'static>(
    model: impl Fn() -> T + Send + Sync + 'static,
) -> BTreeSet<T> {
    let seen = std::sync::Arc::new(std::sync::Mutex::new((0_u32, BTreeSet::new())));
    let seen_in_model = std::sync::Arc::clone(&seen);
    loom::model(move || {
        let outcome = model();
        let mut seen = seen_in_model.lock().unwrap();
        seen.0 += 1;
        seen.1.insert(outcome);
    });
    let (interleavings, outcomes) = &*seen.lock().unwrap();
    // One run would mean loom had nothing to choose: then the model is not testing anything.
    assert!(*interleavings > 1, "loom ran the model only once");
    eprintln!("loom ran {interleavings} interleavings");
    outcomes.clone()
}
// ANCHOR_END: every_outcome

// ANCHOR: lost_update
#[test]
fn loom_finds_the_lost_update_in_the_split_counter() {
    // Two threads, one increment each: the count should be 2. Some interleaving makes it 1.
    let outcomes = every_outcome(|| count_in_two_steps(2, 1));
    assert_eq!(outcomes, BTreeSet::from([1, 2]), "loom saw {outcomes:?}");
}

#[test]
fn with_two_increments_each_the_split_counter_can_end_anywhere_from_2_to_4() {
    let outcomes = every_outcome(|| count_in_two_steps(2, 2));
    assert_eq!(outcomes, BTreeSet::from([2, 3, 4]), "loom saw {outcomes:?}");
}
// ANCHOR_END: lost_update

// ANCHOR: fixes
#[test]
fn fetch_add_never_loses_an_update() {
    assert_eq!(
        every_outcome(|| count_with_fetch_add(2, 2)),
        BTreeSet::from([4])
    );
}

#[test]
fn a_mutex_held_for_read_and_write_never_loses_an_update() {
    assert_eq!(
        every_outcome(|| count_with_mutex(2, 2)),
        BTreeSet::from([4])
    );
}

#[test]
fn per_thread_sums_never_lose_an_update() {
    assert_eq!(
        every_outcome(|| count_with_per_thread_sums(2, 2)),
        BTreeSet::from([4])
    );
}
// ANCHOR_END: fixes

// ANCHOR: account
/// Two threads each try to withdraw 80 from 100. Returns (final balance, results of A and B).
fn two_withdrawals(
    withdraw: fn(&Account, i64) -> Result<i64, Refused>,
) -> (i64, [Result<i64, Refused>; 2]) {
    let account = loom::sync::Arc::new(Account::new(100));
    let other = loom::sync::Arc::clone(&account);
    let b = loom::thread::spawn(move || withdraw(&other, 80));
    let a = withdraw(&account, 80);
    let b = b.join().unwrap();
    (account.balance(), [a, b])
}

#[test]
fn loom_finds_the_overdraft_in_check_then_act() {
    let outcomes = every_outcome(|| {
        two_withdrawals(|account, amount| account.withdraw_check_then_act(amount, |_| {}))
    });
    let balances: BTreeSet<i64> = outcomes.iter().map(|(balance, _)| *balance).collect();
    assert!(
        balances.contains(&-60),
        "loom found no overdraft: {outcomes:?}"
    );
    assert!(balances.contains(&20), "{outcomes:?}");
}

#[test]
fn check_and_act_under_one_lock_never_overdraws() {
    let outcomes = every_outcome(|| {
        two_withdrawals(|account, amount| account.withdraw_check_and_act(amount, |_| {}))
    });
    let refused = Err(Refused { balance: 20 });
    // Either A or B gets the money, depending on who locks first; the other is refused.
    assert_eq!(
        outcomes,
        BTreeSet::from([(20, [Ok(20), refused]), (20, [refused, Ok(20)])])
    );
}
// ANCHOR_END: account
