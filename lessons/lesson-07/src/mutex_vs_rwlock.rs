//! Part 2: the same readers and writer behind a `Mutex`, then behind an `RwLock`, timed.

use std::hint::black_box;
use std::sync::{Mutex, RwLock};
use std::thread;
use std::time::{Duration, Instant};

use crate::rounds::{self, Round};

// ANCHOR: measure
const PRICES: usize = 1024;
/// The writer changes one price once per this many lookups of one reader.
const WRITE_EVERY: u32 = 100;

/// `readers` threads each call `read` `lookups` times while one writer calls `write`; how long
/// until all of them are done.
fn time_readers_and_a_writer(
    readers: u32,
    lookups: u32,
    read: impl Fn(usize) -> u64 + Sync,
    write: impl Fn(usize) + Sync,
) -> Duration {
    let started = Instant::now();
    thread::scope(|s| {
        for reader in 0..readers as usize {
            let read = &read;
            s.spawn(move || {
                let seen = (0..lookups as usize).map(|i| read(reader + i * 7));
                black_box(seen.fold(0, u64::wrapping_add)) // keep the work from being optimised away
            });
        }
        s.spawn(|| (0..lookups / WRITE_EVERY).for_each(|i| write(i as usize)));
    });
    started.elapsed()
}

/// The same workload behind a `Mutex` and behind an `RwLock`; a read sums `span` prices.
fn mutex_then_rwlock(readers: u32, lookups: u32, span: usize) -> Round {
    let sum = move |prices: &[u64], at: usize| (0..span).map(|k| prices[(at + k) % PRICES]).sum();
    let table = Mutex::new(vec![1_u64; PRICES]);
    let mutex = time_readers_and_a_writer(
        readers,
        lookups,
        |at| sum(&table.lock().unwrap(), at), // one reader at a time
        |at| table.lock().unwrap()[at % PRICES] += 1,
    );
    let table = RwLock::new(vec![1_u64; PRICES]);
    let rwlock = time_readers_and_a_writer(
        readers,
        lookups,
        |at| sum(&table.read().unwrap(), at), // any number of readers at once
        |at| table.write().unwrap()[at % PRICES] += 1,
    );
    Round { mutex, rwlock }
}

/// One run proves nothing on a busy machine: both locks are timed in turn, round after round.
const ROUNDS: usize = 7;
/// A short read is quick, so each reader makes this many times more of them: enough to time.
const MORE_SHORT_READS: u32 = 10;

pub fn compare_mutex_and_rwlock(readers: u32, lookups: u32) {
    println!(
        "{readers} readers, 1 writer changing a price every {WRITE_EVERY} lookups; \
         {ROUNDS} rounds, the two locks in turn"
    );
    println!("long reads: {lookups} lookups each, summing all {PRICES} prices under the lock");
    let rounds = rounds::run(ROUNDS, || mutex_then_rwlock(readers, lookups, PRICES));
    rounds::report(&rounds);
    let lookups = lookups.saturating_mul(MORE_SHORT_READS);
    println!("short reads: {lookups} lookups each, reading 1 price under the lock");
    let rounds = rounds::run(ROUNDS, || mutex_then_rwlock(readers, lookups, 1));
    rounds::report(&rounds);
}
// ANCHOR_END: measure
