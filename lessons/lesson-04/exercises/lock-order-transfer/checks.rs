//! The checks of `lock-order-transfer`. `cargo xtask verify lock-order-transfer` runs them; they
//! are ignored by a plain `cargo test` so that the course's own test suite passes before you start.
//!
//! Each check is a loom model: loom runs the closure again and again, once for every way the
//! threads' steps can interleave. When, in some interleaving, every thread is waiting for a
//! lock, loom stops with "deadlock" instead of hanging.

// `cargo xtask verify` sets this to a hash of your file, so that cargo rebuilds it when its text
// changed even if its modification time did not move forward (say, a backup put back with `mv`).
const _: Option<&str> = option_env!("COURSE_EXERCISE_SOURCE");

use loom::sync::Arc;
use loom::thread;

#[path = "../../../loom_checks.rs"]
mod loom_checks;
use loom_checks::{assert_is_looms, explore, run_once};

use super::{Account, TransferError, transfer};

/// The checks see your races only through loom's `Mutex`.
fn your_types_are_looms() {
    assert_is_looms::<super::Mutex<()>>("Mutex", "use loom::sync::Mutex;");
}

#[test]
#[ignore = "checked by cargo xtask verify"]
fn opposite_transfers_never_deadlock() {
    your_types_are_looms();
    explore(|| {
        let a = Arc::new(Account::new(1, 100));
        let b = Arc::new(Account::new(2, 100));
        let a_to_b = {
            let (a, b) = (Arc::clone(&a), Arc::clone(&b));
            thread::spawn(move || transfer(&a, &b, 30))
        };
        let b_to_a = transfer(&b, &a, 20);
        assert_eq!(a_to_b.join().unwrap(), Ok(()));
        assert_eq!(b_to_a, Ok(()));
        assert_eq!(a.balance(), 90, "100 - 30 + 20");
        assert_eq!(b.balance(), 110, "100 + 30 - 20");
    });
}

#[test]
#[ignore = "checked by cargo xtask verify"]
fn three_accounts_in_a_circle_never_deadlock() {
    your_types_are_looms();
    explore(|| {
        let accounts: Arc<Vec<Account>> =
            Arc::new((1..=3).map(|number| Account::new(number, 50)).collect());
        // 1 → 2, 2 → 3 and 3 → 1 at the same time: a cycle if each locks its source first.
        let handles: Vec<_> = (0..3)
            .map(|i| {
                let accounts = Arc::clone(&accounts);
                thread::spawn(move || transfer(&accounts[i], &accounts[(i + 1) % 3], 10))
            })
            .collect();
        for handle in handles {
            assert_eq!(handle.join().unwrap(), Ok(()));
        }
        let balances: Vec<i64> = accounts.iter().map(Account::balance).collect();
        assert_eq!(balances, [50, 50, 50], "each account gave 10 and got 10");
    });
}

#[test]
#[ignore = "checked by cargo xtask verify"]
fn a_transfer_to_the_same_account_is_refused() {
    your_types_are_looms();
    run_once(|| {
        let a = Account::new(1, 100);
        assert_eq!(transfer(&a, &a, 10), Err(TransferError::SameAccount));
        assert_eq!(a.balance(), 100);
    });
}

#[test]
#[ignore = "checked by cargo xtask verify"]
fn a_transfer_larger_than_the_balance_is_refused() {
    your_types_are_looms();
    run_once(|| {
        let a = Account::new(1, 10);
        let b = Account::new(2, 0);
        assert_eq!(transfer(&a, &b, 11), Err(TransferError::InsufficientFunds));
        assert_eq!(transfer(&b, &a, 1), Err(TransferError::InsufficientFunds));
        assert_eq!(
            (a.balance(), b.balance()),
            (10, 0),
            "a refused transfer changes nothing"
        );
    });
}
