//! Lesson 05: multiple processes. Run it with `cargo run -p lesson-05`; `--help` lists the flags.
mod cli;
mod timeline;

use std::collections::VecDeque;
use std::io::{self, BufRead, Write};
use std::ops::Range;
use std::process::{self, ExitCode, Stdio};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::thread;
use std::time::{Duration, Instant};

use cli::{Args, Hidden, Part, Role};
use course_support::primes::count_primes; // the CPU-bound job, shared with lesson 09
use course_support::worker::{ChildProcess, PoolEvent, WorkerPool, panic_message, worker_command};

/// Every wait for a child process has a limit, so a hung child cannot hang the lesson.
const TIMEOUT: Duration = Duration::from_secs(60);

// ANCHOR: child
fn start_a_child_process() -> io::Result<()> {
    println!("parent pid {}: starting a child process", process::id());
    // The child is this same program, run again with the hidden subcommand `worker hello`.
    let mut child = ChildProcess::spawn(worker_command("hello"))?;
    let status = child.wait_timeout(TIMEOUT)?;
    println!("parent: child pid {} ended with {status}", child.id());
    Ok(())
}

fn say_hello() {
    println!("child pid {}: hello from my own process", process::id());
}
// ANCHOR_END: child

// ANCHOR: memory
fn change_a_copy_in_a_child() -> io::Result<()> {
    let mut numbers = vec![1, 2, 3];
    println!("parent: numbers = {numbers:?}");
    // Processes share no memory: the child gets a copy of the numbers, as text through a pipe.
    let mut command = worker_command("double-copy");
    command.stdin(Stdio::piped());
    let mut child = ChildProcess::spawn(command)?;
    child.send_line(&format!("{} {} {}", numbers[0], numbers[1], numbers[2]))?;
    child.close_stdin();
    let status = child.wait_timeout(TIMEOUT)?;
    println!("parent: the child ended with {status}; numbers = {numbers:?}");
    // Threads share their process's memory: this one doubles the parent's own numbers.
    thread::scope(|s| {
        s.spawn(|| {
            for n in &mut numbers {
                *n *= 2;
            }
        });
    });
    println!("parent: a thread doubled them; numbers = {numbers:?}");
    Ok(())
}

fn double_my_copy() {
    let mut line = String::new();
    let _ = io::stdin().read_line(&mut line);
    let mut numbers: Vec<i64> = line
        .split_whitespace()
        .filter_map(|w| w.parse().ok())
        .collect();
    for n in &mut numbers {
        *n *= 2;
    }
    println!("child pid {}: doubled its copy: {numbers:?}", process::id());
}
// ANCHOR_END: memory

// ANCHOR: chunks
const CHUNKS: u64 = 100;

/// `0..limit` cut into [`CHUNKS`] ranges, the dearest (highest numbers) first, so that whoever
/// takes the last chunk is not left alone with a big one.
fn chunks(limit: u64) -> VecDeque<Range<u64>> {
    (0..CHUNKS)
        .rev()
        .map(|i| i * limit / CHUNKS..(i + 1) * limit / CHUNKS)
        .collect()
}
// ANCHOR_END: chunks

// ANCHOR: threads
fn count_primes_with_threads(limit: u64, threads: usize) -> u64 {
    let chunks = Vec::from(chunks(limit));
    let next_chunk = AtomicUsize::new(0);
    thread::scope(|s| {
        let handles: Vec<_> = (0..threads)
            .map(|index| {
                let (chunks, next_chunk) = (&chunks, &next_chunk);
                s.spawn(move || {
                    let mut count = 0;
                    // Each thread takes the next chunk until none is left: work on demand.
                    while let Some(chunk) = chunks.get(next_chunk.fetch_add(1, Ordering::Relaxed)) {
                        let started = Instant::now();
                        count += count_primes(chunk.clone());
                        timeline::worked(|| format!("thread {}", index + 1), started); // --timeline
                    }
                    count
                })
            })
            .collect();
        handles.into_iter().map(|h| h.join().unwrap()).sum()
    })
}
// ANCHOR_END: threads

