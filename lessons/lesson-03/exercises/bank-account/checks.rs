//! The checks of `bank-account`. `cargo xtask verify bank-account` runs them; they are ignored by
//! a plain `cargo test` so that the course's own test suite passes before you start.
//!
//! Each check is a loom model: loom runs the closure again and again, once for every way the
//! threads' steps can interleave, and fails on the first interleaving that breaks an assertion.
//!
//! loom tries every interleaving with up to two preemptions (see `course_checks::loom`, in `lessons/checks`): each
//! check of a correct answer takes well under a second, so `verify` finishes in about one.

use loom::sync::Arc;
use loom::thread;

use course_checks::file_under_check;
use course_checks::loom::{assert_is_looms, explore, run_once};

use super::{Account, InsufficientFunds};

/// Withdraws each amount on a thread of its own from an account holding `opening`, under every
/// interleaving, and hands the results and the account to `check`.
fn withdraw_concurrently(
    opening: i64,
    amounts: &'static [i64],
    check: fn(&[Result<i64, InsufficientFunds>], &Account),
) {
    explore(move || {
        let account = Arc::new(Account::new(opening));
        let handles: Vec<_> = amounts
            .iter()
            .map(|&amount| {
                let account = Arc::clone(&account);
                thread::spawn(move || account.withdraw(amount))
            })
            .collect();
        let results: Vec<_> = handles.into_iter().map(|h| h.join().unwrap()).collect();
        check(&results, &account);
    });
}

/// The checks see your races only through loom's `Mutex`.
fn your_types_are_looms() {
    assert_is_looms::<super::Mutex<()>>(&file_under_check!(), "Mutex", "use loom::sync::Mutex;");
}

#[test]
#[ignore = "checked by cargo xtask verify"]
fn two_withdrawals_of_60_from_100_cannot_both_succeed() {
    your_types_are_looms();
    withdraw_concurrently(100, &[60, 60], |results, account| {
        let succeeded = results.iter().filter(|r| r.is_ok()).count();
        assert!(
            account.balance() >= 0,
            "both withdrawals of 60 passed the check and the balance is {}: in this \
             interleaving the other thread withdrew between the check and the act",
            account.balance()
        );
        assert_eq!(succeeded, 1, "exactly one withdrawal of 60 fits in 100");
        assert_eq!(account.balance(), 40);
        let refused = results.iter().find_map(|r| r.err()).unwrap();
        assert_eq!(refused.requested, 60);
        assert_eq!(
            refused.balance, 40,
            "the refusal reports the balance it saw"
        );
    });
}

#[test]
#[ignore = "checked by cargo xtask verify"]
fn withdrawals_that_fit_all_succeed() {
    your_types_are_looms();
    withdraw_concurrently(100, &[50, 50], |results, account| {
        assert!(
            results.iter().all(Result::is_ok),
            "two withdrawals of 50 from 100 must both succeed: {results:?}"
        );
        assert_eq!(account.balance(), 0);
    });
}

#[test]
#[ignore = "checked by cargo xtask verify"]
fn a_deposit_during_a_withdrawal_is_not_lost() {
    your_types_are_looms();
    explore(|| {
        let account = Arc::new(Account::new(100));
        let depositor = {
            let account = Arc::clone(&account);
            thread::spawn(move || account.deposit(25))
        };
        let withdrawn = account.withdraw(30);
        depositor.join().unwrap();
        assert!(withdrawn.is_ok());
        assert_eq!(account.balance(), 95, "100 + 25 - 30");
    });
}

#[test]
#[ignore = "checked by cargo xtask verify"]
fn a_refused_withdrawal_changes_nothing() {
    your_types_are_looms();
    run_once(|| {
        let account = Account::new(10);
        assert_eq!(
            account.withdraw(11),
            Err(InsufficientFunds {
                balance: 10,
                requested: 11
            })
        );
        assert_eq!(account.balance(), 10);
        assert_eq!(account.withdraw(10), Ok(0));
    });
}
