//! `cargo xtask bench`: measures the course's claims about speed on this machine, in one run.
//!
//! The lessons are run as black boxes, exactly as a learner runs them: built with
//! `cargo build --release`, started with flags that select one part and its sizes, and their
//! printed figures parsed. Nothing of a lesson is copied here, so the benchmark measures the code
//! the book shows. The same goes for Python: the project's own program beside lesson 05.
//!
//! Every figure goes to `target/bench/bench.json`; the report (a Markdown table, also printed)
//! and the charts are computed from that JSON alone ([`report`], [`charts`]), which is how a test
//! can check that the committed `book/src/generated/` files are exactly what the committed JSON
//! gives.

// Core counts, limits and milliseconds are far below 2^52: converting them to f64 loses nothing,
// and the calendar arithmetic below stays in range for any date a clock gives.
#![allow(
    clippy::cast_precision_loss,
    clippy::cast_possible_truncation,
    clippy::cast_sign_loss,
    clippy::cast_possible_wrap
)]

mod capstone;
mod charts;
mod figures;
mod growth;
mod part_three;
mod rayon;
mod report;

use std::fs;
use std::io::Read as _;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant, SystemTime};

use anyhow::{Context, Result, bail};

use figures::{figure_after, parse_duration};
pub use report::Results;
use report::{
    CounterRun, Counters, CpuJob, CpuRun, CpuWorkers, DownloadFiles, DownloadRun, Downloads,
    Machine, Python, PythonRun, SpawnRun, TimelineSpan,
};

/// Where the book's generated files live, relative to the workspace root.
pub const GENERATED: &str = "book/src/generated";

/// The sizes of one benchmark. `--quick` trades precision for time.
#[derive(Debug, Clone, Copy)]
struct Sizes {
    runs: usize,
    cpu_limit: u64,
    python_limit: u64,
    latency_ms: u64,
    /// Lesson 10's growth curve: the latency of every download, and the largest N.
    growth_latency_ms: u64,
    growth_max: usize,
    /// Part III: the tasks of lesson 11's executor; lesson 12's counter, shared by
    /// `counter_tasks` tasks that each add one `counter_increments` times; lesson 13's CPU job.
    executor_tasks: u64,
    counter_tasks: u64,
    counter_increments: u64,
    job_ms: u64,
    /// Lesson 14: the sizes of the site its crawlers check, and how many times each crawls it.
    capstone_pages: [usize; 2],
    capstone_runs: usize,
}

const FULL: Sizes = Sizes {
    runs: 5,
    cpu_limit: 10_000_000,
    python_limit: 1_000_000,
    latency_ms: 200,
    growth_latency_ms: 1000,
    growth_max: 10_000,
    executor_tasks: 1000,
    counter_tasks: 1000,
    counter_increments: 1000,
    job_ms: 1000,
    capstone_pages: [1000, 10_000],
    capstone_runs: 3,
};

const QUICK: Sizes = Sizes {
    runs: 3,
    cpu_limit: 2_000_000,
    python_limit: 300_000,
    latency_ms: 50,
    growth_latency_ms: 200,
    growth_max: 1000,
    executor_tasks: 1000,
    counter_tasks: 1000,
    counter_increments: 100,
    job_ms: 200,
    // --quick is CI's check that the bench runs: small sites, one crawl each, no target.
    capstone_pages: [200, 1000],
    capstone_runs: 1,
};

const DOWNLOAD_COUNTS: [u32; 4] = [1, 4, 16, 32];

/// No single lesson run may take longer than this: a hung program cannot hang the benchmark.
const RUN_TIMEOUT: Duration = Duration::from_secs(300);

/// Runs the benchmark, prints the table (or, with `json`, the JSON), writes the JSON under
/// `target/bench/`, and with `book` the table, charts and JSON into the book.
pub fn run(root: &Path, quick: bool, json: bool, book: bool, from: Option<&Path>) -> Result<()> {
    let started = Instant::now();
    let (results, text, out) = if let Some(saved) = from {
        let text = fs::read_to_string(saved)
            .with_context(|| format!("cannot read {}", saved.display()))?;
        let results: Results = serde_json::from_str(&text)
            .with_context(|| format!("{} is not a benchmark's JSON", saved.display()))?;
        (results, text, saved.to_path_buf())
    } else {
        let sizes = if quick { QUICK } else { FULL };
        let bin = build_lessons(root)?;
        let results = measure(&bin, root, sizes, quick)?;
        let text = serde_json::to_string_pretty(&results)? + "\n";
        let dir = target_dir(root).join("bench");
        fs::create_dir_all(&dir)?;
        fs::write(dir.join("bench.json"), &text)?;
        (results, text, dir.join("bench.json"))
    };
    let markdown = results.markdown();
    if json {
        print!("{text}");
        eprint!("\n{markdown}");
    } else {
        print!("\n{markdown}");
    }
    eprintln!(
        "Every figure is in {} (this took {:.0?}).",
        out.display(),
        started.elapsed()
    );
    if book {
        write_book_files(root, &results, &text)?;
        eprintln!("The book's table and charts are in {GENERATED}/.");
    }
    Ok(())
}

