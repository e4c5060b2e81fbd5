//! The checks of `bounded-queue`. `cargo xtask verify bounded-queue` runs them; they are ignored
//! by a plain `cargo test` so that the course's own test suite passes before you start.
//!
//! Each check is a loom model: loom runs the closure again and again, once for every way the
//! threads' steps can interleave (up to a bound that keeps each check to a few seconds), and
//! fails on the first interleaving that breaks an assertion. When every thread of an
//! interleaving waits and none can go on, loom fails with "deadlock": a wake-up was lost.

use loom::sync::Arc;
use loom::thread;

use super::BoundedQueue;

#[path = "../../../loom_checks.rs"]
#[allow(
    dead_code,
    reason = "shared by the loom exercises; this one runs no single-thread model"
)]
mod loom_checks;
use loom_checks::{assert_is_looms, explore};

/// Runs `model` under loom (bounded, so that a right answer passes in seconds; see
/// `lessons/loom_checks.rs`), after making sure that your file's `Mutex` and `Condvar` are loom's:
/// with std's, loom could not pause your code, and a blocked std `Condvar` would stop it for good.
fn check(model: impl Fn() + Sync + Send + 'static) {
    let import = "use loom::sync::{Condvar, Mutex};";
    assert_is_looms::<super::Mutex<()>>("Mutex", import);
    assert_is_looms::<super::Condvar>("Condvar", import);
    explore(model);
}

#[test]
#[ignore = "checked by cargo xtask verify"]
fn two_consumers_never_take_from_an_empty_queue() {
    check(|| {
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
    });
}

#[test]
#[ignore = "checked by cargo xtask verify"]
fn two_producers_never_overfill_the_queue() {
    check(|| {
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
                            "the queue of capacity 1 held {held} items: a producer was woken up \
                             and pushed without checking again that there was room"
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
    });
}

#[test]
#[ignore = "checked by cargo xtask verify"]
fn one_producer_one_consumer_in_order_with_nothing_lost() {
    check(|| {
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
    });
}
