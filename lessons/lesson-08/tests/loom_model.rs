//! loom runs the lesson's own code — `src/flag.rs`, `src/spin_lock.rs` and `src/counters.rs`,
//! compiled here a second time against loom's `Arc`, `Mutex`, atomics, threads and `spin_loop` —
//! under every interleaving of its threads, and, for the atomics, every value that the memory
//! model lets a load return. Real hardware shows you one of those; loom shows all of them.
//!
//! Each test asserts what loom found, and the last one writes every verdict into
//! `snapshots/lesson-08-loom.snap`, the page of loom's results that the book shows.

use std::collections::BTreeSet;
use std::fmt::Debug;
use std::sync::atomic::Ordering::{self, Acquire, Relaxed, Release};

// ANCHOR: loom_shim
/// The same shape as the lesson's `src/sync.rs`, with loom's types instead of std's.
mod sync {
    pub use loom::hint;
    pub use loom::sync::atomic;
    pub use loom::sync::{Arc, Mutex};
    pub use loom::thread;
}

#[path = "../src/flag.rs"]
mod flag;

#[path = "../src/spin_lock.rs"]
mod spin_lock;

#[path = "../src/counters.rs"]
mod counters;
// ANCHOR_END: loom_shim

use counters::{TakeTicket, Tickets};
use flag::{Mailbox, PUBLISHED};

// ANCHOR: every_outcome
/// What loom found: how many executions it ran, and every distinct result they produced.
struct Found<T> {
    executions: u32,
    outcomes: BTreeSet<T>,
}

/// Runs `model` under loom and collects its results over every execution loom tries. At most
/// three preemptions per execution: enough for these bugs, and every model ends in well under
/// a second.
fn every_outcome<T: Ord + Clone + Debug + Send + 'static>(
    model: impl Fn() -> T + Send + Sync + 'static,
) -> Found<T> {
    let seen = std::sync::Arc::new(std::sync::Mutex::new((0_u32, BTreeSet::new())));
    let seen_in_model = std::sync::Arc::clone(&seen);
    let mut builder = loom::model::Builder::new();
    builder.preemption_bound = Some(3);
    builder.check(move || {
        let outcome = model();
        let mut seen = seen_in_model.lock().unwrap();
        seen.0 += 1;
        seen.1.insert(outcome);
    });
    let (executions, outcomes) = seen.lock().unwrap().clone();
    // One execution would mean loom had nothing to choose: then the model tests nothing.
    assert!(executions > 1, "loom ran the model only once");
    Found {
        executions,
        outcomes,
    }
}
// ANCHOR_END: every_outcome

// ANCHOR: publish
/// A writer thread publishes 42; main looks at the flag once and reads the data if it is up.
fn publish_once(flag_store: Ordering, flag_load: Ordering) -> Found<Option<u64>> {
    every_outcome(move || {
        let mailbox = loom::sync::Arc::new(Mailbox::new());
        let writer = {
            let mailbox = loom::sync::Arc::clone(&mailbox);
            loom::thread::spawn(move || mailbox.publish(PUBLISHED, flag_store))
        };
        let seen = mailbox.try_read(flag_load);
        writer.join().unwrap();
        seen
    })
}

#[test]
fn with_relaxed_on_both_sides_a_reader_sees_the_flag_and_old_data() {
    let found = publish_once(Relaxed, Relaxed);
    assert!(found.outcomes.contains(&Some(0)), "{:?}", found.outcomes);
}

#[test]
fn with_release_and_acquire_a_reader_that_sees_the_flag_sees_the_data() {
    let found = publish_once(Release, Acquire);
    assert_eq!(found.outcomes, BTreeSet::from([None, Some(PUBLISHED)]));
}

#[test]
fn one_side_alone_is_not_enough() {
    for (store, load) in [(Release, Relaxed), (Relaxed, Acquire)] {
        let found = publish_once(store, load);
        assert!(found.outcomes.contains(&Some(0)), "{store:?}/{load:?}");
    }
}

/// The lesson's own reader, which waits for the flag (`publish_and_read`, run live in part 1).
#[test]
fn the_lesson_s_waiting_reader_reads_old_data_only_with_relaxed() {
    let relaxed = every_outcome(|| flag::publish_and_read(Relaxed, Relaxed));
    assert_eq!(relaxed.outcomes, BTreeSet::from([0, PUBLISHED]));
    let release_acquire = every_outcome(|| flag::publish_and_read(Release, Acquire));
    assert_eq!(release_acquire.outcomes, BTreeSet::from([PUBLISHED]));
}
// ANCHOR_END: publish

