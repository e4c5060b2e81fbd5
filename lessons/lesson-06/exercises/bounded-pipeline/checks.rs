//! The checks of `bounded-pipeline`. `cargo xtask verify bounded-pipeline` runs them; they are
//! ignored by a plain `cargo test` so that the course's own test suite passes before you start.
//!
//! No check sleeps to wait for a stage. The source counts every item it hands out, the sink every
//! item it finishes, and the first item stays in the sink until the pipeline is as full as its
//! channels allow: from these counts the checks know exactly how many items were in flight. The
//! capacities change on every run (a seeded generator: the seed is in every failure message, and
//! `COURSE_SEED=<seed>` runs the same ones again). An endless source ends after all when the
//! pipeline misbehaves (items read for nobody, or given to a sink that said stop), so that a
//! wrong answer ends and is told why. Only the checks of waiting sleep: a slow source or sink,
//! while the CPU time shows whether the other stages wait asleep.

use std::panic::{self, AssertUnwindSafe};
use std::sync::{Arc, Condvar, Mutex, MutexGuard, PoisonError};
use std::thread;
use std::time::Duration;

use course_checks::cpu::{self, SLEEPING_WAIT};
use course_checks::lesson_06::panic_message;
use course_checks::seeded::Seeded;

use super::{Counts, run_pipeline};

/// How long anything waits before the check gives up and says why. Generous: a pipeline moves
/// an item in microseconds.
const PATIENCE: Duration = Duration::from_secs(5);

/// How long the sink, holding the first item of a full pipeline, waits for one item too many to
/// be read: a pipeline with too much room reads it in microseconds, a correct one never.
const OVERFILL_PATIENCE: Duration = Duration::from_millis(300);

/// How long the stages may take to end once the sink is done (it has every item, or said
/// stop): the ends of the channels only have to be dropped. Generous too.
const RETURN_PATIENCE: Duration = Duration::from_secs(2);

/// How long a pipeline may take until its sink is done: longer than [`PATIENCE`], so that a sink
/// that gave up holding an item has gone on before the whole run is called stuck.
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
    /// When the sink has said stop: the most items a pipeline may have read by then. An endless
    /// source ends once more are read, or once the sink gets an item after it said stop.
    read_limit: Option<usize>,
    /// What the sink was given, in order.
    received: Vec<u64>,
    /// Whether `run_pipeline` has ended, and how.
    run: Run,
}

#[derive(Debug, Default, Clone)]
enum Run {
    #[default]
    Going,
    Returned(Counts),
    Panicked(String),
}

#[derive(Default)]
struct Shared {
    tally: Mutex<Tally>,
    changed: Condvar,
}

impl Shared {
    fn tally(&self) -> MutexGuard<'_, Tally> {
        self.tally.lock().unwrap_or_else(PoisonError::into_inner)
    }
}

/// A source of `0, 1, 2, …` that counts what it hands out; endless if `end` is `None` (as long
/// as the pipeline behaves). It takes `delay` to produce each item.
struct CountingSource {
    shared: Arc<Shared>,
    next: u64,
    end: Option<u64>,
    delay: Duration,
}

impl Iterator for CountingSource {
    type Item = u64;

    fn next(&mut self) -> Option<u64> {
        if self.end.is_some_and(|end| self.next >= end) {
            return None;
        }
        thread::sleep(self.delay);
        let mut tally = self.shared.tally();
        if tally.after_stop > 0 || tally.read_limit.is_some_and(|limit| tally.read > limit) {
            return None;
        }
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
        delay: Duration::ZERO,
    }
}

/// A sink that records what it gets and wants `wanted` items (`None`: all of them). With
/// `hold_first_until_read = Some(n)`, it keeps the first item until `n` items have been read.
/// It takes `delay` to take each item. `read_limit`: the most items the pipeline may have read
/// once the sink has said stop.
fn sink(
    shared: &Arc<Shared>,
    wanted: Option<usize>,
    hold_first_until_read: Option<usize>,
    delay: Duration,
    read_limit: usize,
) -> impl FnMut(u64) -> bool + Send + 'static {
    let shared = Arc::clone(shared);
    move |item| {
        thread::sleep(delay);
        let mut tally = shared.tally();
        if wanted.is_some_and(|wanted| tally.written >= wanted) {
            tally.after_stop += 1;
            shared.changed.notify_all(); // the check can fail at once
            return false;
        }
        if let (0, Some(full)) = (tally.written, hold_first_until_read) {
            // Until the pipeline is full; then a while longer, in which a correct one reads
            // nothing more, and one with too much room reads on.
            tally = shared
                .changed
                .wait_timeout_while(tally, PATIENCE, |tally| tally.read < full)
                .unwrap_or_else(PoisonError::into_inner)
                .0;
            tally = shared
                .changed
                .wait_timeout_while(tally, OVERFILL_PATIENCE, |tally| tally.read <= full)
                .unwrap_or_else(PoisonError::into_inner)
                .0;
        }
        tally.received.push(item);
        tally.written += 1;
        let more = wanted.is_none_or(|wanted| tally.written < wanted);
        if !more {
            tally.read_limit = Some(read_limit);
        }
        shared.changed.notify_all(); // the check waits for the sink to be done
        more
    }
}

