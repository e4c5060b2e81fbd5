//! The checks of `bounded-pipeline`. `cargo xtask verify bounded-pipeline` runs them; they are
//! ignored by a plain `cargo test` so that the course's own test suite passes before you start.
//!
//! No check sleeps to wait for a stage. The source counts every item it hands out, the sink every
//! item it finishes, and the first item stays in the sink until the pipeline is as full as its
//! channels allow: from these counts the checks know exactly how many items were in flight.

use std::sync::{Arc, Condvar, Mutex, PoisonError};
use std::thread;
use std::time::Duration;

use super::{Counts, run_pipeline};

/// How long anything waits before the check gives up and says why. Generous: a pipeline moves
/// an item in microseconds.
const PATIENCE: Duration = Duration::from_secs(5);

/// How long the function under check may take: longer than [`PATIENCE`], so that a job that gave
/// up waiting has said why before the whole run is called stuck.
const RUN_PATIENCE: Duration = Duration::from_secs(10);

/// What the source and the sink have seen.
#[derive(Debug, Default)]
struct Tally {
    /// Items the source has handed out (to the read stage).
    read: usize,
    /// Items the sink has finished with.
    written: usize,
    /// The most items that were read and not yet written, at any moment.
    most_in_flight: usize,
    /// Items given to the sink after it had returned `false`.
    after_stop: usize,
    /// What the sink was given, in order.
    received: Vec<u64>,
    /// Whether `run_pipeline` has ended, and how.
    run: Run,
}

#[derive(Debug, Default, Clone, Copy)]
enum Run {
    #[default]
    Going,
    Returned(Counts),
    Panicked,
}

#[derive(Default)]
struct Shared {
    tally: Mutex<Tally>,
    changed: Condvar,
}

/// A source of `0, 1, 2, …` that counts what it hands out; endless if `end` is `None`.
struct CountingSource {
    shared: Arc<Shared>,
    next: u64,
    end: Option<u64>,
}

impl Iterator for CountingSource {
    type Item = u64;

    fn next(&mut self) -> Option<u64> {
        if self.end.is_some_and(|end| self.next >= end) {
            return None;
        }
        let mut tally = self.shared.tally.lock().unwrap();
        tally.read += 1;
        tally.most_in_flight = tally.most_in_flight.max(tally.read - tally.written);
        self.shared.changed.notify_all();
        self.next += 1;
        Some(self.next - 1)
    }
}

fn source(shared: &Arc<Shared>, end: Option<u64>) -> CountingSource {
    CountingSource {
        shared: Arc::clone(shared),
        next: 0,
        end,
    }
}

/// A sink that records what it gets and wants `wanted` items (`None`: all of them). With
/// `hold_first_until_read = Some(n)`, it keeps the first item until `n` items have been read.
fn sink(
    shared: &Arc<Shared>,
    wanted: Option<usize>,
    hold_first_until_read: Option<usize>,
) -> impl FnMut(u64) -> bool + Send + 'static {
    let shared = Arc::clone(shared);
    move |item| {
        let mut tally = shared.tally.lock().unwrap();
        if wanted.is_some_and(|wanted| tally.written >= wanted) {
            tally.after_stop += 1;
            shared.changed.notify_all(); // the check can fail at once
            return false;
        }
        if let (0, Some(full)) = (tally.written, hold_first_until_read) {
            tally = shared
                .changed
                .wait_timeout_while(tally, PATIENCE, |tally| tally.read < full)
                .unwrap()
                .0;
        }
        tally.received.push(item);
        tally.written += 1;
        wanted.is_none_or(|wanted| tally.written < wanted)
    }
}

/// Records that `run_pipeline` has ended, also when it panicked (then `counts` stays `None`).
struct Ended {
    shared: Arc<Shared>,
    counts: Option<Counts>,
}

impl Drop for Ended {
    fn drop(&mut self) {
        let mut tally = self
            .shared
            .tally
            .lock()
            .unwrap_or_else(PoisonError::into_inner);
        tally.run = self.counts.map_or(Run::Panicked, Run::Returned);
        self.shared.changed.notify_all();
    }
}

