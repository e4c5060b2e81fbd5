//! The checks of `lock-order-transfer`. `cargo xtask verify lock-order-transfer` runs them; they
//! are ignored by a plain `cargo test` so that the course's own test suite passes before you start.
//!
//! Each check is a loom model: loom runs the closure again and again, once for every way the
//! threads' steps can interleave. When, in some interleaving, every thread is waiting for a
//! lock, loom stops with "deadlock" instead of hanging.
//!
//! loom tries every interleaving with up to two preemptions (see `course_checks::loom`, in `lessons/checks`): each
//! check of a correct answer takes well under a second, so `verify` finishes in about one.

use loom::sync::Arc;
use loom::thread;

use course_checks::file_under_check;
use course_checks::loom::{assert_is_looms, explore, run_once};

use super::{Account, TransferError, transfer};

/// The checks see your races only through loom's `Mutex`.
fn your_types_are_looms() {
    assert_is_looms::<super::Mutex<()>>(&file_under_check!(), "Mutex", "use loom::sync::Mutex;");
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
fn an_observer_never_sees_money_in_flight() {
    your_types_are_looms();
    explore(|| {
        let a = Arc::new(Account::new(1, 100));
        let b = Arc::new(Account::new(2, 100));
        let a_to_b = {
            let (a, b) = (Arc::clone(&a), Arc::clone(&b));
            thread::spawn(move || transfer(&a, &b, 30))
        };
        // The observer holds both locks (in the same global order), so it sees the two balances
        // at one moment: between a transfer's two steps, if it lets go in between.
        let total = {
            let a_balance = a.balance.lock().unwrap();
            let b_balance = b.balance.lock().unwrap();
            *a_balance + *b_balance
        };
        assert_eq!(a_to_b.join().unwrap(), Ok(()));
        assert_eq!(
            total, 200,
            "in this interleaving the two accounts held {total} together, not 200: the transfer \
             let go of one account's lock before it had changed the other, so for a moment the \
             money was in neither; hold both locks from the check to the last change"
        );
    });
}

#[test]
#[ignore = "checked by cargo xtask verify"]
fn two_transfers_cannot_overdraw_an_account() {
    your_types_are_looms();
    explore(|| {
        let a = Arc::new(Account::new(1, 50));
        let b = Arc::new(Account::new(2, 0));
        let first = {
            let (a, b) = (Arc::clone(&a), Arc::clone(&b));
            thread::spawn(move || transfer(&a, &b, 30))
        };
        let second = transfer(&a, &b, 30);
        let results = [first.join().unwrap(), second];
        assert!(
            a.balance() >= 0,
            "two transfers of 30 from 50 both went through and left {}: in this interleaving \
             the other transfer took its money between the check of the balance and the \
             withdrawal; check and withdraw under the same lock",
            a.balance()
        );
        assert_eq!(
            results.iter().filter(|r| r.is_ok()).count(),
            1,
            "exactly one transfer of 30 fits in 50: {results:?}"
        );
        assert_eq!((a.balance(), b.balance()), (20, 30));
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
