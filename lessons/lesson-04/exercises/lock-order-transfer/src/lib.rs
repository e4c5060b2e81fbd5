//! Exercise `lock-order-transfer` (lesson 04).
//!
//! Moving money between two accounts locks both, so that nobody sees the money in neither or in
//! both. But when one thread transfers from A to B while another transfers from B to A, each can
//! lock its first account and wait forever for the other's: a deadlock.
//!
//! Check your work: `cargo xtask verify lock-order-transfer`. Stuck? `cargo xtask hint lock-order-transfer`.
//! The checks in `checks.rs` run under loom, which tries every interleaving of the threads and
//! reports a deadlock when every thread is waiting, so a lucky run does not pass.

// The checks use loom's `Mutex`, which loom can pause and interleave; everywhere else it is std's.
// Your code does not change either way.
#[cfg(test)]
use loom::sync::Mutex;
#[cfg(not(test))]
use std::sync::Mutex;

/// An account with a number that is unique in the bank.
#[derive(Debug)]
pub struct Account {
    pub number: u32,
    balance: Mutex<i64>,
}

/// Why a transfer was refused. A refused transfer changes nothing.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TransferError {
    /// The source account holds less than the amount.
    InsufficientFunds,
    /// Source and destination are the same account.
    SameAccount,
}

impl Account {
    pub fn new(number: u32, balance: i64) -> Self {
        Self {
            number,
            balance: Mutex::new(balance),
        }
    }

    pub fn balance(&self) -> i64 {
        *self.balance.lock().unwrap()
    }
}

/// Moves `amount` from `from` to `to`, holding both accounts' locks while it does.
pub fn transfer(from: &Account, to: &Account, amount: i64) -> Result<(), TransferError> {
    // TODO: this locks `from` first and `to` second, so two opposite transfers lock the same
    // two accounts in opposite orders and can deadlock. Lock the two accounts in one global
    // order (the lower account number first), whatever the direction of the transfer.
    // And think about `from` and `to` being the same account: a std `Mutex` must not be
    // locked twice by the same thread.
    let mut from_balance = from.balance.lock().unwrap();
    let mut to_balance = to.balance.lock().unwrap();
    if *from_balance < amount {
        return Err(TransferError::InsufficientFunds);
    }
    *from_balance -= amount;
    *to_balance += amount;
    Ok(())
}

#[cfg(test)]
#[path = "../checks.rs"]
mod checks;