// ANCHOR: processes
/// Counts with `workers` processes. The worker numbered `crash` (0-based), if any, is told to
/// crash on its first chunk; its chunk then goes to another worker.
fn count_primes_with_processes(
    limit: u64,
    workers: usize,
    crash: Option<usize>,
) -> io::Result<u64> {
    let mut pool = WorkerPool::start(workers, "count-primes")?;
    let pids: Vec<String> = pool.pids().iter().map(|pid| format!("pid {pid}")).collect();
    println!("worker processes started: {}", pids.join(", "));
    let mut queue = chunks(limit);
    let mut working_on: Vec<Option<Range<u64>>> = vec![None; workers];
    let mut sent_at = vec![Instant::now(); workers]; // for --timeline
    let mut alive = vec![true; workers];
    let mut total = 0;
    loop {
        // Every living worker without a chunk gets the next one: one line on its stdin.
        for worker in 0..workers {
            if alive[worker] && working_on[worker].is_none() {
                let Some(chunk) = queue.pop_front() else {
                    break;
                };
                let told_to_crash = crash == Some(worker);
                let verb = if told_to_crash { "crash" } else { "count" };
                pool.send(worker, &format!("{verb} {} {}", chunk.start, chunk.end))?;
                working_on[worker] = Some(chunk);
                sent_at[worker] = Instant::now();
            }
        }
        if working_on.iter().all(Option::is_none) {
            break;
        }
        // Then the parent waits for the next answer from any worker, or for a worker to die.
        match pool.next_event(TIMEOUT)? {
            PoolEvent::Answer { worker, line } => {
                total += line.parse::<u64>().map_err(io::Error::other)?;
                working_on[worker] = None;
                timeline::worked(|| format!("process {}", worker + 1), sent_at[worker]);
            }
            PoolEvent::Exited {
                worker,
                status,
                stderr,
            } => {
                alive[worker] = false;
                let said = panic_message(&stderr).unwrap_or("nothing");
                println!(
                    "worker {} failed with {status}; it said {said:?}",
                    worker + 1
                );
                if let Some(chunk) = working_on[worker].take() {
                    println!("chunk {chunk:?} goes back in the queue for the other workers");
                    queue.push_front(chunk);
                }
            }
        }
    }
    if !queue.is_empty() {
        return Err(io::Error::other("every worker process failed"));
    }
    pool.finish()?; // end of file on every worker's stdin: each one exits
    Ok(total)
}
// ANCHOR_END: processes

// ANCHOR: worker
/// What a worker process does: answer `count START END` with a count, one line each.
fn answer_prime_counts() {
    let mut stdout = io::stdout().lock();
    // The loop ends at end of file on stdin: the parent has finished, or it has died.
    for line in io::stdin().lock().lines() {
        let Ok(line) = line else { return };
        let answer = match line.split_whitespace().collect::<Vec<_>>()[..] {
            ["count", start, end] => match (start.parse(), end.parse()) {
                (Ok(start), Ok(end)) => count_primes(start..end).to_string(),
                _ => "expected: count START END".to_string(),
            },
            ["crash", start, end] => panic!("I was told to crash on {start}..{end}"),
            _ => "expected: count START END".to_string(),
        };
        if writeln!(stdout, "{answer}").is_err() {
            return; // nobody reads our answers any more: the parent is gone
        }
    }
}
// ANCHOR_END: worker

