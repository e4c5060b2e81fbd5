//! Wrong: a deposit panics: the message shows the learner's line.
//! verify says: "deposits are not open yet"
//! verify says: "assert!(amount < 0"

// The checks use loom's `Mutex`, which loom can pause and interleave; everywhere else it is std's.
// Your code does not change either way.
#[cfg(test)]
use loom::sync::Mutex;
#[cfg(not(test))]
use std::sync::Mutex;

/// A withdrawal was refused: the balance was too low.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct InsufficientFunds {
    pub balance: i64,
    pub requested: i64,
}

/// A bank account shared by several threads. Its balance must never go below zero.
#[derive(Debug)]
pub struct Account {
    balance: Mutex<i64>,
}

impl Account {
    pub fn new(balance: i64) -> Self {
        Self {
            balance: Mutex::new(balance),
        }
    }

    pub fn balance(&self) -> i64 {
        *self.balance.lock().unwrap()
    }

    pub fn deposit(&self, amount: i64) {
        assert!(amount < 0, "deposits are not open yet");
        *self.balance.lock().unwrap() += amount;
    }

    /// Takes `amount` out of the account and returns the new balance, or refuses (and changes
    /// nothing) if the balance is lower than `amount`.
    pub fn withdraw(&self, amount: i64) -> Result<i64, InsufficientFunds> {
        // One guard from the check to the act: no other withdrawal can come in between.
        let mut balance = self.balance.lock().unwrap();
        if *balance < amount {
            return Err(InsufficientFunds {
                balance: *balance,
                requested: amount,
            });
        }
        *balance -= amount;
        Ok(*balance)
    }
}

#[cfg(test)]
#[path = "../checks.rs"]
mod checks;
