//~ starter:
//~ //! Exercise `bank-account` (lesson 03).
//~ solution:
//! Exercise `bank-account` (lesson 03): reference solution.
//~ end
//!
//! An account that refuses to be overdrawn. Every access to the balance takes the lock, so there
//! is no data race — and still two withdrawals can overdraw it: the check ("is there enough?") and
//! the act ("take it") happen under two different locks, and another withdrawal can run in between.
//~ starter:
//~ //!
//~ //! Check your work: `cargo xtask verify bank-account`. Stuck? `cargo xtask hint bank-account`.
//~ //! The checks in `checks.rs` run under loom, which tries every interleaving of the threads, so
//~ //! an answer that is right only by luck of timing does not pass.
//~ solution:
//~ end

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
        *self.balance.lock().unwrap() += amount;
    }

    /// Takes `amount` out of the account and returns the new balance, or refuses (and changes
    /// nothing) if the balance is lower than `amount`.
    pub fn withdraw(&self, amount: i64) -> Result<i64, InsufficientFunds> {
        //~ starter:
        //~ // TODO: the check and the act each take the lock on their own. In between, another
        //~ // thread can withdraw too, and both withdrawals pass the check. Hold one guard from the
        //~ // check to the act.
        //~ let balance = *self.balance.lock().unwrap();
        //~ if balance < amount {
        //~     return Err(InsufficientFunds {
        //~         balance,
        //~ solution:
        // One guard from the check to the act: no other withdrawal can come in between.
        let mut balance = self.balance.lock().unwrap();
        if *balance < amount {
            return Err(InsufficientFunds {
                balance: *balance,
                //~ end
                requested: amount,
            });
        }
        //~ starter:
        //~ let mut guard = self.balance.lock().unwrap();
        //~ *guard -= amount;
        //~ Ok(*guard)
        //~ solution:
        *balance -= amount;
        Ok(*balance)
        //~ end
    }
}

#[cfg(test)]
#[path = "../checks.rs"]
mod checks;