// ANCHOR: compare
fn compare_loop_threads_processes(limit: u64, workers: usize) -> io::Result<()> {
    println!("Counting the primes below {limit} in {CHUNKS} chunks, handed out on demand");
    let started = Instant::now();
    let in_one_loop = count_primes(0..limit);
    let one_loop = started.elapsed();
    println!("one loop:               {in_one_loop} primes in {one_loop:.3?}");

    let started = Instant::now();
    timeline::section("threads");
    let with_threads = count_primes_with_threads(limit, workers);
    let threads = started.elapsed();
    println!(
        "threads ({workers}):            {with_threads} primes in {threads:.3?}, speedup ×{:.2}",
        one_loop.as_secs_f64() / threads.as_secs_f64()
    );

    let started = Instant::now();
    timeline::section("worker processes");
    let with_processes = count_primes_with_processes(limit, workers, None)?;
    let processes = started.elapsed();
    println!(
        "worker processes ({workers}):   {with_processes} primes in {processes:.3?}, speedup ×{:.2}",
        one_loop.as_secs_f64() / processes.as_secs_f64()
    );
    if in_one_loop != with_threads || in_one_loop != with_processes {
        return Err(io::Error::other("the three ways disagree"));
    }
    println!("The same answer three times: {in_one_loop}");
    timeline::show(&format!(
        "Lesson 05, measured: the primes below {limit}, {CHUNKS} chunks, {workers} workers"
    ))
}
// ANCHOR_END: compare

// ANCHOR: isolation
fn survive_a_crashing_worker(limit: u64, workers: usize) -> io::Result<()> {
    let workers = workers.max(2); // someone must be left to redo the work
    println!("Worker 2 will be told to crash on its first chunk");
    let total = count_primes_with_processes(limit, workers, Some(1))?;
    println!("The parent is still here: {total} primes below {limit}");
    Ok(())
}
// ANCHOR_END: isolation

// ANCHOR: price
fn measure_the_price() -> io::Result<()> {
    const ROUNDS: usize = 50;
    let per_thread = median_time(ROUNDS, || {
        thread::spawn(|| {}).join().unwrap();
        Ok(())
    })?;
    let per_process = median_time(ROUNDS, || {
        ChildProcess::spawn(worker_command("nothing"))?.wait_timeout(TIMEOUT)?;
        Ok(())
    })?;
    println!("start a thread and join it:   {per_thread:.3?} (median of {ROUNDS})");
    println!("start a process and wait:     {per_process:.3?} (median of {ROUNDS})");
    println!(
        "A process costs ×{:.0} what a thread costs to start",
        per_process.as_secs_f64() / per_thread.as_secs_f64()
    );
    Ok(())
}

/// Runs `task` `rounds` times and returns the median of its durations: the typical cost,
/// unmoved by the odd round that had to wait for a busy core.
fn median_time(rounds: usize, mut task: impl FnMut() -> io::Result<()>) -> io::Result<Duration> {
    let mut times = Vec::with_capacity(rounds);
    for _ in 0..rounds {
        let started = Instant::now();
        task()?;
        times.push(started.elapsed());
    }
    times.sort();
    Ok(times[rounds / 2])
}
// ANCHOR_END: price

// ANCHOR: main
fn main() -> ExitCode {
    let args: Args = course_support::parse_args();
    // Started as `lesson-05 worker <role>`: this process is a child, and plays only that role.
    if let Some(Hidden::Worker { role }) = args.hidden {
        match role {
            Role::Hello => say_hello(),
            Role::DoubleCopy => double_my_copy(),
            Role::CountPrimes => answer_prime_counts(),
            Role::Nothing => {}
        }
        return ExitCode::SUCCESS;
    }
    // ANCHOR_END: main
    if let Some(file) = args.timeline {
        timeline::keep(file);
    }
    for part in args.parts.announced() {
        let result = match part {
            Part::Child => start_a_child_process(),
            Part::Memory => change_a_copy_in_a_child(),
            Part::Pool => compare_loop_threads_processes(args.limit, args.workers),
            Part::Isolation => survive_a_crashing_worker(args.limit, args.workers),
            Part::Price => measure_the_price(),
        };
        if let Err(error) = result {
            eprintln!("error: {error}");
            return ExitCode::FAILURE;
        }
    }
    ExitCode::SUCCESS
}
