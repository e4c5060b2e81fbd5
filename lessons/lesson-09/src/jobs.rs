//! The lesson's scaffolding, kept out of `main.rs`: the uneven jobs of part 2 and how each
//! worker's busy time is measured, the numbers part 3 sorts, the merge step, a median timer, and
//! `--timeline`.

use std::hint::black_box;
use std::ops::Range;
use std::path::PathBuf;
use std::sync::{Mutex, OnceLock, PoisonError};
use std::time::{Duration, Instant};

use course_support::primes::count_primes;
use course_support::timeline::{self, Activity, Recorder};

/// How many jobs part 2 runs.
const JOBS: u64 = 64;

/// [`JOBS`] consecutive ranges covering about `0..limit`, the k-th one k² units long: the last job
/// is four thousand times the first, and half of all the work is in the last fifth of the jobs.
pub fn uneven_jobs(limit: u64) -> Vec<Range<u64>> {
    let squares: u64 = (1..=JOBS).map(|k| k * k).sum();
    let unit = (limit / squares).max(1);
    let mut start = 0;
    (1..=JOBS)
        .map(|k| {
            let job = start..start + unit * k * k;
            start = job.end;
            job
        })
        .collect()
}

/// How long each worker spent on jobs in one run, and (with `--timeline`) when.
#[derive(Debug)]
pub struct Busy {
    name: &'static str,
    row: &'static str,
    per_worker: Mutex<Vec<Duration>>,
}

impl Busy {
    /// A run called `name`, whose workers are printed as `row 1`, `row 2`, …
    pub fn new(workers: usize, name: &'static str, row: &'static str) -> Self {
        if let Some((recorder, _)) = TIMELINE.get() {
            recorder.start_part(name);
        }
        Busy {
            name,
            row,
            per_worker: Mutex::new(vec![Duration::ZERO; workers]),
        }
    }

    /// Counts the primes of `job` on worker `worker`, and adds the time it took to its busy time.
    pub fn time(&self, worker: usize, job: &Range<u64>) -> u64 {
        let started = Instant::now();
        let primes = count_primes(job.clone());
        let finished = Instant::now();
        if let Some(busy) = self.lock().get_mut(worker) {
            *busy += finished - started;
        }
        if let Some((recorder, _)) = TIMELINE.get() {
            let row = format!("{} {}", self.row, worker + 1);
            recorder.record(&row, Activity::Working, started, finished);
        }
        primes
    }

    /// Prints the run's wall time, then each worker's busy time (the wall-clock time its jobs
    /// took, waits for a core included) and idle time.
    pub fn report(&self, wall: Duration) {
        let per_worker = self.lock().clone();
        println!("{}: {wall:.3?}", self.name);
        for (index, busy) in per_worker.iter().enumerate() {
            let idle = wall.saturating_sub(*busy);
            println!(
                "  {} {}: busy {busy:.3?}, idle {idle:.3?}",
                self.row,
                index + 1
            );
        }
        if TIMELINE.get().is_some() {
            print_timeline(self.name);
        }
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, Vec<Duration>> {
        self.per_worker
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
    }
}

/// The spans of `--timeline` and the file they go to.
static TIMELINE: OnceLock<(Recorder, PathBuf)> = OnceLock::new();

/// With `--timeline FILE`, records which worker ran which job in part 2.
pub fn keep_timeline(file: Option<PathBuf>) {
    if let Some(file) = file {
        let _ = TIMELINE.set((Recorder::new(), file));
    }
}

fn print_timeline(run: &str) {
    if let Some((recorder, _)) = TIMELINE.get() {
        println!("  timeline (█ counting, blank: idle):");
        for line in timeline::text(&recorder.spans_of(run), 48).lines() {
            println!("    {line}");
        }
    }
}

/// Writes the timeline file, if `--timeline` asked for one and part 2 ran, and says where.
pub fn show_timeline() -> std::io::Result<()> {
    match TIMELINE.get() {
        Some((recorder, file)) if !recorder.spans().is_empty() => {
            timeline::write(
                file,
                "Lesson 09, measured: uneven jobs, an even split by hand and rayon",
                &recorder.spans(),
            )?;
            println!("{}", timeline::written_to(file));
            Ok(())
        }
        _ => Ok(()),
    }
}

/// `count` pseudo-random numbers, the same on every run (xorshift, fixed seed).
pub fn random_numbers(count: usize) -> Vec<u64> {
    let mut state: u64 = 0x2545_F491_4F6C_DD1D;
    (0..count)
        .map(|_| {
            state ^= state << 13;
            state ^= state >> 7;
            state ^= state << 17;
            state % 1_000_000
        })
        .collect()
}

/// The merge step of merge sort: two sorted slices into one sorted vector.
pub fn merge(left: &[u64], right: &[u64]) -> Vec<u64> {
    let mut merged = Vec::with_capacity(left.len() + right.len());
    let (mut i, mut j) = (0, 0);
    while i < left.len() && j < right.len() {
        if left[i] <= right[j] {
            merged.push(left[i]);
            i += 1;
        } else {
            merged.push(right[j]);
            j += 1;
        }
    }
    merged.extend_from_slice(&left[i..]);
    merged.extend_from_slice(&right[j..]);
    merged
}

/// The median time of 101 runs of `task`: the typical cost of something too quick to time once.
pub fn median_time<T>(mut task: impl FnMut() -> T) -> Duration {
    let mut times: Vec<Duration> = (0..101)
        .map(|_| {
            let started = Instant::now();
            black_box(task());
            started.elapsed()
        })
        .collect();
    times.sort();
    times[times.len() / 2]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_jobs_are_consecutive_and_grow_as_squares() {
        let jobs = uneven_jobs(1_000_000);
        assert_eq!(jobs.len(), 64);
        assert!(jobs.windows(2).all(|pair| pair[0].end == pair[1].start));
        assert_eq!(
            (jobs[31].end - jobs[31].start) / (jobs[0].end - jobs[0].start),
            1024
        );
    }

    #[test]
    fn merge_keeps_order_and_every_item() {
        assert_eq!(merge(&[1, 4, 9], &[2, 3, 10, 11]), [1, 2, 3, 4, 9, 10, 11]);
        assert_eq!(merge(&[], &[5]), [5]);
    }
}
