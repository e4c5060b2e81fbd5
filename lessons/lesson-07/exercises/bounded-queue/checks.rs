//! The checks of `bounded-queue`. `cargo xtask verify bounded-queue` runs them; they are ignored
//! by a plain `cargo test` so that the course's own test suite passes before you start.
//!
//! Each check is a loom model: loom runs the closure again and again, once for every way the
//! threads' steps can interleave (up to a bound that keeps each check to a few seconds), and
//! fails on the first interleaving that breaks an assertion. When every thread of an
//! interleaving waits and none can go on, a wake-up was lost (or a push waited with room left):
//! the check says which, with the lines of your file where the threads wait. Queues of capacity
//! 1 and 2 are tried, with two consumers or two producers waiting at once.

use std::fmt::Write as _;
use std::panic::{self, AssertUnwindSafe};
// std's `Arc`, not loom's: when loom stops a run in which every thread waits, values it tracks
// must not call back into it while they are dropped.
use std::sync::Arc;

use loom::thread;

use super::BoundedQueue;

use course_checks::file_under_check;
use course_checks::loom::{assert_is_looms, explore};

/// Whether a check has found a thread of the queue looping without sleeping.
static BUSY_WAITS: std::sync::atomic::AtomicBool = std::sync::atomic::AtomicBool::new(false);

fn busy_waits() -> bool {
    BUSY_WAITS.load(std::sync::atomic::Ordering::Relaxed)
}

/// Whether loom's coroutines have run once (see `check`'s hook).
static COROUTINES_READY: std::sync::Once = std::sync::Once::new();

/// Runs `model` under loom (bounded, so that a right answer passes in seconds; see
/// `course_checks::loom`, in `lessons/checks`), after making sure that your file's `Mutex` and `Condvar` are loom's:
/// with std's, loom could not pause your code, and a blocked std `Condvar` would stop it for good.
/// `scene` says what the model does, and `if_stuck` what it means when its threads all end up
/// waiting.
fn check(scene: &str, if_stuck: &str, model: impl Fn() + Sync + Send + 'static) {
    let import = "use loom::sync::{Condvar, Mutex};";
    assert_is_looms::<super::Mutex<()>>(&file_under_check!(), "Mutex", import);
    assert_is_looms::<super::Condvar>(&file_under_check!(), "Condvar", import);
    // A loop that never sleeps takes loom a thousand steps a run to give up on (and, with a
    // `yield_now` of std's, seconds on a busy machine): once seen, the other checks say so at once.
    assert!(!busy_waits(), "{}", busy_waiting(scene));
    // loom's own report of a run where every thread waits, or of a thread that never stops,
    // names loom's internals; the check says what it means for a queue instead.
    // The hook in place keeps quiet the unwinding of loom's coroutines, which they install the
    // first time one runs: run one first, so that this hook is in place and stays.
    COROUTINES_READY.call_once(|| loom::model(|| {}));
    let previous = Arc::new(panic::take_hook());
    let kept = Arc::clone(&previous);
    panic::set_hook(Box::new(move |info| {
        if !is_looms_report(payload_text(info.payload())) {
            kept(info);
        }
    }));
    let outcome = panic::catch_unwind(AssertUnwindSafe(|| explore(model)));
    panic::set_hook(Box::new(move |info| previous(info)));
    let Err(payload) = outcome else { return };
    let text = payload_text(&*payload);
    assert!(
        !text.starts_with("deadlock"),
        "{}",
        every_thread_waits(scene, if_stuck, text)
    );
    if text.contains("exceeded maximum number of branches") {
        BUSY_WAITS.store(true, std::sync::atomic::Ordering::Relaxed);
    }
    assert!(!busy_waits(), "{}", busy_waiting(scene));
    panic::resume_unwind(payload);
}

/// What a loop that never sleeps means for a queue.
fn busy_waiting(scene: &str) -> String {
    format!(
        "{scene}. A thread of your queue loops, taking the lock again and again while it \
             waits for the queue to change, and never sleeps (loom gave up on the run). A \
             blocking queue waits on its `Condvar` instead: in `pop`, \
             `items = self.not_empty.wait(items).unwrap();` lets the lock go and sleeps until \
             a push notifies `not_empty` (in `push`, `not_full` and a pop)"
    )
}

