//! The checks of `publish-flag`. `cargo xtask verify publish-flag` runs them; they are ignored by
//! a plain `cargo test` so that the course's own test suite passes before you start.
//!
//! Each check is a loom model: loom runs the closure again and again, once for every way the
//! threads' steps can interleave and every value each load may return, and collects what the
//! reader saw in each run.

use std::collections::BTreeSet;

use loom::sync::Arc;
use loom::thread;

use super::FrameSize;

const SIZE: (u32, u32) = (640, 480);

/// Runs `model` under loom (at most three preemptions per run: enough, and quick) and returns
/// every distinct result, after checking that loom really had choices to make.
fn every_outcome<T: Ord + Send + 'static>(
    model: impl Fn() -> T + Send + Sync + 'static,
) -> BTreeSet<T> {
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
    let (runs, outcomes) = std::mem::take(&mut *seen.lock().unwrap());
    assert!(
        runs > 1,
        "loom ran the model {runs} time(s), so it checked nothing: keep the `#[cfg(test)]` import of \
         loom's atomics at the top of your file (std's atomics are invisible to loom)"
    );
    outcomes
}

/// A publisher thread publishes [`SIZE`] while this thread reads once.
fn read_while_publishing() -> BTreeSet<Option<(u32, u32)>> {
    every_outcome(|| {
        let frame = Arc::new(FrameSize::new());
        let publisher = {
            let frame = Arc::clone(&frame);
            thread::spawn(move || frame.publish(SIZE.0, SIZE.1))
        };
        let reader = {
            let frame = Arc::clone(&frame);
            thread::spawn(move || frame.read())
        };
        publisher.join().unwrap();
        reader.join().unwrap()
    })
}

#[test]
#[ignore = "checked by cargo xtask verify"]
fn a_reader_that_sees_the_flag_sees_the_size() {
    for seen in read_while_publishing() {
        assert!(
            seen.is_none() || seen == Some(SIZE),
            "the reader saw the flag but old data: read() returned {seen:?} while {SIZE:?} was \
             being published. Nothing orders the publisher's stores of the size before the \
             reader's loads of it: the flag must carry that order, from its store to its load"
        );
    }
}

#[test]
#[ignore = "checked by cargo xtask verify"]
fn a_reader_may_come_before_or_after_the_publisher() {
    let outcomes = read_while_publishing();
    assert!(
        outcomes.contains(&None),
        "read() never returned None, even when it ran before publish(): {outcomes:?}"
    );
    assert!(
        outcomes.contains(&Some(SIZE)),
        "read() never returned the size, even when it ran after publish(): {outcomes:?}"
    );
}

#[test]
#[ignore = "checked by cargo xtask verify"]
fn a_reader_that_waits_for_the_flag_reads_the_size() {
    let outcomes = every_outcome(|| {
        let frame = Arc::new(FrameSize::new());
        let publisher = {
            let frame = Arc::clone(&frame);
            thread::spawn(move || frame.publish(SIZE.0, SIZE.1))
        };
        let seen = loop {
            if let Some(size) = frame.read() {
                break size;
            }
            thread::yield_now();
        };
        publisher.join().unwrap();
        seen
    });
    assert_eq!(
        outcomes,
        BTreeSet::from([SIZE]),
        "the reader saw the flag but old data: a reader that waited for the flag read these \
         sizes: {outcomes:?}"
    );
}

#[test]
#[ignore = "checked by cargo xtask verify"]
fn nothing_is_published_before_publish() {
    loom::model(|| {
        let frame = FrameSize::new();
        assert_eq!(frame.read(), None, "read() before publish() must be None");
        frame.publish(SIZE.0, SIZE.1);
        assert_eq!(frame.read(), Some(SIZE));
    });
}

fn type_name_of<T>(_: &T) -> &'static str {
    std::any::type_name::<T>()
}

/// loom sees only its own atomics: with std's, every check above would pass without checking.
#[test]
#[ignore = "checked by cargo xtask verify"]
fn the_checks_see_loom_s_atomics() {
    loom::model(|| {
        let frame = FrameSize::new();
        for name in [
            type_name_of(&frame.ready),
            type_name_of(&frame.width),
            type_name_of(&frame.height),
        ] {
            assert!(
                name.starts_with("loom::"),
                "under #[cfg(test)] your file uses {name}, which loom cannot see, so the other \
                 checks prove nothing: keep the shipped `#[cfg(test)] use loom::sync::atomic::...` \
                 at the top of your file"
            );
        }
    });
}
