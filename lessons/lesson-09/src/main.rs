//! Lesson 09: data parallelism with rayon. Run it with `cargo run -p lesson-09`; `--help` lists
//! the flags.
mod cli;
mod jobs;

use std::ops::Range;
use std::process::ExitCode;
use std::thread;
use std::time::Instant;

use cli::{Args, Part};
use course_support::primes::{count_primes, is_prime};
use jobs::{Busy, median_time, random_numbers, uneven_jobs};
use rayon::prelude::*;

// ANCHOR: par_iter
fn count_primes_with_rayon(limit: u64) -> u64 {
    (0..limit).into_par_iter().filter(|&n| is_prime(n)).count() as u64
}
// ANCHOR_END: par_iter

// ANCHOR: split_evenly
/// The split by hand: one range per thread, all of the same length.
fn count_primes_split_evenly(limit: u64, threads: u64) -> u64 {
    let per_thread = limit.div_ceil(threads);
    thread::scope(|s| {
        let handles: Vec<_> = (0..threads)
            .map(|i| {
                let mine = i * per_thread..((i + 1) * per_thread).min(limit);
                s.spawn(move || count_primes(mine))
            })
            .collect();
        handles.into_iter().map(|h| h.join().unwrap()).sum()
    })
}
// ANCHOR_END: split_evenly

// ANCHOR: compare
fn compare_loop_split_rayon(limit: u64, threads: usize) {
    println!("Counting the primes below {limit} on {threads} threads");
    let started = Instant::now();
    let in_one_loop = count_primes(0..limit);
    let one_loop = started.elapsed();
    println!("one loop:                   {in_one_loop} primes in {one_loop:.3?}");

    let started = Instant::now();
    let split = count_primes_split_evenly(limit, threads as u64);
    let by_hand = started.elapsed();
    let speedup = one_loop.as_secs_f64() / by_hand.as_secs_f64();
    println!("split evenly, by hand:      {split} primes in {by_hand:.3?}, speedup ×{speedup:.2}");

    let started = Instant::now();
    let with_rayon = count_primes_with_rayon(limit);
    let rayon = started.elapsed();
    let speedup = one_loop.as_secs_f64() / rayon.as_secs_f64();
    println!(
        "rayon, into_par_iter():     {with_rayon} primes in {rayon:.3?}, speedup ×{speedup:.2}"
    );
    assert!(
        in_one_loop == split && split == with_rayon,
        "the three ways disagree"
    );
}
// ANCHOR_END: compare

// ANCHOR: uneven
/// Each thread takes an equal share of the jobs, in order: the last share holds the dearest.
fn run_jobs_split_evenly(jobs: &[Range<u64>], threads: usize, busy: &Busy) -> u64 {
    let per_thread = jobs.len().div_ceil(threads);
    thread::scope(|s| {
        let handles: Vec<_> = jobs
            .chunks(per_thread)
            .enumerate()
            .map(|(t, share)| {
                s.spawn(move || share.iter().map(|job| busy.time(t, job)).sum::<u64>())
            })
            .collect();
        handles.into_iter().map(|h| h.join().unwrap()).sum()
    })
}

/// rayon splits the jobs in halves, and a worker that runs out steals from one that has not.
fn run_jobs_with_rayon(jobs: &[Range<u64>], busy: &Busy) -> u64 {
    jobs.par_iter()
        .map(|job| busy.time(rayon::current_thread_index().unwrap_or(0), job))
        .sum()
}
// ANCHOR_END: uneven

fn compare_on_uneven_work(limit: u64, threads: usize) {
    let jobs = uneven_jobs(limit);
    println!(
        "{} jobs: counting the primes in ranges from {} to {} numbers long",
        jobs.len(),
        jobs[0].end - jobs[0].start,
        jobs[jobs.len() - 1].end - jobs[jobs.len() - 1].start
    );
    let busy = Busy::new(threads, "even split by hand", "thread");
    let started = Instant::now();
    let by_hand = run_jobs_split_evenly(&jobs, threads, &busy);
    let by_hand_wall = started.elapsed();
    busy.report(by_hand_wall);

    let busy = Busy::new(threads, "rayon, work stealing", "worker");
    let started = Instant::now();
    let with_rayon = run_jobs_with_rayon(&jobs, &busy);
    let rayon_wall = started.elapsed();
    busy.report(rayon_wall);
    assert_eq!(by_hand, with_rayon, "the two ways disagree");
    let ratio = rayon_wall.as_secs_f64() / by_hand_wall.as_secs_f64().max(1e-9);
    println!("rayon's wall time: ×{ratio:.2} the even split's");
    println!("Both found {with_rayon} primes");
}

