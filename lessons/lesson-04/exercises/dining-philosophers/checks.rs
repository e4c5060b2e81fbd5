//! The checks of `dining-philosophers`. `cargo xtask verify dining-philosophers` runs them; they
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

use super::Table;

/// Seats `seats` philosophers, each on a thread of its own, lets each eat once, and checks that
/// every fork was used twice (once by each neighbour).
fn everyone_eats_once(seats: usize) {
    explore(move || {
        let table = Arc::new(Table::new(seats));
        let philosophers: Vec<_> = (0..seats)
            .map(|seat| {
                let table = Arc::clone(&table);
                thread::spawn(move || table.eat(seat))
            })
            .collect();
        for philosopher in philosophers {
            philosopher.join().unwrap();
        }
        for fork in 0..seats {
            assert_eq!(
                table.times_used(fork),
                2,
                "fork {fork} lies between two philosophers, who each ate once"
            );
        }
    });
}

/// The checks see your races only through loom's `Mutex`.
fn your_types_are_looms() {
    assert_is_looms::<super::Mutex<()>>(&file_under_check!(), "Mutex", "use loom::sync::Mutex;");
}

#[test]
#[ignore = "checked by cargo xtask verify"]
fn two_philosophers_never_deadlock() {
    your_types_are_looms();
    everyone_eats_once(2);
}

#[test]
#[ignore = "checked by cargo xtask verify"]
fn three_philosophers_never_deadlock() {
    your_types_are_looms();
    everyone_eats_once(3);
}

#[test]
#[ignore = "checked by cargo xtask verify"]
fn one_philosopher_after_another_uses_the_right_forks() {
    your_types_are_looms();
    run_once(|| {
        let table = Table::new(4);
        table.eat(3);
        assert_eq!(table.times_used(3), 1, "seat 3 eats with fork 3 ...");
        assert_eq!(
            table.times_used(0),
            1,
            "... and fork 0, its right-hand neighbour"
        );
        assert_eq!(table.times_used(1) + table.times_used(2), 0);
    });
}