/// The generated files, by name, as [`write_book_files`] writes them from `results`.
pub fn book_files(results: &Results, json: &str) -> Result<Vec<(&'static str, String)>> {
    let mut files = vec![
        ("bench.json", json.to_string()),
        ("bench.md", results.markdown()),
        ("cpu-speedup.svg", charts::cpu_speedup(results)? + "\n"),
        ("downloads.svg", charts::downloads(results)? + "\n"),
        ("growth.svg", charts::growth(results)? + "\n"),
        ("capstone.md", results.capstone_markdown()),
    ];
    for (file, spans, title) in [
        (
            "lesson-02-timeline.svg",
            &results.timeline_02,
            format!(
                "Lesson 02, measured: 3 downloads, each answer {} ms late",
                results.downloads.latency_ms
            ),
        ),
        (
            "lesson-05-timeline.svg",
            &results.timeline_05,
            format!(
                "Lesson 05, measured: the primes below {}, {} workers",
                results.cpu.limit, results.machine.cores
            ),
        ),
    ] {
        let spans: Vec<_> = spans.iter().map(TimelineSpan::to_lesson).collect();
        files.push((file, course_support::timeline::svg(&title, &spans)));
    }
    Ok(files)
}

fn write_book_files(root: &Path, results: &Results, json: &str) -> Result<()> {
    let dir = root.join(GENERATED);
    fs::create_dir_all(&dir)?;
    for (name, contents) in book_files(results, json)? {
        fs::write(dir.join(name), contents)?;
    }
    Ok(())
}

fn target_dir(root: &Path) -> PathBuf {
    std::env::var_os("CARGO_TARGET_DIR").map_or_else(|| root.join("target"), PathBuf::from)
}

/// Builds the lessons the benchmark runs, optimised, and returns the folder of their binaries.
fn build_lessons(root: &Path) -> Result<PathBuf> {
    eprintln!("Building lessons 02, 03, 05, 09, 10, 11, 12, 13 and 14 with --release …");
    let cargo = std::env::var_os("CARGO").unwrap_or_else(|| "cargo".into());
    let status = Command::new(cargo)
        .current_dir(root)
        .args(["build", "--release"])
        .args([
            "-p",
            "lesson-02",
            "-p",
            "lesson-03",
            "-p",
            "lesson-05",
            "-p",
            "lesson-09",
            "-p",
            "lesson-10",
            "-p",
            "lesson-11",
            "-p",
            "lesson-12",
            "-p",
            "lesson-13",
            "-p",
            "lesson-14",
        ])
        .status()
        .context("cannot run cargo")?;
    if !status.success() {
        bail!("building the lessons failed ({status})");
    }
    Ok(target_dir(root).join("release"))
}

/// K = 1, 2, 4, … below the core count, then the core count itself.
fn worker_counts(cores: usize) -> Vec<usize> {
    let mut counts: Vec<usize> = std::iter::successors(Some(1), |k| Some(k * 2))
        .take_while(|&k| k < cores)
        .collect();
    counts.push(cores.max(1));
    counts
}