/// Runs `run` on a thread of its own and waits until it has returned or `failed(tally)` holds,
/// for at most [`RUN_PATIENCE`]; `None` if it has not returned.
fn run_with_patience(
    shared: &Arc<Shared>,
    run: impl FnOnce() -> Counts + Send + 'static,
    failed: impl Fn(&Tally) -> bool,
) -> Option<Counts> {
    let for_thread = Arc::clone(shared);
    thread::spawn(move || {
        let mut ended = Ended {
            shared: for_thread,
            counts: None,
        };
        ended.counts = Some(run());
    });
    let tally = shared.tally.lock().unwrap();
    let (tally, _) = shared
        .changed
        .wait_timeout_while(tally, RUN_PATIENCE, |tally| {
            matches!(tally.run, Run::Going) && !failed(tally)
        })
        .unwrap();
    match tally.run {
        Run::Panicked => panic!("run_pipeline panicked (its message is above)"),
        Run::Returned(counts) => Some(counts),
        Run::Going => None,
    }
}

#[test]
#[ignore = "checked by cargo xtask verify"]
fn when_the_source_ends_every_item_arrives_once_in_order() {
    let shared = Arc::new(Shared::default());
    let (from, to) = (source(&shared, Some(50)), sink(&shared, None, None));
    let counts = run_with_patience(
        &shared,
        move || run_pipeline(2, from, |n| n * 10, to),
        |_| false,
    )
    .unwrap_or_else(|| {
        panic!("run_pipeline did not return within {RUN_PATIENCE:?} after its source ended")
    });
    let tally = shared.tally.lock().unwrap();
    let expected: Vec<u64> = (0..50).map(|n| n * 10).collect();
    assert_eq!(
        tally.received, expected,
        "the sink must get every item once, transformed, in the order of the source"
    );
    assert_eq!(
        counts,
        Counts {
            read: 50,
            transformed: 50,
            written: 50
        },
        "the counts must say what each stage passed on"
    );
}

#[test]
#[ignore = "checked by cargo xtask verify"]
fn when_the_sink_stops_every_stage_stops_even_with_an_endless_source() {
    let capacity = 2;
    let shared = Arc::new(Shared::default());
    let (from, to) = (source(&shared, None), sink(&shared, Some(5), None));
    let counts = run_with_patience(
        &shared,
        move || run_pipeline(capacity, from, |n| n * 10, to),
        |tally| tally.after_stop > 0,
    );
    let tally = shared.tally.lock().unwrap();
    assert!(
        tally.after_stop == 0,
        "the write stage handed the sink {} more items after it returned false: stop there, so \
         that dropping the Receiver tells the stages before it",
        tally.after_stop
    );
    let Some(counts) = counts else {
        panic!(
            "the sink stopped after 5 items, yet run_pipeline had not returned {RUN_PATIENCE:?} later: \
             the read stage kept reading ({} items of an endless source so far). A send that fails \
             means the next stage has gone: stop then",
            tally.read
        );
    };
    assert_eq!(tally.received, [0, 10, 20, 30, 40]);
    assert_eq!(counts.written, 5, "the sink took 5 items: {counts:?}");
    // Five items written, at most `capacity` in each channel and one held by each earlier stage.
    let most = 5 + 2 * capacity + 2;
    assert!(
        tally.read <= most,
        "{} items were read for a sink that wanted 5; with channels of capacity {capacity} the \
         pipeline can have read at most {most}",
        tally.read
    );
}

#[test]
#[ignore = "checked by cargo xtask verify"]
fn items_in_flight_never_exceed_what_the_channels_hold() {
    let capacity = 2;
    // The item in the sink, `capacity` in each channel, one in the hands of each other stage.
    let full = 2 * capacity + 3;
    let shared = Arc::new(Shared::default());
    let (from, to) = (source(&shared, Some(100)), sink(&shared, None, Some(full)));
    let counts = run_with_patience(
        &shared,
        move || run_pipeline(capacity, from, |n| n + 1, to),
        |_| false,
    );
    let tally = shared.tally.lock().unwrap();
    assert!(
        tally.most_in_flight <= full,
        "{} items were in flight at once (read, not yet written); with two channels of capacity \
         {capacity} at most {full} can be: pass every item on as soon as you have it \
         (no stage may collect its input first), and use sync_channel(capacity)",
        tally.most_in_flight
    );
    assert!(
        tally.most_in_flight == full,
        "while the sink held the first item, only {} items were read; two channels of capacity \
         {capacity} hold {full} with the item in the sink and one in each stage's hands",
        tally.most_in_flight
    );
    let counts =
        counts.unwrap_or_else(|| panic!("run_pipeline did not return within {RUN_PATIENCE:?}"));
    assert_eq!(counts.written, 100, "{counts:?}");
}