fn payload_text(payload: &(dyn std::any::Any + Send)) -> &str {
    payload
        .downcast_ref::<String>()
        .map(String::as_str)
        .or_else(|| payload.downcast_ref::<&str>().copied())
        .unwrap_or_default()
}

fn is_looms_report(text: &str) -> bool {
    text.starts_with("deadlock") || text.contains("exceeded maximum number of branches")
}

/// What a run in which every thread waits means, with the lines where the threads of your file
/// wait (loom's report names them).
fn every_thread_waits(scene: &str, if_stuck: &str, report: &str) -> String {
    let places = places_in_your_file(report);
    let on_a_condvar = places.iter().any(|(_, code)| code.contains(".wait"));
    let mut text = format!(
        "{scene}. In one run that loom tried, every thread ends up waiting and none is left to \
         wake the others:"
    );
    for (place, code) in &places {
        let _ = write!(text, "\n  a thread waits at {place}:  {code}");
    }
    text.push('\n');
    if on_a_condvar || places.is_empty() {
        text.push_str(if_stuck);
    } else {
        text.push_str(
            "Each waits for the lock: does a thread ask for `items` while it already holds it \
             (`self.len()` inside `push` or `pop`)?",
        );
    }
    text
}

/// `(file:line, code)` for each place in the exercise's files (not the checks) where loom's
/// report says a thread waits.
fn places_in_your_file(report: &str) -> Vec<(String, String)> {
    let mut places: Vec<(String, String)> = Vec::new();
    let mut rest = report;
    while let Some(start) = rest.find("file: \"") {
        rest = &rest[start + 7..];
        let Some(end) = rest.find('"') else { break };
        let file = &rest[..end];
        let line = rest[end..]
            .split("line: ")
            .nth(1)
            .and_then(|l| l.split(|c: char| !c.is_ascii_digit()).next())
            .and_then(|l| l.parse::<usize>().ok());
        let Some(line) = line else { continue };
        if file.starts_with('/') || file.ends_with("checks.rs") {
            continue;
        }
        let code = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
            .ancestors()
            .find_map(|dir| std::fs::read_to_string(dir.join(file)).ok())
            .and_then(|text| Some(text.lines().nth(line.checked_sub(1)?)?.trim().to_string()))
            .unwrap_or_default();
        let place = format!("{file}:{line}");
        if !places.iter().any(|(p, _)| *p == place) {
            places.push((place, code));
        }
    }
    places
}

/// What it means when the threads of a model all wait on a `Condvar`, and the rule it breaks.
const LOST_WAKE_UP: &str = "A wake-up was lost. Notify the other side after every change: `not_empty` after \
     each push and `not_full` after each pop, every time (not only when the queue was empty or \
     full before it); and a `Condvar` that both sides wait on needs `notify_all`, since \
     `notify_one` may wake a thread of the same side.";

#[test]
#[ignore = "checked by cargo xtask verify"]
fn two_consumers_never_take_from_an_empty_queue() {
    check(
        "Two consumers pop from a queue of capacity 1 while the main thread pushes 2 \
             items",
        LOST_WAKE_UP,
        || {
            let queue = Arc::new(BoundedQueue::new(1));
            let consumers: Vec<_> = (0..2)
                .map(|_| {
                    let queue = Arc::clone(&queue);
                    thread::spawn(move || queue.pop())
                })
                .collect();
            queue.push(1);
            queue.push(2);
            let mut got: Vec<i32> = consumers.into_iter().map(|c| c.join().unwrap()).collect();
            got.sort_unstable();
            assert_eq!(got, [1, 2], "two consumers, items 1 and 2: each got one");
        },
    );
}