#[allow(clippy::too_many_lines)] // one run of every measurement, in order, reads best in one place
fn measure(bin: &Path, root: &Path, sizes: Sizes, quick: bool) -> Result<Results> {
    let cores = std::thread::available_parallelism().map_or(1, std::num::NonZero::get);
    let machine = Machine {
        cores,
        os: std::env::consts::OS.to_string(),
        arch: std::env::consts::ARCH.to_string(),
        cpu: cpu_name(),
        date: today(),
        load_before: load_average(),
        load_after: None,
        nice: own_nice(),
    };
    let lesson = |name: &str| bin.join(format!("{name}{}", std::env::consts::EXE_SUFFIX));
    let workers = worker_counts(cores);
    let mut cpu: Vec<CpuWorkers> = workers
        .iter()
        .map(|&workers| CpuWorkers {
            workers,
            runs: vec![],
        })
        .collect();
    let mut by_files: Vec<DownloadFiles> = DOWNLOAD_COUNTS
        .iter()
        .map(|&files| DownloadFiles {
            files,
            runs: vec![],
        })
        .collect();
    let mut spawn = vec![];
    let counters_threads = 4;
    let counters_increments = 1_000_000;
    let mut counters = vec![];
    let python_script = root.join("lessons/lesson-05/python/primes.py");
    let mut python = Python {
        note: python_version(),
        limit: sizes.python_limit,
        workers: cores,
        runs: vec![],
    };
    let has_python = python.note.starts_with("Python");
    if !has_python {
        eprintln!("Python is not measured: {}", python.note);
    }

    // Runs are interleaved (all measurements of run 1, then of run 2 …), so that a slow spell
    // of the machine touches every measurement a little rather than one a lot.
    for run in 1..=sizes.runs {
        eprintln!("Run {run} of {}:", sizes.runs);
        for row in &mut cpu {
            eprintln!(
                "  lesson 05, primes below {}, K = {}",
                sizes.cpu_limit, row.workers
            );
            row.runs.push(run_prime_pool(
                &lesson("lesson-05"),
                sizes.cpu_limit,
                row.workers,
            )?);
        }
        for row in &mut by_files {
            eprintln!(
                "  lesson 02, {} files, d = {} ms",
                row.files, sizes.latency_ms
            );
            let wall =
                |part, latency_ms| run_downloads(&lesson("lesson-02"), row.files, latency_ms, part);
            let sequential_s = wall("sequential", sizes.latency_ms)?;
            let threads_s = wall("threads", sizes.latency_ms)?;
            let threads_no_latency_s = wall("threads", 0)?;
            row.runs.push(DownloadRun {
                sequential_s,
                threads_s,
                threads_no_latency_s,
            });
        }
        eprintln!("  lesson 05, the price of a thread and of a process");
        let out = run_to_end(Command::new(lesson("lesson-05")).args(["--part", "price"]))?;
        spawn.push(parse_price(&out)?);
        eprintln!("  lesson 03, three fixes");
        let out = run_to_end(Command::new(lesson("lesson-03")).args([
            "--part",
            "fixes",
            "--threads",
            &counters_threads.to_string(),
            "--increments",
            &counters_increments.to_string(),
        ]))?;
        counters.push(parse_fixes(&out)?);
        if has_python {
            eprintln!(
                "  Python and Rust, primes below {}, K = {cores}",
                sizes.python_limit
            );
            let out = run_to_end(
                Command::new(course_support::python().unwrap_or("python3"))
                    .arg(&python_script)
                    .args(["--limit", &sizes.python_limit.to_string()])
                    .args(["--workers", &cores.to_string()]),
            )?;
            let (python_loop_s, python_threads_s, python_processes_s) = parse_python(&out)?;
            let rust = run_prime_pool(&lesson("lesson-05"), sizes.python_limit, cores)?;
            python.runs.push(PythonRun {
                python_loop_s,
                python_threads_s,
                python_processes_s,
                rust_loop_s: rust.one_loop_s,
                rust_threads_s: rust.threads_s,
                rust_processes_s: rust.processes_s,
            });
        }
    }
    let machine = Machine {
        load_after: load_average(),
        ..machine
    };
    Ok(Results {
        machine,
        quick,
        runs: sizes.runs,
        cpu: CpuJob {
            limit: sizes.cpu_limit,
            by_workers: cpu,
        },
        downloads: Downloads {
            latency_ms: sizes.latency_ms,
            by_files,
        },
        spawn,
        counters: Counters {
            threads: counters_threads,
            increments: counters_increments,
            runs: counters,
        },
        python,
        rayon: measure_rayon(&lesson("lesson-09"), sizes, cores)?,
        growth: measure_growth(&lesson("lesson-10"), sizes)?,
        executor: measure_executor(&lesson("lesson-11"), root, sizes)?,
        shared_counter: measure_shared_counter(&lesson("lesson-12"), root, sizes)?,
        blocking: measure_blocking(&lesson("lesson-13"), root, sizes)?,
        capstone: Some(capstone::measure(
            &lesson("lesson-14"),
            root,
            &sizes.capstone_pages,
            sizes.capstone_runs,
        )?),
        timeline_02: timeline_of(
            &lesson("lesson-02"),
            root,
            &[
                "--files",
                "3",
                "--latency-ms",
                &sizes.latency_ms.to_string(),
            ],
        )?,
        timeline_05: timeline_of(
            &lesson("lesson-05"),
            root,
            &[
                "--part",
                "pool",
                "--limit",
                &sizes.cpu_limit.to_string(),
                "--workers",
                &cores.to_string(),
            ],
        )?,
    })
}

