//! Wrong: takes the money out, lets go, then puts it in: for a moment it is in neither account.
//! verify says: "the money was in neither"

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
    if from.number == to.number {
        // Locking the same mutex twice on one thread would wait for ourselves forever.
        return Err(TransferError::SameAccount);
    }
    // Lower account number first, whatever the direction: two transfers between the same
    // accounts then ask for the locks in the same order, and cannot hold one each.
    {
        let mut from_balance = from.balance.lock().unwrap();
        if *from_balance < amount {
            return Err(TransferError::InsufficientFunds);
        }
        *from_balance -= amount;
    }
    *to.balance.lock().unwrap() += amount;
    Ok(())
}

#[cfg(test)]
#[path = "../checks.rs"]
mod checks;
