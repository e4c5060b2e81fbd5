//! The two transfer functions that loom checks. The lesson compiles this file with
//! `std::sync::Mutex` (`src/sync.rs`); the loom test (`tests/loom.rs`) compiles the very same file
//! with `loom::sync::Mutex`, through the `crate::sync` module each of them defines.

use crate::sync::Mutex;

// ANCHOR: account
/// A bank account: its number, and a lock around its balance.
#[derive(Debug)]
pub struct Account {
    pub number: u32,
    pub balance: Mutex<i64>,
}

impl Account {
    pub fn new(number: u32, balance: i64) -> Self {
        Account {
            number,
            balance: Mutex::new(balance),
        }
    }
}
// ANCHOR_END: account

// ANCHOR: source_first
/// Locks the account the money leaves first, then the other one. Two transfers in opposite
/// directions take the same two locks in opposite orders: that can deadlock.
pub fn transfer_locking_source_first(
    from: &Account,
    to: &Account,
    amount: i64,
    between_the_locks: impl FnOnce(),
) {
    let mut source = from.balance.lock().unwrap();
    between_the_locks(); // the first lock is held here
    let mut target = to.balance.lock().unwrap();
    *source -= amount;
    *target += amount;
}
// ANCHOR_END: source_first

// ANCHOR: global_order
/// Locks the account with the lower number first, whichever way the money goes. Every thread
/// takes the two locks in the same order, so no thread can hold the second while waiting for
/// the first: no cycle, no deadlock.
pub fn transfer_in_global_order(
    from: &Account,
    to: &Account,
    amount: i64,
    between_the_locks: impl FnOnce(),
) {
    let (first, second) = if from.number < to.number {
        (from, to)
    } else {
        (to, from)
    };
    let mut first = first.balance.lock().unwrap();
    between_the_locks();
    let mut second = second.balance.lock().unwrap();
    // Which guard is the source depends on the direction, not on the locking order.
    let (source, target) = if from.number < to.number {
        (&mut *first, &mut *second)
    } else {
        (&mut *second, &mut *first)
    };
    *source -= amount;
    *target += amount;
}
// ANCHOR_END: global_order