/// Runs `run` on a thread of its own and waits until it has returned: for at most
/// [`RUN_PATIENCE`] until the sink has taken `items` items (`None`: until it said stop), then for
/// [`RETURN_PATIENCE`]; `None` if it has not returned.
fn run_with_patience(
    shared: &Arc<Shared>,
    items: Option<usize>,
    run: impl FnOnce() -> Counts + Send + 'static,
) -> Option<Counts> {
    let for_thread = Arc::clone(shared);
    thread::spawn(move || {
        let ran = panic::catch_unwind(AssertUnwindSafe(run));
        let mut tally = for_thread.tally();
        tally.run = match ran {
            Ok(counts) => Run::Returned(counts),
            Err(payload) => Run::Panicked(panic_message(&*payload)),
        };
        for_thread.changed.notify_all();
    });
    let going = |tally: &Tally| matches!(tally.run, Run::Going);
    let tally = shared.tally();
    let (tally, _) = shared
        .changed
        .wait_timeout_while(tally, RUN_PATIENCE, |tally| {
            let sink_done = match items {
                Some(items) => tally.written >= items,
                None => tally.read_limit.is_some(),
            };
            going(tally) && !sink_done && tally.after_stop == 0
        })
        .unwrap_or_else(PoisonError::into_inner);
    let (tally, _) = shared
        .changed
        .wait_timeout_while(tally, RETURN_PATIENCE, |tally| going(tally))
        .unwrap_or_else(PoisonError::into_inner);
    match &tally.run {
        Run::Panicked(message) => panic!("run_pipeline panicked: {message}"),
        Run::Returned(counts) => Some(*counts),
        Run::Going => None,
    }
}

/// The items a pipeline with two channels of `capacity` can hold at once: `capacity` in each
/// channel, one in the hands of each stage (the read stage's waits to be sent, the transform
/// stage's too, the write stage's is in the sink).
fn full(capacity: usize) -> usize {
    2 * capacity + 3
}

#[test]
#[ignore = "checked by cargo xtask verify"]
fn when_the_source_ends_every_item_arrives_once_in_order() {
    let mut seeded = Seeded::new();
    let seed = seeded.seed();
    for (capacity, items) in [(seeded.size(0, 6), seeded.size(20, 80)), (1, 0), (2, 1)] {
        let shared = Arc::new(Shared::default());
        let (from, to) = (
            source(&shared, Some(items as u64)),
            sink(&shared, None, None, Duration::ZERO, usize::MAX),
        );
        let counts = run_with_patience(&shared, Some(items), move || {
            run_pipeline(capacity, from, |n| n * 10, to)
        })
        .unwrap_or_else(|| {
            panic!(
                "run_pipeline did not return within {RETURN_PATIENCE:?} after the sink had taken \
                 all {items} items of its source (capacity {capacity}, seed {seed}): each stage ends when its input \
                 ends, and its Sender is dropped when it returns"
            )
        });
        let tally = shared.tally();
        let expected: Vec<u64> = (0..items as u64).map(|n| n * 10).collect();
        assert!(
            tally.received == expected,
            "the sink must get every item once, transformed, in the order of the source: {items} \
             items (capacity {capacity}, seed {seed}) gave {:?}",
            tally.received
        );
        assert_eq!(
            counts,
            Counts {
                read: items,
                transformed: items,
                written: items
            },
            "the counts must say what each stage passed on ({items} items, capacity {capacity}, \
             seed {seed})"
        );
    }
}