/// Lesson 09's parts 1 and 2 on every core, `sizes.runs` times.
fn measure_rayon(lesson_09: &Path, sizes: Sizes, cores: usize) -> Result<rayon::Rayon> {
    let limit = sizes.cpu_limit;
    let mut runs = Vec::new();
    for run in 1..=sizes.runs {
        eprintln!(
            "lesson 09, rayon, {cores} threads, limit {limit}: run {run}/{}",
            sizes.runs
        );
        let part = |part: &str| {
            run_to_end(Command::new(lesson_09).args([
                "--part",
                part,
                "--limit",
                &limit.to_string(),
                "--threads",
                &cores.to_string(),
            ]))
        };
        runs.push(rayon::parse(&part("par-iter")?, &part("uneven")?)?);
    }
    Ok(rayon::Rayon {
        limit,
        threads: cores,
        runs,
    })
}

/// Lesson 10's growth curve, once: every cell is already a fresh process of its own.
fn measure_growth(lesson_10: &Path, sizes: Sizes) -> Result<growth::Growth> {
    let (latency, max) = (sizes.growth_latency_ms, sizes.growth_max);
    eprintln!("lesson 10, growth curve up to {max} downloads at once, each {latency} ms late");
    let out = run_to_end(Command::new(lesson_10).args([
        "--part",
        "growth",
        "--latency-ms",
        &latency.to_string(),
        "--max-downloads",
        &max.to_string(),
    ]))?;
    growth::parse(&out, latency)
}

/// Runs a Python twin of the course with `args`: its output, or why there is none (no Python, or
/// one too old for the twin, which then says so and fails).
fn run_python_twin(root: &Path, script: &str, args: &[String]) -> Result<String, String> {
    let python = course_support::python()
        .ok_or_else(|| format!("{} not found", course_support::PYTHON_NAMES.join(" or ")))?;
    run_to_end(Command::new(python).arg(root.join(script)).args(args)).map_err(|error| {
        let why = format!("{error:#}");
        let last = why.lines().rev().find(|line| !line.trim().is_empty());
        format!("{script} failed: {}", last.unwrap_or("no message"))
    })
}

/// Lesson 11's executor, once: its counts are the same on every run, and so are Python's.
fn measure_executor(lesson_11: &Path, root: &Path, sizes: Sizes) -> Result<part_three::Executor> {
    let tasks = sizes.executor_tasks.to_string();
    eprintln!("lesson 11, the executor, {tasks} tasks");
    let out = run_to_end(Command::new(lesson_11).args(["--part", "executor", "--tasks", &tasks]))?;
    let rust = part_three::parse_executor(&out)?;
    let args = [
        "--tasks".to_string(),
        tasks,
        "--pause-ms".into(),
        "0".into(),
    ];
    let (python, python_note) =
        match run_python_twin(root, "lessons/lesson-11/python/future_by_hand.py", &args) {
            Ok(out) => (Some(part_three::parse_executor(&out)?), None),
            Err(note) => (None, Some(note)),
        };
    Ok(part_three::Executor {
        rust,
        python,
        python_note,
    })
}

/// Lesson 12's counter and the Python twin's, `sizes.runs` times, one after the other.
fn measure_shared_counter(
    lesson_12: &Path,
    root: &Path,
    sizes: Sizes,
) -> Result<part_three::SharedCounter> {
    let (tasks, increments) = (sizes.counter_tasks, sizes.counter_increments);
    let expected = tasks * increments;
    let args = [
        "--part".to_string(),
        "counter".into(),
        "--tasks".into(),
        tasks.to_string(),
        "--increments".into(),
        increments.to_string(),
    ];
    let mut runs = Vec::new();
    let mut python_note = None;
    for run in 1..=sizes.runs {
        eprintln!(
            "lesson 12, a counter shared by {tasks} tasks × {increments}: run {run}/{}",
            sizes.runs
        );
        let out = run_to_end(Command::new(lesson_12).args(&args))?;
        let (std_mutex_s, tokio_mutex_s, actor_s) = part_three::parse_counter(&out, expected)?;
        let (mut python_lock_s, mut python_actor_s) = (None, None);
        if python_note.is_none() {
            match run_python_twin(root, "lessons/lesson-12/python/sharing_asyncio.py", &args) {
                Ok(out) => {
                    let (lock, actor) = part_three::parse_python_counter(&out, expected)?;
                    (python_lock_s, python_actor_s) = (Some(lock), Some(actor));
                }
                Err(note) => python_note = Some(note),
            }
        }
        runs.push(part_three::CounterRun {
            std_mutex_s,
            tokio_mutex_s,
            actor_s,
            python_lock_s,
            python_actor_s,
        });
    }
    Ok(part_three::SharedCounter {
        tasks,
        increments,
        runs,
        python_note,
    })
}