// ANCHOR: join
/// Sorts with `rayon::join`: the two halves are sorted at the same time, then merged.
fn merge_sort(items: &mut [u64]) {
    const SEQUENTIAL_BELOW: usize = 4096; // smaller pieces are not worth a task
    if items.len() < SEQUENTIAL_BELOW {
        items.sort_unstable();
        return;
    }
    let (left, right) = items.split_at_mut(items.len() / 2);
    rayon::join(|| merge_sort(left), || merge_sort(right));
    let merged = jobs::merge(left, right);
    items.copy_from_slice(&merged);
}
// ANCHOR_END: join

// ANCHOR: scope
/// `rayon::scope`: one task per part, each filling its own slot, all borrowing `numbers`.
fn sums_of_parts(numbers: &[u64], parts: usize) -> Vec<u64> {
    let mut sums = vec![0; parts];
    let size = numbers.len().div_ceil(parts);
    rayon::scope(|s| {
        for (sum, part) in sums.iter_mut().zip(numbers.chunks(size)) {
            s.spawn(move |_| *sum = part.iter().sum());
        }
    });
    sums
}
// ANCHOR_END: scope

fn divide_and_conquer(limit: u64, threads: usize) {
    let numbers = random_numbers(usize::try_from(limit / 10).unwrap_or(usize::MAX));
    // The same merge sort in a pool of one thread: `join` then runs both halves itself.
    let one_thread = rayon::ThreadPoolBuilder::new().num_threads(1).build();
    let mut on_one_thread = numbers.clone();
    let started = Instant::now();
    match one_thread {
        Ok(pool) => pool.install(|| merge_sort(&mut on_one_thread)),
        Err(_) => merge_sort(&mut on_one_thread),
    }
    let one = started.elapsed();
    let mut by_join = numbers.clone();
    let started = Instant::now();
    merge_sort(&mut by_join);
    let join = started.elapsed();
    let mut by_std = numbers.clone();
    by_std.sort_unstable();
    println!("Merge sort of {} numbers:", numbers.len());
    println!("  in a pool of 1 thread:   {one:.3?}");
    println!(
        "  in a pool of {threads} threads:  {join:.3?}, speedup ×{:.2}",
        one.as_secs_f64() / join.as_secs_f64()
    );
    println!(
        "  the same order as slice::sort_unstable: {}",
        by_join == by_std && on_one_thread == by_std
    );

    let sums = sums_of_parts(&numbers, 4);
    let total: u64 = numbers.iter().sum();
    println!(
        "rayon::scope: 4 tasks summed 4 parts, and the parts add up to the total: {}",
        sums.iter().sum::<u64>() == total
    );
}

// ANCHOR: too_small
fn sum_too_small_to_split() {
    let numbers: Vec<u64> = (0..1000).collect();
    let in_a_loop = median_time(|| numbers.iter().sum::<u64>());
    let in_parallel = median_time(|| numbers.par_iter().sum::<u64>());
    let one_piece = median_time(|| numbers.par_iter().with_min_len(1000).sum::<u64>());
    println!("Summing 1000 numbers, median of 101 rounds:");
    println!("  a loop:                           {in_a_loop:.1?}");
    println!("  par_iter():                       {in_parallel:.1?}");
    println!("  par_iter().with_min_len(1000):    {one_piece:.1?}");
    println!(
        "par_iter() took ×{:.1} the loop's time",
        in_parallel.as_secs_f64() / in_a_loop.as_secs_f64().max(1e-9)
    );
}
// ANCHOR_END: too_small

fn main() -> ExitCode {
    let args: Args = course_support::parse_args();
    jobs::keep_timeline(args.timeline.clone());
    if let Err(error) = run_in_a_pool(&args) {
        eprintln!("error: cannot start {} threads: {error}", args.threads);
        return ExitCode::FAILURE;
    }
    match jobs::show_timeline() {
        Ok(()) => ExitCode::SUCCESS,
        Err(error) => {
            eprintln!("error: cannot write the timeline: {error}");
            ExitCode::FAILURE
        }
    }
}

// ANCHOR: pool
fn run_in_a_pool(args: &Args) -> Result<(), rayon::ThreadPoolBuildError> {
    // A pool of exactly --threads threads; `install` runs the closure inside it, so every
    // par_iter, join and scope below uses this pool instead of rayon's global one.
    let pool = rayon::ThreadPoolBuilder::new()
        .num_threads(args.threads)
        .build()?;
    pool.install(|| {
        for part in args.parts.announced() {
            match part {
                Part::ParIter => compare_loop_split_rayon(args.limit, args.threads),
                Part::Uneven => compare_on_uneven_work(args.limit, args.threads),
                Part::Join => divide_and_conquer(args.limit, args.threads),
                Part::TooSmall => sum_too_small_to_split(),
            }
        }
    });
    Ok(())
}
// ANCHOR_END: pool
