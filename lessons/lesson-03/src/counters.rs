//! A counter shared by several threads: the racy version and three fixes.
//!
//! Written once against `crate::sync`, so the loom tests check this same file.

use crate::sync::atomic::{AtomicU64, Ordering};
use crate::sync::{Arc, Mutex, thread};

// ANCHOR: split
/// Adds one in two steps — a load, then a store — and returns the value it stored.
/// `between` runs in the gap; a thread that loads the same value there makes one update vanish.
pub fn add_one_in_two_steps(counter: &AtomicU64, between: impl FnOnce(u64)) -> u64 {
    let seen = counter.load(Ordering::Relaxed); // step 1: read
    between(seen);
    counter.store(seen + 1, Ordering::Relaxed); // step 2: write back what we read, plus one
    seen + 1
}
// ANCHOR_END: split

// ANCHOR: on_threads
/// Runs `work` on `threads` threads at once, all sharing `shared`, and waits for every one.
fn on_threads<T: Send + Sync + 'static>(
    threads: u32,
    shared: &Arc<T>,
    work: impl Fn(&T) + Send + Copy + 'static,
) {
    let handles: Vec<_> = (0..threads)
        .map(|_| {
            let shared = Arc::clone(shared);
            thread::spawn(move || work(&shared))
        })
        .collect();
    for handle in handles {
        handle.join().unwrap();
    }
}
// ANCHOR_END: on_threads

// ANCHOR: racy
/// Every thread adds one `increments` times, in two steps. Compiles, runs, and loses updates.
pub fn count_in_two_steps(threads: u32, increments: u64) -> u64 {
    let counter = Arc::new(AtomicU64::new(0));
    on_threads(threads, &counter, move |counter| {
        for _ in 0..increments {
            // A little work between the steps widens the gap, so that threads on other cores
            // land in it often.
            add_one_in_two_steps(counter, |_| widen_the_gap());
        }
    });
    counter.load(Ordering::Relaxed)
}

/// About a microsecond of busy work: no sleep and no yield, so the lesson's speed does not depend
/// on what else the machine is running.
fn widen_the_gap() {
    for _ in 0..GAP_SPINS {
        std::hint::spin_loop();
    }
}

const GAP_SPINS: u32 = 64;
// ANCHOR_END: racy

// ANCHOR: fetch_add
/// Fix 1: `fetch_add` reads, adds and writes as one indivisible step.
pub fn count_with_fetch_add(threads: u32, increments: u64) -> u64 {
    let counter = Arc::new(AtomicU64::new(0));
    on_threads(threads, &counter, move |counter| {
        for _ in 0..increments {
            counter.fetch_add(1, Ordering::Relaxed);
        }
    });
    counter.load(Ordering::Relaxed)
}
// ANCHOR_END: fetch_add

// ANCHOR: mutex
/// Fix 2: one lock guard is held from the read to the write, so no other thread gets between.
pub fn count_with_mutex(threads: u32, increments: u64) -> u64 {
    let counter = Arc::new(Mutex::new(0));
    on_threads(threads, &counter, move |counter| {
        for _ in 0..increments {
            let mut count = counter.lock().unwrap();
            *count += 1;
        } // the guard is dropped here, at the end of each increment
    });
    *counter.lock().unwrap()
}
// ANCHOR_END: mutex

// ANCHOR: per_thread
/// Fix 3: share nothing. Each thread counts on its own; the sums are added after `join`.
pub fn count_with_per_thread_sums(threads: u32, increments: u64) -> u64 {
    let handles: Vec<_> = (0..threads)
        .map(|_| {
            thread::spawn(move || {
                let mut mine = 0;
                for _ in 0..increments {
                    mine += 1;
                }
                mine
            })
        })
        .collect();
    handles
        .into_iter()
        .map(|handle| handle.join().unwrap())
        .sum()
}
// ANCHOR_END: per_thread