/// Lesson 13's CPU job beside another task and the Python twin's, `sizes.runs` times.
fn measure_blocking(lesson_13: &Path, root: &Path, sizes: Sizes) -> Result<part_three::Blocking> {
    let job_ms = sizes.job_ms;
    let mut runs = Vec::new();
    let mut python_note = None;
    for run in 1..=sizes.runs {
        eprintln!(
            "lesson 13, a CPU job of {job_ms} ms beside another task: run {run}/{}",
            sizes.runs
        );
        let out = run_to_end(Command::new(lesson_13).args([
            "--part",
            "blocking",
            "--job-ms",
            &job_ms.to_string(),
        ]))?;
        let (in_the_task_s, spawn_blocking_s) = part_three::parse_blocking(&out)?;
        let (mut python_in_the_task_s, mut python_to_thread_s) = (None, None);
        if python_note.is_none() {
            let args = [
                "--part".to_string(),
                "blocking".into(),
                "--job".into(),
                format!("{}", job_ms as f64 / 1000.0),
            ];
            match run_python_twin(
                root,
                "lessons/lesson-13/python/cancellation_asyncio.py",
                &args,
            ) {
                Ok(out) => {
                    let (inside, beside) = part_three::parse_python_blocking(&out)?;
                    (python_in_the_task_s, python_to_thread_s) = (Some(inside), Some(beside));
                }
                Err(note) => python_note = Some(note),
            }
        }
        runs.push(part_three::BlockingRun {
            in_the_task_s,
            spawn_blocking_s,
            python_in_the_task_s,
            python_to_thread_s,
        });
    }
    Ok(part_three::Blocking {
        job_ms,
        runs,
        python_note,
    })
}

/// Runs a lesson once with `args` and `--timeline`, and reads the spans it wrote.
fn timeline_of(lesson: &Path, root: &Path, args: &[&str]) -> Result<Vec<TimelineSpan>> {
    let name = lesson.file_stem().unwrap_or_default().to_string_lossy();
    eprintln!("{name}'s timeline: {}", args.join(" "));
    let dir = target_dir(root).join("bench");
    fs::create_dir_all(&dir)?;
    let file = dir.join(format!("timeline-{name}.tsv"));
    run_to_end(Command::new(lesson).args(args).arg("--timeline").arg(&file))?;
    let text = fs::read_to_string(&file)
        .with_context(|| format!("{name} wrote no timeline to {}", file.display()))?;
    let spans = course_support::timeline::parse_tsv(&text).map_err(anyhow::Error::msg)?;
    Ok(spans.iter().map(TimelineSpan::from_lesson).collect())
}

fn run_prime_pool(lesson_05: &Path, limit: u64, workers: usize) -> Result<CpuRun> {
    let before = CpuTicks::now();
    let out = run_to_end(Command::new(lesson_05).args([
        "--part",
        "pool",
        "--limit",
        &limit.to_string(),
        "--workers",
        &workers.to_string(),
    ]))?;
    let others_cores = before.and_then(CpuTicks::others_cores_until_now);
    Ok(CpuRun {
        others_cores,
        ..parse_pool(&out)?
    })
}

/// The machine's CPU time counters (Linux), in clock ticks: all of it, the busy part, and what
/// this process's waited-for children used.
#[derive(Debug, Clone, Copy)]
struct CpuTicks {
    total: u64,
    busy: u64,
    children: u64,
}

impl CpuTicks {
    fn now() -> Option<CpuTicks> {
        let stat = fs::read_to_string("/proc/stat").ok()?;
        // "cpu  user nice system idle iowait irq softirq steal …": all cores together.
        let ticks: Vec<u64> = stat
            .lines()
            .next()?
            .split_whitespace()
            .skip(1)
            .take(8)
            .map(|field| field.parse().ok())
            .collect::<Option<_>>()?;
        let total: u64 = ticks.iter().sum();
        let busy = total - ticks.get(3)? - ticks.get(4)?;
        // Fields 16 and 17 of /proc/self/stat (cutime, cstime), counted after the name.
        let own = fs::read_to_string("/proc/self/stat").ok()?;
        let fields: Vec<&str> = own.rsplit_once(')')?.1.split_whitespace().collect();
        let children =
            fields.get(13)?.parse::<u64>().ok()? + fields.get(14)?.parse::<u64>().ok()?;
        Some(CpuTicks {
            total,
            busy,
            children,
        })
    }

    /// The cores kept busy by everything but our children since `self`, on average.
    fn others_cores_until_now(self) -> Option<f64> {
        let now = CpuTicks::now()?;
        let cores = std::thread::available_parallelism().map_or(1, std::num::NonZero::get);
        let total = now.total.checked_sub(self.total)?;
        let others = (now.busy - self.busy).saturating_sub(now.children - self.children);
        (total > 0).then(|| others as f64 / total as f64 * cores as f64)
    }
}

