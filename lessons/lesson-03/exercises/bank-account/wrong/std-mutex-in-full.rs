//! Wrong: the field's type is `std::sync::Mutex` written in full, which loom cannot see.
//! verify says: "names std's synchronisation type"

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
    balance: std::sync::Mutex<i64>,
}

impl Account {
    pub fn new(balance: i64) -> Self {
        Self {
            balance: std::sync::Mutex::new(balance),
        }
    }

    pub fn balance(&self) -> i64 {
        *self.balance.lock().unwrap()
    }

    pub fn deposit(&self, amount: i64) {
        *self.balance.lock().unwrap() += amount;
    }

    /// Takes `amount` out of the account and returns the new balance, or refuses (and changes
    /// nothing) if the balance is lower than `amount`.
    pub fn withdraw(&self, amount: i64) -> Result<i64, InsufficientFunds> {
        // TODO: the check and the act each take the lock on their own. In between, another
        // thread can withdraw too, and both withdrawals pass the check. Hold one guard from the
        // check to the act.
        let balance = *self.balance.lock().unwrap();
        if balance < amount {
            return Err(InsufficientFunds {
                balance,
                requested: amount,
            });
        }
        let mut guard = self.balance.lock().unwrap();
        *guard -= amount;
        Ok(*guard)
    }
}

#[cfg(test)]
#[path = "../checks.rs"]
mod checks;
