//! The rounds of the Mutex-or-RwLock measurement, and what the lesson prints about them: each
//! lock's median time, the `RwLock`'s time over the `Mutex`'s round by round (its median and its
//! range), and in how many rounds the `RwLock` was faster. Kept apart from `mutex_vs_rwlock.rs`,
//! which is the listing the book shows.

use std::time::Duration;

use course_progress::Spinner;

/// One round: the same workload timed behind a `Mutex`, then behind an `RwLock`.
#[derive(Debug, Clone, Copy)]
pub struct Round {
    pub mutex: Duration,
    pub rwlock: Duration,
}

impl Round {
    /// The `RwLock`'s time over the `Mutex`'s: below 1, the `RwLock` was faster in this round.
    fn ratio(self) -> f64 {
        self.rwlock.as_secs_f64() / self.mutex.as_secs_f64().max(1e-9)
    }
}

/// Runs `round` `count` times. On a terminal a spinner says which round is running: on a busy
/// machine the rounds can take seconds.
pub fn run(count: usize, mut round: impl FnMut() -> Round) -> Vec<Round> {
    (1..=count)
        .map(|n| {
            let _spinner = Spinner::start(format!("  round {n} of {count}"));
            round()
        })
        .collect()
}

/// Prints what the rounds show: a single round proves nothing on a busy machine, so the lesson
/// prints medians and the whole range of the ratio, and lets the reader see the spread.
pub fn report(rounds: &[Round]) {
    let mut mutex: Vec<Duration> = rounds.iter().map(|round| round.mutex).collect();
    let mut rwlock: Vec<Duration> = rounds.iter().map(|round| round.rwlock).collect();
    let mut ratios: Vec<f64> = rounds.iter().map(|round| round.ratio()).collect();
    mutex.sort();
    rwlock.sort();
    ratios.sort_by(f64::total_cmp);
    let middle = rounds.len() / 2;
    let (Some(lowest), Some(highest)) = (ratios.first(), ratios.last()) else {
        return;
    };
    let faster = rounds
        .iter()
        .filter(|round| round.rwlock < round.mutex)
        .count();
    println!("  Mutex:  median {:.1?}", mutex[middle]);
    println!("  RwLock: median {:.1?}", rwlock[middle]);
    println!(
        "  RwLock ÷ Mutex, round by round: median ×{:.2}, from ×{lowest:.2} to ×{highest:.2}",
        ratios[middle]
    );
    println!(
        "  the RwLock was faster in {faster} of {} rounds",
        rounds.len()
    );
}
