//! loom runs the transfers of `src/transfer.rs` under every interleaving of two threads.
//!
//! The file is compiled here a second time, with loom's `Mutex` in place of std's (see the
//! `sync` module below), so the model checks the very code the lesson runs. Both models have two
//! threads and two locks each, so loom explores all their interleavings in well under a second.

use std::panic::{self, AssertUnwindSafe};
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};

use loom::thread;

/// The lock type `transfer.rs` is compiled with: loom's here, std's in `src/sync.rs`.
mod sync {
    pub use loom::sync::Mutex;
}

#[path = "../src/transfer.rs"]
mod transfer;

use transfer::{Account, transfer_in_global_order, transfer_locking_source_first};

// The accounts are shared with std's `Arc`, not loom's: when loom finds a deadlock it panics, and
// values that loom tracks would call back into loom while being dropped during that panic, which
// aborts the test process. Only the locks need to be loom's, since they are what can block.

/// Runs `transfer` from account 1 to 2 and from 2 to 1 on two threads, then checks that both
/// transfers happened and no money was lost.
fn opposite_transfers(transfer: fn(&Account, &Account, i64, fn())) {
    let account1 = Arc::new(Account::new(1, 100));
    let account2 = Arc::new(Account::new(2, 100));
    let spawn_transfer = |from: &Arc<Account>, to: &Arc<Account>, amount| {
        let (from, to) = (Arc::clone(from), Arc::clone(to));
        thread::spawn(move || transfer(&from, &to, amount, || {}))
    };
    let a = spawn_transfer(&account1, &account2, 10);
    let b = spawn_transfer(&account2, &account1, 5);
    a.join().unwrap();
    b.join().unwrap();
    assert_eq!(*account1.balance.lock().unwrap(), 95);
    assert_eq!(*account2.balance.lock().unwrap(), 105);
}

// ANCHOR: loom_deadlock
#[test]
fn loom_finds_the_deadlock_of_opposite_lock_orders() {
    let outcome = panic::catch_unwind(AssertUnwindSafe(|| {
        loom::model(|| opposite_transfers(transfer_locking_source_first));
    }));
    let payload = outcome.expect_err("loom must find an interleaving that deadlocks");
    let message = payload
        .downcast_ref::<String>()
        .map(String::as_str)
        .or_else(|| payload.downcast_ref::<&str>().copied())
        .unwrap_or_default();
    assert!(
        message.contains("deadlock"),
        "loom failed otherwise: {message}"
    );
}
// ANCHOR_END: loom_deadlock

// ANCHOR: loom_ordered
#[test]
fn loom_finds_no_deadlock_when_locks_follow_one_global_order() {
    static EXECUTIONS: AtomicUsize = AtomicUsize::new(0);
    loom::model(|| {
        EXECUTIONS.fetch_add(1, Ordering::Relaxed);
        opposite_transfers(transfer_in_global_order);
    });
    // One pass would prove nothing: loom ran the threads in many different orders.
    let executions = EXECUTIONS.load(Ordering::Relaxed);
    assert!(executions > 1, "loom explored {executions} interleaving(s)");
}
// ANCHOR_END: loom_ordered
