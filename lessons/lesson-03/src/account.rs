//! A bank account shared by several threads: check-then-act, broken and fixed.
//!
//! Written once against `crate::sync`, so the loom tests check this same file.

use crate::sync::Mutex;

/// Why a withdrawal was refused: the balance it found was too small.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub struct Refused {
    pub balance: i64,
}

// ANCHOR: account
/// A balance behind a `Mutex`: no data race is possible, whatever the methods do.
#[derive(Debug)]
pub struct Account {
    balance: Mutex<i64>,
}

impl Account {
    pub fn new(balance: i64) -> Self {
        Account {
            balance: Mutex::new(balance),
        }
    }

    pub fn balance(&self) -> i64 {
        *self.balance.lock().unwrap()
    }
    // ANCHOR_END: account

    // ANCHOR: check_then_act
    /// Broken: the check and the withdrawal each lock the balance, but not together.
    /// `between` runs after the check has passed; the lock is free during it.
    pub fn withdraw_check_then_act(
        &self,
        amount: i64,
        between: impl FnOnce(i64),
    ) -> Result<i64, Refused> {
        let balance = self.balance(); // check… (the guard is dropped at the end of this line)
        if balance < amount {
            return Err(Refused { balance });
        }
        between(balance);
        let mut balance = self.balance.lock().unwrap(); // …then act on a check that may be stale
        *balance -= amount;
        Ok(*balance)
    }
    // ANCHOR_END: check_then_act

    // ANCHOR: check_and_act
    /// Fixed: one guard covers the check and the withdrawal, so nothing can change in between.
    /// `between` runs after the check has passed, with the lock still held.
    pub fn withdraw_check_and_act(
        &self,
        amount: i64,
        between: impl FnOnce(i64),
    ) -> Result<i64, Refused> {
        let mut balance = self.balance.lock().unwrap();
        if *balance < amount {
            return Err(Refused { balance: *balance });
        }
        between(*balance);
        *balance -= amount;
        Ok(*balance)
    }
    // ANCHOR_END: check_and_act
}
