//! Lesson 08: atomics and memory ordering. Run it with `cargo run -p lesson-08`; `--help` lists
//! the flags.
mod cli;
mod counters;
mod flag;
mod spin_lock;
mod sync;

use std::sync::atomic::Ordering::{self, Acquire, Relaxed, Release};
use std::time::Instant;

use cli::{Args, Part};
use counters::{
    TakeTicket, Tickets, count_statistics, count_with_mutex, count_with_spin_lock,
    hand_out_tickets, job_size,
};
use flag::{PUBLISHED, publish_and_read};
use spin_lock::ACQUIRE_RELEASE;

// ANCHOR: publish
fn publish_through_a_flag(tries: u32) {
    println!(
        "A writer stores {PUBLISHED}, then raises a flag; a reader waits for the flag, then reads."
    );
    println!(
        "Release / Acquire: the reader saw old data in {} of {tries} runs",
        stale_reads(Release, Acquire, tries)
    );
    println!(
        "Relaxed / Relaxed: the reader saw old data in {} of {tries} runs, this time",
        stale_reads(Relaxed, Relaxed, tries)
    );
    println!("No number of runs proves an ordering right: loom's verdict on both is in the book,");
    println!("and `cargo test --workspace --test loom_model` checks it again.");
}

/// How many of `tries` runs read the mailbox's old 0 after seeing the flag.
fn stale_reads(flag_store: Ordering, flag_load: Ordering, tries: u32) -> usize {
    (0..tries)
        .filter(|_| publish_and_read(flag_store, flag_load) != PUBLISHED)
        .count()
}
// ANCHOR_END: publish

// ANCHOR: spin_lock
fn spin_lock_against_mutex(threads: u32, increments: u64) {
    println!("Each thread takes the lock {increments} times and adds one under it.");
    let mut thread_counts = vec![1, 2, threads];
    thread_counts.dedup();
    for k in thread_counts {
        let expected = u64::from(k) * increments;
        let started = Instant::now();
        let spun = count_with_spin_lock(ACQUIRE_RELEASE, k, increments);
        let spin_time = started.elapsed();
        let started = Instant::now();
        let locked = count_with_mutex(k, increments);
        let mutex_time = started.elapsed();
        let verdict = if spun == expected && locked == expected {
            "right"
        } else {
            "WRONG"
        };
        println!(
            "{k} thread(s): both counted {expected} ({verdict}); spin lock {spin_time:.1?}, \
             Mutex {mutex_time:.1?}, ×{:.2}",
            spin_time.as_secs_f64() / mutex_time.as_secs_f64()
        );
    }
}
// ANCHOR_END: spin_lock

// ANCHOR: statistics
fn count_jobs_and_bytes(threads: u32, jobs_each: u64) {
    let (jobs, bytes) = count_statistics(threads, jobs_each);
    let expected_jobs = u64::from(threads) * jobs_each;
    let expected_bytes: u64 = (0..expected_jobs).map(job_size).sum();
    println!("{threads} threads did {jobs_each} jobs each, counted with fetch_add(Relaxed).");
    println!(
        "after join: {jobs} jobs, {bytes} bytes (expected {expected_jobs} jobs, {expected_bytes} bytes)"
    );
}
// ANCHOR_END: statistics

// ANCHOR: tickets
const TICKETS: u32 = 10;
const ASKS_EACH: u32 = 5;

fn hand_out_ten_tickets(threads: u32) {
    println!("{threads} threads ask {ASKS_EACH} times each for one of {TICKETS} tickets.");
    let asked = threads * ASKS_EACH;
    let ways: [(&str, TakeTicket); 2] = [
        (
            "compare_exchange loop:",
            Tickets::take_with_compare_exchange,
        ),
        ("fetch_update:", Tickets::take_with_fetch_update),
    ];
    for (name, take) in ways {
        let granted = hand_out_tickets(take, TICKETS, threads, ASKS_EACH);
        // Sorted, the numbers handed out must be 0, 1, 2, … with none missing and none twice.
        let each_once = granted.iter().copied().eq(0..TICKETS.min(asked));
        println!(
            "{name:<23} {} granted, {} refused, every number {}",
            granted.len(),
            asked as usize - granted.len(),
            if each_once { "once" } else { "NOT once" }
        );
    }
}
// ANCHOR_END: tickets

fn main() {
    let args = Args::parse();
    for part in args.parts.announced() {
        match part {
            Part::Publish => publish_through_a_flag(args.tries),
            Part::SpinLock => spin_lock_against_mutex(args.threads, args.increments),
            Part::Statistics => count_jobs_and_bytes(args.threads, args.increments),
            Part::CompareExchange => hand_out_ten_tickets(args.threads),
        }
    }
}