fn run_downloads(lesson_02: &Path, files: u32, latency_ms: u64, part: &str) -> Result<f64> {
    let out = run_to_end(Command::new(lesson_02).args([
        "--part",
        part,
        "--files",
        &files.to_string(),
        "--latency-ms",
        &latency_ms.to_string(),
    ]))?;
    parse_wall_time(&out)
}

/// Runs `command` and returns its standard output; fails if it fails, or takes longer than
/// [`RUN_TIMEOUT`] (then it is killed).
fn run_to_end(command: &mut Command) -> Result<String> {
    let shown = format!("{command:?}");
    let mut child = command
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .with_context(|| format!("cannot start {shown}"))?;
    let mut stdout = child.stdout.take().expect("stdout is piped");
    let mut stderr = child.stderr.take().expect("stderr is piped");
    let reader = std::thread::spawn(move || {
        let mut text = String::new();
        let _ = stdout.read_to_string(&mut text);
        text
    });
    let err_reader = std::thread::spawn(move || {
        let mut text = String::new();
        let _ = stderr.read_to_string(&mut text);
        text
    });
    let started = Instant::now();
    let status = loop {
        if let Some(status) = child.try_wait()? {
            break status;
        }
        if started.elapsed() > RUN_TIMEOUT {
            let _ = child.kill();
            let _ = child.wait();
            bail!("{shown} took longer than {RUN_TIMEOUT:?} and was stopped");
        }
        std::thread::sleep(Duration::from_millis(5));
    };
    let out = reader.join().expect("the reader does not panic");
    let err = err_reader.join().expect("the reader does not panic");
    if !status.success() {
        bail!("{shown} failed ({status}):\n{err}{out}");
    }
    Ok(out)
}

/// Lesson 05 `--part pool`: one loop, K threads, K worker processes.
pub fn parse_pool(out: &str) -> Result<CpuRun> {
    let line_with = |words: &str| -> Result<&str> {
        out.lines()
            .find(|line| line.contains(words) && line.contains(" primes in "))
            .with_context(|| format!("no line with {words:?} in:\n{out}"))
    };
    let duration_in = |line: &str| figure_after(line, "", " primes in ");
    Ok(CpuRun {
        one_loop_s: duration_in(line_with("one loop:")?)?,
        threads_s: duration_in(line_with("threads (")?)?,
        processes_s: duration_in(line_with("worker processes (")?)?,
        others_cores: None,
    })
}

/// Lesson 05 `--part price`.
pub fn parse_price(out: &str) -> Result<SpawnRun> {
    Ok(SpawnRun {
        thread_us: figure_after(out, "start a thread and join it:", ": ")? * 1e6,
        process_us: figure_after(out, "start a process and wait:", ": ")? * 1e6,
    })
}

/// Lesson 03 `--part fixes`.
pub fn parse_fixes(out: &str) -> Result<CounterRun> {
    for line in out.lines().filter(|line| line.contains(" in ")) {
        if line.contains("WRONG") {
            bail!("lesson 03 counted wrong: {line}");
        }
    }
    Ok(CounterRun {
        fetch_add_ms: figure_after(out, "fetch_add:", ") in ")? * 1e3,
        mutex_ms: figure_after(out, "Mutex held", ") in ")? * 1e3,
        per_thread_ms: figure_after(out, "sums per thread", ") in ")? * 1e3,
    })
}

/// Lesson 02 `--part …`: the wall time of that way.
pub fn parse_wall_time(out: &str) -> Result<f64> {
    let line = out
        .lines()
        .find(|line| line.starts_with("Wall time, "))
        .with_context(|| format!("no wall time in:\n{out}"))?;
    // "Wall time, one thread per file: 101.3ms (speedup …)": the first word after the colon.
    let figure = line
        .split_once(": ")
        .map(|(_, rest)| rest)
        .unwrap_or_default();
    parse_duration(figure.split(' ').next().unwrap_or_default())
        .with_context(|| format!("no duration in {line:?}"))
}

/// `primes.py`: one line per way, `… in 1.2345 s`, in the order loop, threads, processes.
pub fn parse_python(out: &str) -> Result<(f64, f64, f64)> {
    let seconds = |way: &str| -> Result<f64> {
        let line = out
            .lines()
            .find(|line| line.starts_with(&format!("{way} with ")))
            .with_context(|| format!("no line for {way} in:\n{out}"))?;
        line.rsplit_once(" in ")
            .and_then(|(_, rest)| rest.strip_suffix(" s"))
            .and_then(|s| s.parse().ok())
            .with_context(|| format!("no seconds in {line:?}"))
    };
    Ok((seconds("loop")?, seconds("threads")?, seconds("processes")?))
}

