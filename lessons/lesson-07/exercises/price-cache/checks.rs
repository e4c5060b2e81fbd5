//! The checks of `price-cache`. `cargo xtask verify price-cache` runs them; they are ignored by a
//! plain `cargo test` so that the course's own test suite passes before you start.
//!
//! Each check is a loom model: loom runs the closure again and again, once for every way the
//! threads' steps can interleave (up to a bound that keeps each check to a few seconds). When
//! every thread of an interleaving waits and none can go on, loom fails with "deadlock".

use std::sync::atomic::Ordering;

use loom::sync::Arc;
use loom::thread;

use super::PriceCache;

#[path = "../../../loom_checks.rs"]
mod loom_checks;
use loom_checks::{assert_is_looms, explore, run_once};

/// Runs `model` under loom (bounded, so that a right answer passes in seconds; see
/// `lessons/loom_checks.rs`), after making sure that your file's `RwLock` is loom's. With `threads`,
/// loom must also have tried more than one interleaving; a model of one thread runs once.
fn check(threads: bool, model: impl Fn() + Sync + Send + 'static) {
    assert_is_looms::<super::RwLock<()>>("RwLock", "use loom::sync::RwLock;");
    if threads {
        explore(model);
    } else {
        run_once(model);
    }
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
            assert_eq!(asker.join().unwrap(), 3);
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
        assert_eq!(coffee, 5);
        assert_eq!(
            cache.get_or_load("tea", || 99),
            4,
            "the writer's price is kept"
        );
    });
}