#[test]
#[ignore = "checked by cargo xtask verify"]
fn when_the_sink_stops_every_stage_stops_even_with_an_endless_source() {
    let mut seeded = Seeded::new();
    let seed = seeded.seed();
    for capacity in [seeded.size(2, 6), 0] {
        let wanted = seeded.size(2, 8);
        let shared = Arc::new(Shared::default());
        // The items the sink took, and at most `capacity` in each channel and one held by each
        // earlier stage.
        let most = wanted + 2 * capacity + 2;
        let (from, to) = (
            source(&shared, None),
            sink(&shared, Some(wanted), None, Duration::ZERO, most),
        );
        let counts = run_with_patience(&shared, None, move || {
            run_pipeline(capacity, from, |n| n * 10, to)
        });
        let tally = shared.tally();
        let inputs = format!("capacity {capacity}, seed {seed}");
        assert!(
            tally.after_stop == 0,
            "the write stage handed the sink more items after it returned false ({inputs}): stop \
             there, so that dropping the Receiver tells the stages before it"
        );
        assert!(
            tally.read <= most,
            "after the sink had taken {wanted} items and returned false, the read stage kept \
             reading its endless source ({} items read so far, at most {most} can be with channels \
             of {inputs}): a send that fails means the next stage has gone; stop then",
            tally.read
        );
        let Some(counts) = counts else {
            panic!(
                "the sink stopped after {wanted} items, yet run_pipeline had not returned \
                 {RETURN_PATIENCE:?} later ({inputs}): every stage must end once the one after it \
                 has gone"
            );
        };
        let expected: Vec<u64> = (0..wanted as u64).map(|n| n * 10).collect();
        assert_eq!(tally.received, expected, "({inputs})");
        assert!(
            counts.written == wanted,
            "the sink took {wanted} items, the last one returning false, but the write stage \
             reported {} ({inputs}): count every item handed to the sink",
            counts.written
        );
        // The read stage took one item more than it sent: the one whose send failed.
        assert!(
            counts.read + 1 == tally.read,
            "the read stage reported {} items sent, but {} of the {} it took from the source \
             were sent ({inputs}): the last one's send failed, and a failed send is not counted",
            counts.read,
            tally.read - 1,
            tally.read
        );
    }
}

#[test]
#[ignore = "checked by cargo xtask verify"]
fn items_in_flight_never_exceed_what_the_channels_hold() {
    let mut seeded = Seeded::new();
    let seed = seeded.seed();
    for capacity in [0, 1, seeded.size(2, 6)] {
        let full = full(capacity);
        let shared = Arc::new(Shared::default());
        let (from, to) = (
            source(&shared, Some(100)),
            sink(&shared, None, Some(full), Duration::ZERO, usize::MAX),
        );
        let counts = run_with_patience(&shared, Some(100), move || {
            run_pipeline(capacity, from, |n| n + 1, to)
        });
        let tally = shared.tally();
        assert!(
            tally.most_in_flight <= full,
            "{} items were in flight at once (read, not yet written); with two channels of \
             capacity {capacity} at most {full} can be (seed {seed}): pass every item on as soon \
             as you have it (no stage may collect its input first), and use \
             sync_channel(capacity)",
            tally.most_in_flight
        );
        assert!(
            tally.most_in_flight == full,
            "while the sink held the first item, only {} items were read; two channels of \
             capacity {capacity} hold {full} with the item in the sink and one in each stage's \
             hands (seed {seed}): use sync_channel(capacity)",
            tally.most_in_flight
        );
        let counts = counts.unwrap_or_else(|| {
            panic!(
                "run_pipeline did not return once the sink had every item (capacity {capacity}, \
                 seed {seed}): each stage ends when its input ends, and its Sender is dropped \
                 when it returns"
            )
        });
        assert_eq!(counts.written, 100, "{counts:?}");
    }
}

/// Runs a pipeline of `items` items whose source or sink is slow, and says how busy the process
/// kept the cores meanwhile.
fn cores_busy_with(items: usize, slow_source: Duration, slow_sink: Duration) -> f64 {
    let shared = Arc::new(Shared::default());
    let mut from = source(&shared, Some(items as u64));
    from.delay = slow_source;
    let to = sink(&shared, None, None, slow_sink, usize::MAX);
    let (counts, cost) = cpu::measure(|| {
        run_with_patience(&shared, Some(items), move || {
            run_pipeline(1, from, |n| n, to)
        })
    });
    let counts = counts.unwrap_or_else(|| {
        panic!(
            "run_pipeline did not return within {RETURN_PATIENCE:?} once the sink had every \
             item: each stage ends when its input ends, and its Sender is dropped when it returns"
        )
    });
    assert_eq!(counts.written, items, "{counts:?}");
    cost.cores_busy()
}

#[test]
#[ignore = "checked by cargo xtask verify"]
fn a_stage_that_waits_sleeps_instead_of_polling() {
    // A slow source or sink sleeps: that is its work, not a way to order anything.
    let pause = Duration::from_millis(20);
    let busy = cores_busy_with(20, pause, Duration::ZERO);
    assert!(
        busy < SLEEPING_WAIT,
        "while the source was slow, the stages kept {busy:.2} cores busy waiting for items: a \
         stage polls its input, such as a loop on `try_recv` that tries again at once. `recv` \
         (or a `for` loop over the Receiver) sleeps until an item comes"
    );
    let busy = cores_busy_with(20, Duration::ZERO, pause);
    assert!(
        busy < SLEEPING_WAIT,
        "while the sink was slow, the stages kept {busy:.2} cores busy waiting for room: a stage \
         polls its output, such as a loop on `try_send` that tries again while the channel is \
         full. `send` on a full sync_channel sleeps until there is room"
    );
}
