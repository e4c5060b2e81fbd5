//! Right: a helper that locks the lower account number first and returns both guards.

// The checks use loom's `Mutex`, which loom can pause and interleave; everywhere else it is std's.
// Your code does not change either way.
#[cfg(test)]
use loom::sync::{Mutex, MutexGuard};
#[cfg(not(test))]
use std::sync::{Mutex, MutexGuard};

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
    if from.number == to.number {
        // Locking the same mutex twice on one thread would wait for ourselves forever.
        return Err(TransferError::SameAccount);
    }
    // Lower account number first, whatever the direction: two transfers between the same
    // accounts then ask for the locks in the same order, and cannot hold one each.
    let (mut from_balance, mut to_balance) = lock_both_in_order(from, to);
    if *from_balance < amount {
        return Err(TransferError::InsufficientFunds);
    }
    *from_balance -= amount;
    *to_balance += amount;
    Ok(())
}

/// Both guards, `from`'s first in the pair, locked lower account number first.
fn lock_both_in_order<'a>(
    from: &'a Account,
    to: &'a Account,
) -> (MutexGuard<'a, i64>, MutexGuard<'a, i64>) {
    if from.number < to.number {
        let first = from.balance.lock().unwrap();
        (first, to.balance.lock().unwrap())
    } else {
        let first = to.balance.lock().unwrap();
        (from.balance.lock().unwrap(), first)
    }
}

#[cfg(test)]
#[path = "../checks.rs"]
mod checks;