// ANCHOR: spin_lock
#[test]
fn the_spin_lock_with_acquire_and_release_loses_no_update() {
    let found = every_outcome(|| counters::count_with_spin_lock(spin_lock::ACQUIRE_RELEASE, 2, 1));
    assert_eq!(found.outcomes, BTreeSet::from([2]));
}

#[test]
fn the_spin_lock_with_relaxed_excludes_but_the_next_holder_may_read_old_data() {
    let found = every_outcome(|| counters::count_with_spin_lock(spin_lock::RELAXED, 2, 1));
    assert_eq!(found.outcomes, BTreeSet::from([1, 2]));
}

/// Two threads take the lock; returns the most threads that were ever inside it at once.
fn most_holders_at_once(orderings: spin_lock::LockOrderings) -> Found<u32> {
    every_outcome(move || {
        let lock = loom::sync::Arc::new(spin_lock::SpinLock::new(orderings));
        // Bookkeeping outside the model: loom switches threads only at its own operations.
        let inside = std::sync::Arc::new(std::sync::atomic::AtomicU32::new(0));
        let most = std::sync::Arc::new(std::sync::atomic::AtomicU32::new(0));
        let threads: Vec<_> = (0..2)
            .map(|_| {
                let (lock, inside, most) = (lock.clone(), inside.clone(), most.clone());
                loom::thread::spawn(move || {
                    let _held = lock.lock();
                    let now = inside.fetch_add(1, Relaxed) + 1;
                    most.fetch_max(now, Relaxed);
                    loom::thread::yield_now(); // let the other thread try while this one holds it
                    inside.fetch_sub(1, Relaxed);
                })
            })
            .collect();
        for thread in threads {
            thread.join().unwrap();
        }
        most.load(Relaxed)
    })
}

#[test]
fn the_spin_lock_excludes_with_either_ordering() {
    for orderings in [spin_lock::RELAXED, spin_lock::ACQUIRE_RELEASE] {
        assert_eq!(
            most_holders_at_once(orderings).outcomes,
            BTreeSet::from([1])
        );
    }
}

#[test]
fn the_mutex_it_is_timed_against_loses_no_update_either() {
    let found = every_outcome(|| counters::count_with_mutex(2, 1));
    assert_eq!(found.outcomes, BTreeSet::from([2]));
}
// ANCHOR_END: spin_lock

// ANCHOR: counters
#[test]
fn relaxed_statistics_are_exact_after_join() {
    let expected = (2, counters::job_size(0) + counters::job_size(1));
    let found = every_outcome(|| counters::count_statistics(2, 1));
    assert_eq!(found.outcomes, BTreeSet::from([expected]));
}

/// A worker records one job of 3 bytes while another thread reads the totals.
fn read_while_recording() -> Found<(u64, u64)> {
    every_outcome(|| {
        let stats = loom::sync::Arc::new(counters::Statistics::new());
        let [worker, reader] = [true, false].map(|works| {
            let stats = loom::sync::Arc::clone(&stats);
            loom::thread::spawn(move || {
                if works {
                    stats.record(3);
                    (0, 0)
                } else {
                    stats.read()
                }
            })
        });
        worker.join().unwrap();
        reader.join().unwrap()
    })
}

#[test]
fn totals_read_while_the_work_runs_need_not_agree() {
    let found = read_while_recording();
    // Bytes without their job (a matter of timing), and a job without its bytes (of ordering).
    assert!(found.outcomes.contains(&(0, 3)), "{:?}", found.outcomes);
    assert!(found.outcomes.contains(&(1, 0)), "{:?}", found.outcomes);
}

fn two_threads_want_the_last_ticket(take: TakeTicket) -> Found<Vec<u32>> {
    every_outcome(move || counters::hand_out_tickets(take, 1, 2, 1))
}

#[test]
fn the_compare_exchange_loop_and_fetch_update_never_give_a_ticket_twice() {
    for take in [
        Tickets::take_with_compare_exchange as TakeTicket,
        Tickets::take_with_fetch_update,
    ] {
        let found = two_threads_want_the_last_ticket(take);
        assert_eq!(found.outcomes, BTreeSet::from([vec![0]]));
    }
}

#[test]
fn check_then_add_can_give_out_one_ticket_too_many() {
    let found = two_threads_want_the_last_ticket(Tickets::take_with_check_then_add);
    assert!(found.outcomes.contains(&vec![0, 1]), "{:?}", found.outcomes);
}
// ANCHOR_END: counters

