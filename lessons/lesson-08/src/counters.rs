//! Counters shared by threads: behind a spin lock or a `Mutex`, statistics with `fetch_add`, and
//! a limited supply of tickets handed out with compare-exchange.
//!
//! Written once against `crate::sync`, so the loom tests check this same file.

use crate::spin_lock::{LockOrderings, LockedCounter};
use crate::sync::atomic::{AtomicU32, AtomicU64, Ordering};
use crate::sync::{Arc, Mutex, thread};

/// Runs `work(shared, thread_index)` on `threads` threads at once and returns their results in
/// thread order.
pub fn on_threads<T, R>(
    threads: u32,
    shared: &Arc<T>,
    work: impl Fn(&T, u32) -> R + Send + Copy + 'static,
) -> Vec<R>
where
    T: Send + Sync + 'static,
    R: Send + 'static,
{
    let handles: Vec<_> = (0..threads)
        .map(|index| {
            let shared = Arc::clone(shared);
            thread::spawn(move || work(&shared, index))
        })
        .collect();
    handles
        .into_iter()
        .map(|handle| handle.join().unwrap())
        .collect()
}

// ANCHOR: spin_vs_mutex
/// Every thread adds one `increments` times to a count behind a spin lock.
pub fn count_with_spin_lock(orderings: LockOrderings, threads: u32, increments: u64) -> u64 {
    let counter = Arc::new(LockedCounter::new(orderings));
    on_threads(threads, &counter, move |counter, _| {
        for _ in 0..increments {
            counter.add_one();
        }
    });
    counter.count()
}

/// The same, behind a `Mutex`.
pub fn count_with_mutex(threads: u32, increments: u64) -> u64 {
    let counter = Arc::new(Mutex::new(0_u64));
    on_threads(threads, &counter, move |counter, _| {
        for _ in 0..increments {
            *counter.lock().unwrap() += 1;
        }
    });
    *counter.lock().unwrap()
}
// ANCHOR_END: spin_vs_mutex

// ANCHOR: statistics
/// Totals that worker threads add to as they go. Nothing else is published through them.
#[derive(Debug)]
pub struct Statistics {
    jobs: AtomicU64,
    bytes: AtomicU64,
}

impl Statistics {
    pub fn new() -> Self {
        Self {
            jobs: AtomicU64::new(0),
            bytes: AtomicU64::new(0),
        }
    }

    /// Counts one job of `size` bytes. `fetch_add` loses no addition, whatever the ordering.
    pub fn record(&self, size: u64) {
        self.bytes.fetch_add(size, Ordering::Relaxed);
        self.jobs.fetch_add(1, Ordering::Relaxed);
    }

    /// (jobs, bytes): each total read at its own moment, so not a snapshot of both.
    pub fn read(&self) -> (u64, u64) {
        (
            self.jobs.load(Ordering::Relaxed),
            self.bytes.load(Ordering::Relaxed),
        )
    }
}

/// The size of job `job`: something for the statistics to add up.
pub fn job_size(job: u64) -> u64 {
    job % 7 + 1
}

/// `threads` workers each do `jobs_each` jobs and count them; returns (jobs, bytes) after join.
pub fn count_statistics(threads: u32, jobs_each: u64) -> (u64, u64) {
    let stats = Arc::new(Statistics::new());
    on_threads(threads, &stats, move |stats, index| {
        for job in 0..jobs_each {
            stats.record(job_size(u64::from(index) * jobs_each + job));
        }
    });
    // join() happens-before this line: every worker's additions are visible, whatever ordering.
    stats.read()
}
// ANCHOR_END: statistics

impl Default for Statistics {
    fn default() -> Self {
        Self::new()
    }
}

// ANCHOR: tickets
/// `limit` numbered tickets; every thread may ask for one, none may be handed out twice.
#[derive(Debug)]
pub struct Tickets {
    taken: AtomicU32,
    limit: u32,
}

impl Tickets {
    pub fn new(limit: u32) -> Self {
        Self {
            taken: AtomicU32::new(0),
            limit,
        }
    }

    /// A compare-exchange loop: read, decide, and write only if nobody changed it meanwhile.
    pub fn take_with_compare_exchange(&self) -> Option<u32> {
        let mut taken = self.taken.load(Ordering::Relaxed);
        loop {
            if taken == self.limit {
                return None;
            }
            match self.taken.compare_exchange_weak(
                taken,
                taken + 1,
                Ordering::Relaxed,
                Ordering::Relaxed,
            ) {
                Ok(_) => return Some(taken),
                Err(now) => taken = now, // somebody was faster: decide again on what is there now
            }
        }
    }

    /// The same loop, written by `fetch_update`.
    pub fn take_with_fetch_update(&self) -> Option<u32> {
        self.taken
            .fetch_update(Ordering::Relaxed, Ordering::Relaxed, |taken| {
                (taken < self.limit).then_some(taken + 1)
            })
            .ok()
    }
}
// ANCHOR_END: tickets

// ANCHOR: check_then_add
impl Tickets {
    /// Wrong: the check and the addition are two steps, so two threads can both pass the check.
    #[allow(
        dead_code,
        reason = "the loom tests show it going wrong; the lesson runs the fixes"
    )]
    pub fn take_with_check_then_add(&self) -> Option<u32> {
        if self.taken.load(Ordering::Relaxed) < self.limit {
            Some(self.taken.fetch_add(1, Ordering::Relaxed))
        } else {
            None
        }
    }
}
// ANCHOR_END: check_then_add

/// How a thread asks for a ticket.
pub type TakeTicket = fn(&Tickets) -> Option<u32>;

/// `threads` threads each ask `asks_each` times for one of `limit` tickets. Returns every
/// ticket number handed out, sorted.
pub fn hand_out_tickets(take: TakeTicket, limit: u32, threads: u32, asks_each: u32) -> Vec<u32> {
    let tickets = Arc::new(Tickets::new(limit));
    let mut granted: Vec<u32> = on_threads(threads, &tickets, move |tickets, _| {
        (0..asks_each)
            .filter_map(|_| take(tickets))
            .collect::<Vec<_>>()
    })
    .into_iter()
    .flatten()
    .collect();
    granted.sort_unstable();
    granted
}