/// `Python 3.11.7`, or why there is none.
fn python_version() -> String {
    let Some(python) = course_support::python() else {
        return format!("{} not found", course_support::PYTHON_NAMES.join(" or "));
    };
    match Command::new(python).arg("--version").output() {
        Ok(out) if out.status.success() => String::from_utf8_lossy(&out.stdout).trim().to_string(),
        Ok(out) => format!("{python} --version failed ({})", out.status),
        Err(error) => format!("{python} could not be started: {error}"),
    }
}

fn cpu_name() -> Option<String> {
    let info = fs::read_to_string("/proc/cpuinfo").ok()?;
    let line = info.lines().find(|line| line.starts_with("model name"))?;
    Some(line.split_once(':')?.1.trim().to_string())
}

fn load_average() -> Option<f64> {
    fs::read_to_string("/proc/loadavg")
        .ok()?
        .split_whitespace()
        .next()?
        .parse()
        .ok()
}

/// This process's nice value: field 19 of `/proc/self/stat` (counted after the command name,
/// which is in parentheses and may contain spaces).
fn own_nice() -> Option<i32> {
    let stat = fs::read_to_string("/proc/self/stat").ok()?;
    let after_name = stat.rsplit_once(')')?.1;
    after_name.split_whitespace().nth(16)?.parse().ok()
}

/// Today's date (UTC) as `YYYY-MM-DD`, from the system clock.
fn today() -> String {
    let secs = SystemTime::now()
        .duration_since(SystemTime::UNIX_EPOCH)
        .map_or(0, |d| d.as_secs());
    let (y, m, d) = civil_from_days((secs / 86_400) as i64);
    format!("{y:04}-{m:02}-{d:02}")
}

/// Days since 1970-01-01 to a (year, month, day) of the proleptic Gregorian calendar
/// (Howard Hinnant's `civil_from_days`).
fn civil_from_days(days: i64) -> (i64, u32, u32) {
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097);
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = (doy - (153 * mp + 2) / 5 + 1) as u32;
    let m = if mp < 10 { mp + 3 } else { mp - 9 } as u32;
    let y = yoe + era * 400 + i64::from(m <= 2);
    (y, m, d)
}

#[cfg(test)]
#[allow(clippy::float_cmp)] // the parsed figures are exactly the decimal ones written
mod tests {
    use super::*;

    /// The lessons' real output, as the snapshot tests hold it, with every redacted figure put
    /// back as a number: if a lesson changes the wording the bench reads, this fails.
    fn snapshot_with_figures(name: &str) -> String {
        let path = course_support::snapshot_file(&crate::workspace_root(), name);
        crate::chapters::snapshot_body(&path)
            .unwrap()
            .replace("[duration]", "1.500ms")
            .replace("×[ratio]", "×1.00")
    }

    #[test]
    fn the_parsers_read_what_the_lessons_really_print() {
        let lesson_05 = snapshot_with_figures("lesson-05");
        let pool = parse_pool(&lesson_05).unwrap();
        assert!((pool.threads_s - 0.0015).abs() < 1e-9, "{pool:?}");
        let price = parse_price(&lesson_05).unwrap();
        assert!((price.process_us - 1500.0).abs() < 1e-6, "{price:?}");
        parse_fixes(&snapshot_with_figures("lesson-03")).unwrap();
        parse_wall_time(&snapshot_with_figures("lesson-02")).unwrap();
        let lesson_09 = snapshot_with_figures("lesson-09");
        rayon::parse(&lesson_09, &lesson_09).unwrap();
        let lesson_10 = snapshot_with_figures("lesson-10").replace("[size]", "1.5 MiB");
        let growth = growth::parse(&lesson_10, 100).unwrap();
        assert_eq!(growth.rows.len(), 6, "{growth:?}");
        part_three::parse_executor(&snapshot_with_figures("lesson-11")).unwrap();
        let python_11 = snapshot_with_figures("lesson-11-python");
        part_three::parse_executor(&python_11).unwrap();
        // The snapshot's sizes, from lesson 12's `fast` flags: 20 tasks × 50 increments.
        let lesson_12 = snapshot_with_figures("lesson-12");
        part_three::parse_counter(&lesson_12, 1000).unwrap();
        let python_12 = snapshot_with_figures("lesson-12-python");
        part_three::parse_python_counter(&python_12, 1000).unwrap();
        part_three::parse_blocking(&snapshot_with_figures("lesson-13")).unwrap();
        capstone::parse_report(&snapshot_with_figures("lesson-14")).unwrap();
    }