// ANCHOR: verdicts
/// One line per model: what loom found, as the book shows it.
fn verdict<T: Debug>(name: &str, found: &Found<T>, describe: impl Fn(&T) -> String) -> String {
    let outcomes: Vec<String> = found.outcomes.iter().map(describe).collect();
    format!(
        "{name:<34} {:>4} executions: {}",
        found.executions,
        outcomes.join(" | ")
    )
}

fn reader_saw(outcome: Option<u64>) -> String {
    match outcome {
        None => "no flag yet".to_string(),
        Some(PUBLISHED) => format!("flag, then {PUBLISHED}"),
        Some(value) => format!("flag, then {value} (OLD DATA)"),
    }
}

/// Every verdict, compared with `snapshots/lesson-08-loom.snap` (the book shows it).
#[test]
fn loom_s_verdicts_are_the_ones_the_book_shows() {
    let mut lines =
        vec!["A writer publishes 42 through a flag; the reader looks once.".to_string()];
    for (store, load) in [
        (Relaxed, Relaxed),
        (Release, Relaxed),
        (Relaxed, Acquire),
        (Release, Acquire),
    ] {
        let name = format!("  store {store:?}, load {load:?}:");
        lines.push(verdict(&name, &publish_once(store, load), |seen| {
            reader_saw(*seen)
        }));
    }
    lines.push("The lesson's reader, which waits for the flag, then reads.".to_string());
    for (store, load) in [(Relaxed, Relaxed), (Release, Acquire)] {
        let name = format!("  store {store:?}, load {load:?}:");
        let found = every_outcome(move || flag::publish_and_read(store, load));
        lines.push(verdict(&name, &found, |value| {
            let old = if *value == PUBLISHED {
                ""
            } else {
                " (OLD DATA)"
            };
            format!("read {value}{old}")
        }));
    }
    lines.push("Two threads take the spin lock: the most threads inside it at once.".to_string());
    for (name, orderings) in [
        ("  lock Relaxed, unlock Relaxed:", spin_lock::RELAXED),
        (
            "  lock Acquire, unlock Release:",
            spin_lock::ACQUIRE_RELEASE,
        ),
    ] {
        let found = most_holders_at_once(orderings);
        lines.push(verdict(name, &found, |most| format!("{most} inside")));
    }
    lines.push("Two threads add one each under the spin lock, and under a Mutex.".to_string());
    for (name, orderings) in [
        ("  lock Relaxed, unlock Relaxed:", spin_lock::RELAXED),
        (
            "  lock Acquire, unlock Release:",
            spin_lock::ACQUIRE_RELEASE,
        ),
    ] {
        let found = every_outcome(move || counters::count_with_spin_lock(orderings, 2, 1));
        lines.push(verdict(name, &found, |count| format!("count {count}")));
    }
    let found = every_outcome(|| counters::count_with_mutex(2, 1));
    lines.push(verdict("  Mutex:", &found, |count| {
        format!("count {count}")
    }));
    lines.push(
        "Two threads each count one job with fetch_add(Relaxed); main reads after join.".into(),
    );
    let found = every_outcome(|| counters::count_statistics(2, 1));
    lines.push(verdict("  Relaxed:", &found, |(jobs, bytes)| {
        format!("{jobs} jobs, {bytes} bytes")
    }));
    lines.push("One thread records a job of 3 bytes while another reads both totals.".into());
    lines.push(verdict(
        "  Relaxed:",
        &read_while_recording(),
        |(jobs, bytes)| format!("{jobs} jobs, {bytes} bytes"),
    ));
    lines.push("Two threads want the one ticket left.".to_string());
    for (name, take) in [
        (
            "  check, then fetch_add:",
            Tickets::take_with_check_then_add as TakeTicket,
        ),
        (
            "  compare_exchange loop:",
            Tickets::take_with_compare_exchange,
        ),
        ("  fetch_update:", Tickets::take_with_fetch_update),
    ] {
        lines.push(verdict(
            name,
            &two_threads_want_the_last_ticket(take),
            |granted| format!("tickets {granted:?} granted"),
        ));
    }
    let mut settings = insta::Settings::clone_current();
    settings.set_snapshot_path(concat!(env!("CARGO_MANIFEST_DIR"), "/snapshots"));
    settings.set_prepend_module_to_snapshot(false);
    settings.set_omit_expression(true);
    settings.bind(|| insta::assert_snapshot!("lesson-08-loom", lines.join("\n")));
}
// ANCHOR_END: verdicts