#[test]
#[ignore = "checked by cargo xtask verify"]
fn two_producers_never_overfill_the_queue() {
    check(
        "Two producers push 3 items into a queue of capacity 1 while the main thread pops \
             them",
        LOST_WAKE_UP,
        || {
            let queue = Arc::new(BoundedQueue::new(1));
            let producers: Vec<_> = [vec![1, 2], vec![3]]
                .into_iter()
                .map(|items| {
                    let queue = Arc::clone(&queue);
                    thread::spawn(move || {
                        for item in items {
                            queue.push(item);
                            let held = queue.len();
                            assert!(
                                held <= 1,
                                "the queue of capacity 1 held {held} items: a producer was \
                                 woken up and pushed without checking again that there was room"
                            );
                        }
                    })
                })
                .collect();
            let mut got: Vec<i32> = (0..3).map(|_| queue.pop()).collect();
            for producer in producers {
                producer.join().unwrap();
            }
            got.sort_unstable();
            assert_eq!(got, [1, 2, 3], "every item pushed was popped once");
        },
    );
}

#[test]
#[ignore = "checked by cargo xtask verify"]
fn one_producer_one_consumer_in_order_with_nothing_lost() {
    check(
        "A consumer pops 3 items from a queue of capacity 1 while the main thread pushes \
             them",
        LOST_WAKE_UP,
        || {
            let queue = Arc::new(BoundedQueue::new(1));
            let consumer = {
                let queue = Arc::clone(&queue);
                thread::spawn(move || (0..3).map(|_| queue.pop()).collect::<Vec<i32>>())
            };
            for item in 1..=3 {
                queue.push(item);
            }
            let got = consumer.join().unwrap();
            assert_eq!(got, [1, 2, 3], "items come out in the order they went in");
            assert!(queue.is_empty(), "everything pushed was popped");
        },
    );
}

#[test]
#[ignore = "checked by cargo xtask verify"]
fn room_for_two_takes_two_items_without_waiting() {
    check(
        "Two threads push an item each into an empty queue of capacity 2, and nobody pops",
        "A push waited although the queue had room for its item: the queue is full when it \
         holds `self.capacity` items, not as soon as it holds one.",
        || {
            let queue = Arc::new(BoundedQueue::new(2));
            let producer = {
                let queue = Arc::clone(&queue);
                thread::spawn(move || queue.push(1))
            };
            queue.push(2);
            producer.join().unwrap();
            assert_eq!(
                queue.len(),
                2,
                "a queue of capacity 2 holds both items pushed"
            );
            let mut got = [queue.pop(), queue.pop()];
            got.sort_unstable();
            assert_eq!(got, [1, 2], "both items pushed come out");
        },
    );
}

#[test]
#[ignore = "checked by cargo xtask verify"]
fn two_consumers_waiting_on_room_for_two_are_both_woken() {
    check(
        "Two consumers wait on an empty queue of capacity 2 while the main thread pushes 2 \
             items: the second item must wake the second consumer, although the queue was not \
             empty when it came",
        LOST_WAKE_UP,
        || {
            let queue = Arc::new(BoundedQueue::new(2));
            let consumers: Vec<_> = (0..2)
                .map(|_| {
                    let queue = Arc::clone(&queue);
                    thread::spawn(move || queue.pop())
                })
                .collect();
            queue.push(1);
            queue.push(2);
            let mut got: Vec<i32> = consumers.into_iter().map(|c| c.join().unwrap()).collect();
            got.sort_unstable();
            assert_eq!(got, [1, 2], "two consumers, items 1 and 2: each got one");
        },
    );
}

#[test]
#[ignore = "checked by cargo xtask verify"]
fn two_producers_waiting_on_a_full_queue_of_two_are_both_woken() {
    check(
        "Two producers wait on a full queue of capacity 2 while the main thread pops 4 \
             items: the second pop must wake the second producer, although the queue was not \
             full when it came",
        LOST_WAKE_UP,
        || {
            let queue = Arc::new(BoundedQueue::new(2));
            queue.push(1);
            queue.push(2);
            let producers: Vec<_> = [3, 4]
                .into_iter()
                .map(|item| {
                    let queue = Arc::clone(&queue);
                    thread::spawn(move || queue.push(item))
                })
                .collect();
            let mut got: Vec<i32> = (0..4).map(|_| queue.pop()).collect();
            for producer in producers {
                producer.join().unwrap();
            }
            assert_eq!(got[..2], [1, 2], "the items pushed first come out first");
            got.sort_unstable();
            assert_eq!(got, [1, 2, 3, 4], "every item pushed was popped once");
        },
    );
}