    #[test]
    fn the_lesson_05_pool_output_parses() {
        let out = "== Part 3: a pool of worker processes, threads, and one loop ==\n\
            Counting the primes below 1000000 in 100 chunks, handed out on demand\n\
            one loop:               78498 primes in 62.900ms\n\
            threads (2):            78498 primes in 51.500ms, speedup ×1.22\n\
            started 2 worker processes: pid 8608, pid 8611\n\
            worker processes (2):   78498 primes in 1.250s, speedup ×0.05\n";
        let run = parse_pool(out).unwrap();
        assert_eq!(
            run,
            CpuRun {
                one_loop_s: 0.0629,
                threads_s: 0.0515,
                processes_s: 1.25,
                others_cores: None,
            }
        );
        assert!(parse_pool("one loop: 1 primes in 2s\n").is_err());
    }

    #[test]
    fn the_price_the_fixes_and_the_wall_time_parse() {
        let price = "start a thread and join it:   4.012µs (median of 50)\n\
                     start a process and wait:     1.2ms (median of 50)\n";
        let spawn = parse_price(price).unwrap();
        assert!((spawn.thread_us - 4.012).abs() < 1e-9);
        assert!((spawn.process_us - 1200.0).abs() < 1e-9);

        let fixes = "4 threads each add one 100000 times; expected 400000\n\
            fetch_add:                      400000 (right) in 2.9ms\n\
            Mutex held for read and write:  400000 (right) in 4.1ms\n\
            sums per thread, then added:    400000 (right) in 156.7µs\n";
        let counters = parse_fixes(fixes).unwrap();
        assert!((counters.per_thread_ms - 0.1567).abs() < 1e-9);
        assert!(parse_fixes(&fixes.replace("(right) in 4.1", "(WRONG) in 4.1")).is_err());

        let wall = "All files have been downloaded.\nWall time, one thread per file: 117.3ms\n";
        assert!((parse_wall_time(wall).unwrap() - 0.1173).abs() < 1e-12);
        let wall = "Wall time, scoped threads: 2.0s (speedup over one after another: ×2.98)\n";
        assert_eq!(parse_wall_time(wall).unwrap(), 2.0);
    }

    #[test]
    fn the_python_output_parses() {
        let out = "loop with 2 workers: 78498 primes below 1000000 in 1.2951 s\n\
                   threads with 2 workers: 78498 primes below 1000000 in 1.4262 s\n\
                   processes with 2 workers: 78498 primes below 1000000 in 0.9484 s\n";
        assert_eq!(parse_python(out).unwrap(), (1.2951, 1.4262, 0.9484));
    }

    #[test]
    fn worker_counts_double_up_to_the_core_count() {
        assert_eq!(worker_counts(1), [1]);
        assert_eq!(worker_counts(2), [1, 2]);
        assert_eq!(worker_counts(6), [1, 2, 4, 6]);
        assert_eq!(worker_counts(8), [1, 2, 4, 8]);
    }

    #[test]
    fn days_become_dates() {
        assert_eq!(civil_from_days(0), (1970, 1, 1));
        assert_eq!(civil_from_days(20_513), (2026, 3, 1));
        assert_eq!(civil_from_days(19_782), (2024, 2, 29));
    }

    /// The committed table and charts are exactly what the committed JSON gives: nobody edits a
    /// measured number by hand, and a change to the report shows up here.
    #[test]
    fn the_book_s_generated_files_are_what_the_committed_json_gives() {
        let dir = crate::workspace_root().join(GENERATED);
        let json = fs::read_to_string(dir.join("bench.json")).unwrap();
        let results: Results = serde_json::from_str(&json).unwrap();
        for (name, expected) in book_files(&results, &json).unwrap() {
            let committed = fs::read_to_string(dir.join(name)).unwrap();
            assert!(
                committed == expected,
                "{GENERATED}/{name} is not what bench.json gives; run `cargo xtask bench --book` (or, for a change of the report alone, `cargo xtask bench --from {GENERATED}/bench.json --book`)"
            );
        }
    }

    /// The project's Python program counts the same primes all three ways (a tiny limit: this
    /// checks the program, it measures nothing).
    #[test]
    fn the_python_program_counts_the_same_primes_three_ways() {
        let script = crate::workspace_root().join("lessons/lesson-05/python/primes.py");
        let Ok(out) = Command::new("python3")
            .arg(script)
            .args(["--limit", "10000", "--workers", "2"])
            .output()
        else {
            eprintln!("skipped: python3 not found");
            return;
        };
        assert!(out.status.success(), "{out:?}");
        let text = String::from_utf8(out.stdout).unwrap();
        assert_eq!(
            text.matches(": 1229 primes below 10000 in ").count(),
            3,
            "{text}"
        );
        parse_python(&text).unwrap();
    }
}
