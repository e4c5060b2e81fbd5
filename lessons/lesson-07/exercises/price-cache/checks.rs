//! The checks of `price-cache`. `cargo xtask verify price-cache` runs them; they are ignored by a
//! plain `cargo test` so that the course's own test suite passes before you start.
//!
//! Each check is a loom model: loom runs the closure again and again, once for every way the
//! threads' steps can interleave (up to a bound that keeps each check to a few seconds). When
//! every thread of an interleaving waits and none can go on, loom fails with "deadlock".

use std::panic::{self, AssertUnwindSafe};
use std::sync::atomic::Ordering;

use loom::sync::Arc;
use loom::thread;

use super::PriceCache;

use course_checks::file_under_check;
use course_checks::loom::{assert_is_looms, explore, run_once};

/// Runs `model` under loom (bounded, so that a right answer passes in seconds; see
/// `course_checks::loom`, in `lessons/checks`), after making sure that your file's `RwLock` is loom's. With `threads`,
/// loom must also have tried more than one interleaving; a model of one thread runs once.
fn check(threads: bool, model: impl Fn() + Sync + Send + 'static) {
    assert_is_looms::<super::RwLock<()>>(&file_under_check!(), "RwLock", "use loom::sync::RwLock;");
    if threads {
        explore(model);
    } else {
        run_once(model);
    }
}

/// Whether loom's coroutines have run once (see `check_stuck`'s hook).
static COROUTINES_READY: std::sync::Once = std::sync::Once::new();

/// Runs `model` once under loom (its outcome does not depend on the interleaving), and when every
/// thread of it waits, fails with `if_stuck` instead of loom's own report.
fn check_stuck(if_stuck: &str, model: impl Fn() + Sync + Send + 'static) {
    // The hook in place keeps quiet the unwinding of loom's coroutines, which they install the
    // first time one runs: run one first, so that this hook is in place and stays.
    COROUTINES_READY.call_once(|| loom::model(|| {}));
    let previous = std::sync::Arc::new(panic::take_hook());
    let kept = std::sync::Arc::clone(&previous);
    panic::set_hook(Box::new(move |info| {
        if !payload_text(info.payload()).starts_with("deadlock") {
            kept(info);
        }
    }));
    let outcome = panic::catch_unwind(AssertUnwindSafe(|| check(false, model)));
    panic::set_hook(Box::new(move |info| previous(info)));
    if let Err(payload) = outcome {
        assert!(
            !payload_text(&*payload).starts_with("deadlock"),
            "{if_stuck}"
        );
        panic::resume_unwind(payload);
    }
}

fn payload_text(payload: &(dyn std::any::Any + Send)) -> &str {
    payload
        .downcast_ref::<String>()
        .map(String::as_str)
        .or_else(|| payload.downcast_ref::<&str>().copied())
        .unwrap_or_default()
}

#[test]
#[ignore = "checked by cargo xtask verify"]
fn a_missing_price_is_loaded_and_kept() {
    check(false, || {
        let cache = PriceCache::new();
        assert_eq!(cache.get_or_load("tea", || 3), 3, "the loaded price");
        assert_eq!(
            cache.get_or_load("tea", || 99),
            3,
            "the second time, the price comes from the cache, not from load"
        );
    });
}

#[test]
#[ignore = "checked by cargo xtask verify"]
fn a_few_items_each_keep_their_own_price_even_0() {
    check(false, || {
        let cache = PriceCache::new();
        let loads = std::cell::Cell::new(0);
        let asked = [
            ("tea", 3),
            ("water", 0),
            ("coffee", 5),
            ("water", 7),
            ("tea", 8),
        ];
        let got: Vec<u64> = asked
            .iter()
            .map(|&(item, price)| {
                cache.get_or_load(item, || {
                    loads.set(loads.get() + 1);
                    price
                })
            })
            .collect();
        assert_eq!(
            got,
            [3, 0, 5, 0, 3],
            "asked for {asked:?} (item, the price load would give): each item is loaded once and \
             keeps its price, 0 included (a price of 0 is a price, not a missing one)"
        );
        assert_eq!(loads.get(), 3, "three items, three loads");
    });
}

#[test]
#[ignore = "checked by cargo xtask verify"]
fn a_cached_price_is_read_under_a_shared_read_lock() {
    check_stuck(
        "While another thread held a read lock of the cache, `get_or_load` of a price already in \
         the cache waited, for ever: it asked for the write lock, which waits until every reader \
         has left. An `RwLock` lets any number of readers in at once; that is its point. Look a \
         price up under the read lock, `self.prices.read()`, and take the write lock only for a \
         price that is missing.",
        || {
            // std's `Arc`: when loom stops a run in which every thread waits, values it tracks
            // must not call back into it while they are dropped.
            let cache = std::sync::Arc::new(PriceCache::new());
            cache.set_price("tea", 3);
            let reading = cache.prices.read().unwrap();
            let asker = {
                let cache = std::sync::Arc::clone(&cache);
                thread::spawn(move || cache.get_or_load("tea", || 99))
            };
            let price = asker.join().unwrap();
            drop(reading);
            assert_eq!(price, 3, "the cached price of tea");
        },
    );
}

#[test]
#[ignore = "checked by cargo xtask verify"]
fn two_threads_asking_at_once_load_it_once() {
    check(true, || {
        let cache = Arc::new(PriceCache::new());
        let loads = Arc::new(loom::sync::atomic::AtomicUsize::new(0));
        let askers: Vec<_> = (0..2)
            .map(|_| {
                let (cache, loads) = (Arc::clone(&cache), Arc::clone(&loads));
                thread::spawn(move || {
                    cache.get_or_load("tea", || {
                        loads.fetch_add(1, Ordering::Relaxed);
                        3
                    })
                })
            })
            .collect();
        for asker in askers {
            assert_eq!(
                asker.join().unwrap(),
                3,
                "each thread gets the price of tea that was loaded"
            );
        }
        let loads = loads.load(Ordering::Relaxed);
        assert_eq!(
            loads, 1,
            "the price of tea was loaded {loads} times: after taking the write lock, look in the \
             cache again, another thread may have loaded it in the meantime"
        );
    });
}

#[test]
#[ignore = "checked by cargo xtask verify"]
fn a_writer_and_a_reader_both_finish() {
    check(true, || {
        let cache = Arc::new(PriceCache::new());
        cache.set_price("tea", 3);
        let writer = {
            let cache = Arc::clone(&cache);
            thread::spawn(move || cache.set_price("tea", 4))
        };
        let price = cache.get_or_load("tea", || 99);
        let coffee = cache.get_or_load("coffee", || 5);
        writer.join().unwrap();
        assert!(
            price == 3 || price == 4,
            "a cached price is read, not loaded: got {price}"
        );
        assert_eq!(
            coffee, 5,
            "coffee, never asked for before, gets the price its load gives: each item has a \
             price of its own"
        );
        assert_eq!(
            cache.get_or_load("tea", || 99),
            4,
            "the writer's price is kept"
        );
    });
}
