//! The checks of `scoped-sum`. `cargo xtask verify scoped-sum` runs them; they are ignored by a
//! plain `cargo test` so that the course's own test suite passes before you start.

use std::collections::HashSet;
use std::sync::{Condvar, Mutex};
use std::thread::{self, ThreadId};
use std::time::Duration;

use super::sum_on_threads;

/// Why code that looks as if it starts every thread first may not: said with every message
/// that asks for it.
const TRAP: &str = "Iterators are lazy: in `.map(spawn).map(join)` each thread is joined \
     before the next is spawned, so `.collect()` the handles into a `Vec` first";

/// How long a part waits for the other parts to be summed at the same time. Generous: threads
/// start in microseconds.
const PATIENCE: Duration = Duration::from_secs(5);

/// A `sum_part` for the checks: it records every call, fails at once on the calling thread, and
/// waits until `expected_parts` parts are being summed at the same time (giving up after
/// [`PATIENCE`]), so that only a really concurrent sum passes.
struct Observer {
    caller: ThreadId,
    expected_parts: usize,
    calls: Mutex<Vec<(ThreadId, usize)>>,
    all_here: Condvar,
}

impl Observer {
    fn new(expected_parts: usize) -> Self {
        Self {
            caller: thread::current().id(),
            expected_parts,
            calls: Mutex::new(Vec::new()),
            all_here: Condvar::new(),
        }
    }

    fn sum_part(&self, part: &[u64]) -> u64 {
        let me = thread::current().id();
        assert!(
            me != self.caller,
            "a part was summed on the calling thread: sum every part on a scoped thread"
        );
        let mut calls = self.calls.lock().unwrap();
        calls.push((me, part.len()));
        self.all_here.notify_all();
        let (calls, waited) = self
            .all_here
            .wait_timeout_while(calls, PATIENCE, |calls| calls.len() < self.expected_parts)
            .unwrap();
        assert!(
            !waited.timed_out(),
            "a part waited {PATIENCE:?}, but only {} of {} parts were ever summed at the same \
             time: spawn every thread before you join any of them. {TRAP}",
            calls.len(),
            self.expected_parts
        );
        part.iter().sum()
    }

    fn threads_used(&self) -> usize {
        let calls = self.calls.lock().unwrap();
        calls
            .iter()
            .map(|(id, _)| *id)
            .collect::<HashSet<_>>()
            .len()
    }

    fn part_lengths(&self) -> Vec<usize> {
        let mut lengths: Vec<usize> = self.calls.lock().unwrap().iter().map(|c| c.1).collect();
        lengths.sort_unstable();
        lengths
    }
}

#[test]
#[ignore = "checked by cargo xtask verify"]
fn four_threads_sum_four_parts_at_the_same_time() {
    let numbers: Vec<u64> = (1..=1000).collect();
    let observer = Observer::new(4);
    let total = sum_on_threads(&numbers, 4, |part| observer.sum_part(part));
    assert_eq!(total, 500_500, "the sum of 1..=1000 is 500500");
    assert_eq!(observer.part_lengths(), [250, 250, 250, 250]);
    assert_eq!(observer.threads_used(), 4, "four parts need four threads");
}

#[test]
#[ignore = "checked by cargo xtask verify"]
fn parts_are_nearly_equal_when_the_length_does_not_divide() {
    let numbers: Vec<u64> = (1..=10).collect();
    let observer = Observer::new(3);
    let total = sum_on_threads(&numbers, 3, |part| observer.sum_part(part));
    assert_eq!(total, 55);
    let lengths = observer.part_lengths();
    assert_eq!(lengths.len(), 3, "10 numbers on 3 threads make 3 parts");
    assert!(
        lengths.iter().all(|&length| (2..=4).contains(&length)),
        "10 numbers on 3 threads make parts of 2 to 4 numbers, not {lengths:?}"
    );
}

#[test]
#[ignore = "checked by cargo xtask verify"]
fn fewer_numbers_than_threads() {
    let observer = Observer::new(3);
    let total = sum_on_threads(&[5, 6, 7], 8, |part| observer.sum_part(part));
    assert_eq!(total, 18);
    assert_eq!(
        observer.part_lengths(),
        [1, 1, 1],
        "3 numbers on 8 threads: 3 parts of one number (and no empty parts)"
    );
}

#[test]
#[ignore = "checked by cargo xtask verify"]
fn an_empty_slice_sums_to_zero() {
    let total = sum_on_threads(&[], 4, |part| part.iter().sum());
    assert_eq!(total, 0);
}
