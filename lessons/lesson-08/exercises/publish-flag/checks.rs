//! The checks of `publish-flag`. `cargo xtask verify publish-flag` runs them; they are ignored by
//! a plain `cargo test` so that the course's own test suite passes before you start.
//!
//! Each check is a loom model: loom runs the closure again and again, once for every way the
//! threads' steps can interleave and every value each load may return (up to a bound that keeps
//! each check to a few seconds; see `course_checks::loom`, in `lessons/checks`), and collects what the reader saw
//! in each run. The sizes change from run to run (the message prints the seed).

use std::collections::BTreeSet;

use course_checks::lesson_08::{self, assert_loom_sees_every_step, explaining_loom_failures};
use course_checks::seeded::Seeded;
use loom::sync::Arc;
use loom::thread;

use course_checks::file_under_check;
use course_checks::loom::{assert_is_looms, run_once};

use super::FrameSize;

/// What a thread that waits in `read()` means here.
const READ_MUST_NOT_WAIT: &str = "read() must not wait for the flag: before publish() it \
    returns None at once. Does your read() loop until the flag is up?";

/// Fails unless loom sees every step of your file: its atomics are loom's under test, and it
/// uses no piece of std that loom cannot see (such as std's `fence` written in full).
fn loom_sees_your_file() {
    let file = file_under_check!();
    assert_loom_sees_every_step(&file);
    let import = "use loom::sync::atomic::{AtomicBool, AtomicU32, Ordering};";
    assert_is_looms::<super::AtomicBool>(&file, "AtomicBool", import);
    assert_is_looms::<super::AtomicU32>(&file, "AtomicU32", import);
}

/// Runs `model` under every interleaving loom tries and returns every distinct result.
fn every_outcome<T: Ord + Send + 'static>(
    model: impl Fn() -> T + Send + Sync + 'static,
) -> BTreeSet<T> {
    loom_sees_your_file();
    lesson_08::every_outcome(READ_MUST_NOT_WAIT, model)
}

/// The sizes a check publishes: a fixed one and one that changes from run to run.
fn sizes() -> (Vec<(u32, u32)>, u64) {
    let mut random = Seeded::new();
    let drawn = (
        u32::try_from(random.between(1, u64::from(u32::MAX))).expect("drawn below u32::MAX"),
        u32::try_from(random.between(1, 10_000)).expect("drawn below 10 000"),
    );
    (vec![(640, 480), drawn], random.seed())
}

/// A publisher thread publishes `size` while another thread reads once.
fn read_while_publishing(size: (u32, u32)) -> BTreeSet<Option<(u32, u32)>> {
    every_outcome(move || {
        let frame = Arc::new(FrameSize::new());
        let publisher = {
            let frame = Arc::clone(&frame);
            thread::spawn(move || frame.publish(size.0, size.1))
        };
        let reader = {
            let frame = Arc::clone(&frame);
            thread::spawn(move || frame.read())
        };
        publisher.join().unwrap();
        reader.join().unwrap()
    })
}

const OLD_DATA: &str = "Nothing orders the publisher's stores of the size before the reader's \
    loads of it, and only the flag can carry that order: publish() writes the size first and \
    then stores the flag with Release (or puts a Release fence just before a Relaxed store of \
    it); read() loads the flag with Acquire (or puts an Acquire fence just after a Relaxed load \
    of it) and only then loads the size. One side alone orders nothing";

#[test]
#[ignore = "checked by cargo xtask verify"]
fn a_reader_that_sees_the_flag_sees_the_size() {
    let (sizes, seed) = sizes();
    for size in sizes {
        for seen in read_while_publishing(size) {
            assert!(
                seen.is_none() || seen == Some(size),
                "the reader saw the flag but old data: read() returned {seen:?} while \
                 {size:?} was being published (seed {seed}). {OLD_DATA}"
            );
        }
    }
}

#[test]
#[ignore = "checked by cargo xtask verify"]
fn a_reader_may_come_before_or_after_the_publisher() {
    let (sizes, seed) = sizes();
    for size in sizes {
        let outcomes = read_while_publishing(size);
        assert!(
            outcomes.contains(&None),
            "read() never returned None, even when it ran before publish({}, {}): it returned \
             {outcomes:?} (seed {seed}). {READ_MUST_NOT_WAIT}",
            size.0,
            size.1
        );
        assert!(
            outcomes.contains(&Some(size)),
            "read() never returned the size {size:?}, even when it ran after publish(): it \
             returned {outcomes:?} (seed {seed})"
        );
    }
}

#[test]
#[ignore = "checked by cargo xtask verify"]
fn a_reader_that_waits_for_the_flag_reads_the_size() {
    let (sizes, seed) = sizes();
    for size in sizes {
        let outcomes = every_outcome(move || {
            let frame = Arc::new(FrameSize::new());
            let publisher = {
                let frame = Arc::clone(&frame);
                thread::spawn(move || frame.publish(size.0, size.1))
            };
            let size_read = loop {
                if let Some(size) = frame.read() {
                    break size;
                }
                thread::yield_now();
            };
            publisher.join().unwrap();
            size_read
        });
        assert_eq!(
            outcomes,
            BTreeSet::from([size]),
            "the reader saw the flag but old data: a reader that waited for the flag read \
             these sizes: {outcomes:?}, while {size:?} was published (seed {seed}). {OLD_DATA}"
        );
    }
}

#[test]
#[ignore = "checked by cargo xtask verify"]
fn nothing_is_published_before_publish() {
    loom_sees_your_file();
    let (mut sizes, seed) = sizes();
    // A size of 0 is a size too: the flag, not the width, says whether it is there.
    sizes.extend([(0, 0), (0, 7), (7, 0), (u32::MAX, u32::MAX)]);
    for size in sizes {
        explaining_loom_failures(READ_MUST_NOT_WAIT, || {
            run_once(move || {
                let frame = FrameSize::new();
                assert_eq!(
                    frame.read(),
                    None,
                    "read() before publish() must be None (seed {seed})"
                );
                frame.publish(size.0, size.1);
                assert_eq!(
                    frame.read(),
                    Some(size),
                    "one thread called publish({}, {}) and then read(): it must return the \
                     size it published, zeros too: the flag, not the size, says whether it is \
                     there (seed {seed})",
                    size.0,
                    size.1
                );
            });
        });
    }
}
