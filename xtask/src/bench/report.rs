//! What `cargo xtask bench` measured (the JSON it writes), and what is derived from it: medians,
//! speedups, parallel efficiency, the targets, and the Markdown table the book includes.
//!
//! Every raw figure is kept, one entry per run; everything shown is computed from them here, so
//! the committed table can be regenerated from the committed JSON and checked against it.

use std::fmt::Write as _;

use serde::{Deserialize, Serialize};

use super::capstone::Capstone;
use super::figures::{Target, median, seconds};
use super::growth::Growth;
use super::part_three::{Blocking, Executor, SharedCounter};
use super::rayon::Rayon;

/// One complete benchmark: the machine, the settings, and every figure of every run.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Results {
    pub machine: Machine,
    /// `--quick`: smaller jobs and fewer runs, for CI and for a first look.
    pub quick: bool,
    pub runs: usize,
    pub cpu: CpuJob,
    pub downloads: Downloads,
    pub spawn: Vec<SpawnRun>,
    pub counters: Counters,
    pub python: Python,
    /// One run of lesson 02's three parts with `--timeline`: when each download waited and when
    /// it transferred.
    pub timeline_02: Vec<TimelineSpan>,
    /// One run of lesson 05's part 3 with `--timeline` (K = the core count): which worker
    /// counted when.
    pub timeline_05: Vec<TimelineSpan>,
    /// Lesson 09 (rayon).
    pub rayon: Rayon,
    /// Lesson 10 (the growth curve).
    pub growth: Growth,
    /// Lesson 11 (polls per wake of the executor by hand).
    pub executor: Executor,
    /// Lesson 12 (a counter shared by a thousand tasks: std Mutex, tokio Mutex, an actor).
    pub shared_counter: SharedCounter,
    /// Lesson 13 (another task's lateness while a CPU job blocks the runtime, and beside it).
    pub blocking: Blocking,
    /// Lesson 14 (the link checker's crawlers, the Python twin's and lychee's, against the
    /// lesson's site). `None` in figures saved before the capstone was measured.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub capstone: Option<Capstone>,
}

/// One span of a lesson's `--timeline`, as `course_support::timeline` records it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct TimelineSpan {
    pub part: String,
    pub row: String,
    /// `waiting` or `working`.
    pub activity: String,
    pub from_s: f64,
    pub to_s: f64,
}

impl TimelineSpan {
    pub fn from_lesson(span: &course_support::timeline::Span) -> Self {
        let activity = match span.activity {
            course_support::timeline::Activity::Waiting => "waiting",
            course_support::timeline::Activity::Working => "working",
        };
        TimelineSpan {
            part: span.part.clone(),
            row: span.row.clone(),
            activity: activity.to_string(),
            from_s: span.from,
            to_s: span.to,
        }
    }

    pub fn to_lesson(&self) -> course_support::timeline::Span {
        let activity = if self.activity == "working" {
            course_support::timeline::Activity::Working
        } else {
            course_support::timeline::Activity::Waiting
        };
        course_support::timeline::Span {
            part: self.part.clone(),
            row: self.row.clone(),
            activity,
            from: self.from_s,
            to: self.to_s,
        }
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Machine {
    /// Logical cores, as `std::thread::available_parallelism` sees them.
    pub cores: usize,
    pub os: String,
    pub arch: String,
    /// The processor's name, where the OS says it (`/proc/cpuinfo` on Linux).
    pub cpu: Option<String>,
    /// The day of the run (UTC), `YYYY-MM-DD`.
    pub date: String,
    /// The one-minute load average before the run, where the OS says it: a busy machine
    /// measures lower speedups.
    pub load_before: Option<f64>,
    /// The same, after the run.
    pub load_after: Option<f64>,
    /// The scheduling priority the benchmark ran at, where the OS says it (`nice`; 0 is the
    /// default, negative is ahead of other programs on a shared machine).
    pub nice: Option<i32>,
}

/// Lesson 05's prime count: one loop, K threads and K worker processes, in one run of the lesson.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CpuJob {
    pub limit: u64,
    pub by_workers: Vec<CpuWorkers>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CpuWorkers {
    pub workers: usize,
    pub runs: Vec<CpuRun>,
}

/// Seconds, all three from the same run of `lesson-05 --part pool`.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
#[allow(clippy::struct_field_names)] // the unit in every name is what the JSON's reader needs
pub struct CpuRun {
    pub one_loop_s: f64,
    pub threads_s: f64,
    pub processes_s: f64,
    /// How many cores *other* programs kept busy while the lesson ran, on average (the
    /// machine's busy time, from `/proc/stat`, minus the lesson's own CPU time). Where it is
    /// near 1 on two cores, no speedup can reach 2. `None` where the OS does not say (Linux does).
    pub others_cores: Option<f64>,
}

/// Lesson 02's downloads from its loopback server, every answer delayed by `latency_ms`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Downloads {
    pub latency_ms: u64,
    pub by_files: Vec<DownloadFiles>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct DownloadFiles {
    pub files: u32,
    pub runs: Vec<DownloadRun>,
}

/// Wall times in seconds.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
#[allow(clippy::struct_field_names)] // the unit in every name is what the JSON's reader needs
pub struct DownloadRun {
    pub sequential_s: f64,
    pub threads_s: f64,
    /// One thread per file again, with no latency at all: the fixed cost of starting the
    /// threads, connecting, checking and writing the files, which no waiting hides.
    pub threads_no_latency_s: f64,
}

/// Lesson 05's price part: each figure is already the median of its 50 rounds.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct SpawnRun {
    pub thread_us: f64,
    pub process_us: f64,
}

/// Lesson 03's three fixes of the lost update, on the same number of increments.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Counters {
    pub threads: u32,
    pub increments: u64,
    pub runs: Vec<CounterRun>,
}

/// Milliseconds.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
#[allow(clippy::struct_field_names)] // the unit in every name is what the JSON's reader needs
pub struct CounterRun {
    pub fetch_add_ms: f64,
    pub mutex_ms: f64,
    pub per_thread_ms: f64,
}

/// The project's Python program beside lesson 05, on a smaller limit, with Rust on that limit too.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Python {
    /// What `python3 --version` said, or why Python was not measured.
    pub note: String,
    pub limit: u64,
    pub workers: usize,
    pub runs: Vec<PythonRun>,
}

/// Seconds; the Rust figures come from `lesson-05 --part pool` on the same limit, same run.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
#[allow(clippy::struct_field_names)] // the unit in every name is what the JSON's reader needs
pub struct PythonRun {
    pub python_loop_s: f64,
    pub python_threads_s: f64,
    pub python_processes_s: f64,
    pub rust_loop_s: f64,
    pub rust_threads_s: f64,
    pub rust_processes_s: f64,
}

/// Picks (Python, Rust) seconds of one way from a run.
type Pick = fn(&PythonRun) -> (f64, f64);

/// Speedup and parallel efficiency for K workers: medians of the ratios taken within each run,
/// so that a machine that is slower during one run does not tilt the comparison.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Speedups {
    pub threads: f64,
    pub processes: f64,
}

impl Speedups {
    pub fn of(runs: &[CpuRun]) -> Self {
        Speedups {
            threads: median(runs.iter().map(|r| r.one_loop_s / r.threads_s)),
            processes: median(runs.iter().map(|r| r.one_loop_s / r.processes_s)),
        }
    }
}

/// How much of K cores a speedup uses: 1.0 is all of them.
pub fn efficiency(speedup: f64, workers: usize) -> f64 {
    speedup / workers as f64
}

impl Results {
    /// The machine in one line, as the table and the charts are labelled.
    pub fn machine_label(&self) -> String {
        let m = &self.machine;
        let cpu = m
            .cpu
            .as_deref()
            .map(|c| format!(", {c}"))
            .unwrap_or_default();
        let load = match (m.load_before, m.load_after) {
            (Some(before), Some(after)) => format!(", load {before:.2} before, {after:.2} after"),
            (Some(before), None) => format!(", load {before:.2} before"),
            _ => String::new(),
        };
        let nice = match m.nice {
            Some(nice) if nice != 0 => format!(", at nice {nice}"),
            _ => String::new(),
        };
        let quick = if self.quick { ", --quick" } else { "" };
        format!(
            "{} cores, {} {}{cpu}, {}{load}{nice}{quick}",
            m.cores, m.os, m.arch, m.date
        )
    }

    /// The CPU job's figures for K = the core count (the last, largest K measured).
    fn all_cores(&self) -> Option<&CpuWorkers> {
        self.cpu.by_workers.last()
    }

    pub fn targets(&self) -> Vec<Target> {
        let mut targets = Vec::new();
        let cores = self.machine.cores;
        if let Some(all) = self.all_cores() {
            let s = Speedups::of(&all.runs);
            let k = all.workers;
            let others = median(all.runs.iter().filter_map(|r| r.others_cores));
            let others = if others.is_nan() {
                String::new()
            } else {
                format!("; other programs kept {others:.2} cores busy meanwhile")
            };
            for (way, speedup, share) in [
                ("threads", s.threads, 0.9),
                ("processes", s.processes, 0.85),
            ] {
                let needed = share * cores as f64;
                targets.push(Target {
                    passed: speedup >= needed,
                    text: format!(
                        "CPU job, {k} {way}: speedup ×{speedup:.2}, target ≥ ×{needed:.2} ({share} × {cores} cores){others}"
                    ),
                });
            }
        }
        let d = self.downloads.latency_ms as f64 / 1000.0;
        for row in &self.downloads.by_files {
            let wall = median(row.runs.iter().map(|r| r.threads_s)) / d;
            let fixed = median(row.runs.iter().map(|r| r.threads_no_latency_s)) / d;
            targets.push(Target {
                passed: wall <= 1.2,
                text: format!(
                    "{} concurrent downloads: wall time {wall:.2} · d ({fixed:.2} · d of it is the \
                     fixed cost measured with no latency), target ≤ 1.20 · d",
                    row.files
                ),
            });
        }
        let thread_us = median(self.spawn.iter().map(|r| r.thread_us));
        let process_us = median(self.spawn.iter().map(|r| r.process_us));
        targets.push(Target {
            passed: thread_us <= 50.0,
            text: format!("thread spawn+join: {thread_us:.1} µs, target ≤ 50 µs"),
        });
        targets.push(Target {
            passed: process_us <= 2000.0,
            text: format!("process spawn+wait: {process_us:.0} µs, target ≤ 2000 µs"),
        });
        targets.push(self.rayon.target());
        targets.extend(self.growth.target());
        targets.push(self.executor.target());
        targets.push(self.shared_counter.target());
        targets.push(self.blocking.target());
        if let Some(capstone) = &self.capstone {
            targets.extend(capstone.targets());
        }
        if let Some(ratio) = self.rust_threads_over_python_threads() {
            targets.push(Target {
                passed: ratio >= 50.0,
                text: format!(
                    "Rust threads are ×{ratio:.0} faster than Python threads on the CPU job, target ≥ ×50"
                ),
            });
        }
        targets
    }

    fn rust_threads_over_python_threads(&self) -> Option<f64> {
        let runs = &self.python.runs;
        (!runs.is_empty())
            .then(|| median(runs.iter().map(|r| r.python_threads_s / r.rust_threads_s)))
    }

    /// The whole report as Markdown: the terminal shows it, the book includes it.
    pub fn markdown(&self) -> String {
        let mut md = String::new();
        let w = &mut md;
        let _ = writeln!(
            w,
            "Measured by `cargo xtask bench{}` on {}; medians of {} runs.\n",
            if self.quick { " --quick" } else { "" },
            self.machine_label(),
            self.runs
        );
        self.cpu_table(w);
        self.python_table(w);
        self.download_table(w);
        self.spawn_and_counter_tables(w);
        self.rayon.table(w);
        self.growth.table(w);
        self.executor.table(w);
        self.shared_counter.table(w);
        self.blocking.table(w);
        self.capstone_table(w);
        let _ = writeln!(w, "**Targets**\n");
        for target in self.targets() {
            let mark = if target.passed { "pass" } else { "MISS" };
            let _ = writeln!(w, "- {mark}: {}", target.text);
        }
        md
    }

    /// The capstone's table alone, as lesson 14's chapter includes it.
    pub fn capstone_markdown(&self) -> String {
        let mut md = String::new();
        self.capstone_table(&mut md);
        if let Some(capstone) = &self.capstone {
            for target in capstone.targets() {
                let mark = if target.passed { "pass" } else { "MISS" };
                let _ = writeln!(md, "- {mark}: {}", target.text);
            }
            let _ = writeln!(
                md,
                "\nMeasured by `cargo xtask bench{}` on {}; medians of {} runs.",
                if self.quick { " --quick" } else { "" },
                self.machine_label(),
                capstone.runs()
            );
        }
        md
    }

    fn capstone_table(&self, w: &mut String) {
        match &self.capstone {
            Some(capstone) => capstone.table(w),
            None => {
                let _ = writeln!(
                    w,
                    "**The capstone: a link checker**: not measured in this run (its figures \
                     were saved before the bench measured lesson 14).\n"
                );
            }
        }
    }

    fn cpu_table(&self, w: &mut String) {
        let _ = writeln!(
            w,
            "**The CPU job** (lesson 05: count the primes below {}, in 100 chunks handed out on demand; \
             effic.: parallel efficiency, speedup ÷ K; others' load: cores that other programs kept busy meanwhile)\n",
            self.cpu.limit
        );
        let _ = writeln!(
            w,
            "| K | one loop | K threads | speedup | effic. | K processes | speedup | effic. | others' load |"
        );
        let _ = writeln!(w, "|--:|--:|--:|--:|--:|--:|--:|--:|--:|");
        for row in &self.cpu.by_workers {
            let s = Speedups::of(&row.runs);
            let k = row.workers;
            let others = median(row.runs.iter().filter_map(|r| r.others_cores));
            let others = if others.is_nan() {
                "–".to_string()
            } else {
                format!("{others:.2}")
            };
            let _ = writeln!(
                w,
                "| {k} | {} | {} | ×{:.2} | {:.0} % | {} | ×{:.2} | {:.0} % | {others} |",
                seconds(median(row.runs.iter().map(|r| r.one_loop_s))),
                seconds(median(row.runs.iter().map(|r| r.threads_s))),
                s.threads,
                100.0 * efficiency(s.threads, k),
                seconds(median(row.runs.iter().map(|r| r.processes_s))),
                s.processes,
                100.0 * efficiency(s.processes, k),
            );
        }
        let _ = writeln!(w);
    }

    fn python_table(&self, w: &mut String) {
        let p = &self.python;
        if p.runs.is_empty() {
            let _ = writeln!(w, "**Python beside Rust**: not measured ({}).\n", p.note);
            return;
        }
        let _ = writeln!(
            w,
            "**Python beside Rust** (the primes below {}, K = {}; {})\n",
            p.limit, p.workers, p.note
        );
        let _ = writeln!(
            w,
            "| way | Python | speedup | Rust | speedup | Rust faster by |"
        );
        let _ = writeln!(w, "|:--|--:|--:|--:|--:|--:|");
        let ways: [(&str, Pick); 3] = [
            ("one loop", |r| (r.python_loop_s, r.rust_loop_s)),
            ("K threads", |r| (r.python_threads_s, r.rust_threads_s)),
            ("K processes", |r| {
                (r.python_processes_s, r.rust_processes_s)
            }),
        ];
        for (name, pick) in ways {
            let python = median(p.runs.iter().map(|r| pick(r).0));
            let rust = median(p.runs.iter().map(|r| pick(r).1));
            let python_speedup = median(p.runs.iter().map(|r| r.python_loop_s / pick(r).0));
            let rust_speedup = median(p.runs.iter().map(|r| r.rust_loop_s / pick(r).1));
            let faster = median(p.runs.iter().map(|r| pick(r).0 / pick(r).1));
            let _ = writeln!(
                w,
                "| {name} | {} | ×{python_speedup:.2} | {} | ×{rust_speedup:.2} | ×{faster:.0} |",
                seconds(python),
                seconds(rust)
            );
        }
        let _ = writeln!(w);
    }

    fn download_table(&self, w: &mut String) {
        let d = self.downloads.latency_ms as f64 / 1000.0;
        let _ = writeln!(
            w,
            "**Downloads** (lesson 02 over its loopback server, each answer delayed d = {} ms)\n",
            self.downloads.latency_ms
        );
        let _ = writeln!(
            w,
            "| N files | one after another | wall / d | one thread per file | wall / d | speedup | threads, no latency |"
        );
        let _ = writeln!(w, "|--:|--:|--:|--:|--:|--:|--:|");
        for row in &self.downloads.by_files {
            let sequential = median(row.runs.iter().map(|r| r.sequential_s));
            let threads = median(row.runs.iter().map(|r| r.threads_s));
            let speedup = median(row.runs.iter().map(|r| r.sequential_s / r.threads_s));
            let fixed = median(row.runs.iter().map(|r| r.threads_no_latency_s));
            let _ = writeln!(
                w,
                "| {} | {} | {:.2} | {} | {:.2} | ×{speedup:.1} | {} |",
                row.files,
                seconds(sequential),
                sequential / d,
                seconds(threads),
                threads / d,
                seconds(fixed),
            );
        }
        let _ = writeln!(w);
    }

    fn spawn_and_counter_tables(&self, w: &mut String) {
        let thread_us = median(self.spawn.iter().map(|r| r.thread_us));
        let process_us = median(self.spawn.iter().map(|r| r.process_us));
        let _ = writeln!(w, "**The price of starting one** (lesson 05)\n");
        let _ = writeln!(
            w,
            "| thread spawn + join | process spawn + wait | a process costs |"
        );
        let _ = writeln!(w, "|--:|--:|--:|");
        let _ = writeln!(
            w,
            "| {thread_us:.1} µs | {process_us:.0} µs | ×{:.0} a thread |\n",
            median(self.spawn.iter().map(|r| r.process_us / r.thread_us))
        );
        let c = &self.counters;
        let _ = writeln!(
            w,
            "**Counting right** (lesson 03: {} threads each add one {} times)\n",
            c.threads, c.increments
        );
        let _ = writeln!(w, "| fetch_add | Mutex | sums per thread, then added |");
        let _ = writeln!(w, "|--:|--:|--:|");
        let _ = writeln!(
            w,
            "| {:.2} ms | {:.2} ms | {:.3} ms |\n",
            median(c.runs.iter().map(|r| r.fetch_add_ms)),
            median(c.runs.iter().map(|r| r.mutex_ms)),
            median(c.runs.iter().map(|r| r.per_thread_ms)),
        );
    }
}

#[cfg(test)]
#[allow(clippy::float_cmp)] // exact binary fractions, computed exactly
pub(crate) mod tests {
    use super::super::growth::GrowthRow;
    use super::super::part_three::{BlockingRun, CounterRun as SharedRun, PollCount};
    use super::super::rayon::RayonRun;
    use super::*;

    #[test]
    fn speedups_are_medians_of_ratios_within_each_run() {
        // The second run was slower overall (a busy machine), yet its ratio is the same.
        let runs = [
            CpuRun {
                one_loop_s: 2.0,
                threads_s: 1.0,
                processes_s: 1.25,
                others_cores: None,
            },
            CpuRun {
                one_loop_s: 4.0,
                threads_s: 2.0,
                processes_s: 2.5,
                others_cores: None,
            },
            CpuRun {
                one_loop_s: 2.0,
                threads_s: 2.0,
                processes_s: 2.0,
                others_cores: None,
            },
        ];
        let s = Speedups::of(&runs);
        assert_eq!(s.threads, 2.0);
        assert_eq!(s.processes, 1.6);
        assert_eq!(efficiency(s.threads, 2), 1.0);
        assert_eq!(efficiency(s.processes, 4), 0.4);
    }

    /// A small, made-up benchmark for the tests.
    pub(crate) fn sample() -> Results {
        Results {
            machine: Machine {
                cores: 2,
                os: "linux".into(),
                arch: "x86_64".into(),
                cpu: None,
                date: "2026-01-02".into(),
                load_before: Some(0.5),
                load_after: None,
                nice: Some(0),
            },
            quick: true,
            runs: 1,
            cpu: CpuJob {
                limit: 1000,
                by_workers: vec![
                    CpuWorkers {
                        workers: 1,
                        runs: vec![CpuRun {
                            one_loop_s: 1.0,
                            threads_s: 1.0,
                            processes_s: 1.1,
                            others_cores: None,
                        }],
                    },
                    CpuWorkers {
                        workers: 2,
                        runs: vec![CpuRun {
                            one_loop_s: 1.0,
                            threads_s: 0.52,
                            processes_s: 0.6,
                            others_cores: Some(0.25),
                        }],
                    },
                ],
            },
            downloads: Downloads {
                latency_ms: 100,
                by_files: vec![DownloadFiles {
                    files: 4,
                    runs: vec![DownloadRun {
                        sequential_s: 0.41,
                        threads_s: 0.13,
                        threads_no_latency_s: 0.02,
                    }],
                }],
            },
            spawn: vec![SpawnRun {
                thread_us: 20.0,
                process_us: 900.0,
            }],
            counters: Counters {
                threads: 4,
                increments: 100,
                runs: vec![CounterRun {
                    fetch_add_ms: 1.0,
                    mutex_ms: 2.0,
                    per_thread_ms: 0.1,
                }],
            },
            python: Python {
                note: "python3 not found".into(),
                limit: 100,
                workers: 2,
                runs: vec![],
            },
            timeline_02: vec![],
            timeline_05: vec![],
            rayon: Rayon {
                limit: 1000,
                threads: 2,
                runs: vec![RayonRun {
                    one_loop_s: 1.0,
                    split_s: 0.75,
                    rayon_s: 0.5,
                    uneven_work_s: 1.0,
                    uneven_split_s: 0.75,
                    uneven_rayon_s: 0.5,
                }],
            },
            growth: sample_growth(),
            executor: sample_executor(),
            shared_counter: sample_shared_counter(),
            blocking: sample_blocking(),
            capstone: Some(super::super::capstone::tests::sample()),
        }
    }

    fn sample_executor() -> Executor {
        Executor {
            rust: PollCount {
                tasks: 10,
                polls: 20,
                wakes: 10,
            },
            python: None,
            python_note: Some("python3 not found".into()),
        }
    }

    fn sample_shared_counter() -> SharedCounter {
        SharedCounter {
            tasks: 10,
            increments: 100,
            runs: vec![SharedRun {
                std_mutex_s: 0.001,
                tokio_mutex_s: 0.004,
                actor_s: 0.008,
                python_lock_s: None,
                python_actor_s: None,
            }],
            python_note: Some("python3 not found".into()),
        }
    }

    fn sample_blocking() -> Blocking {
        Blocking {
            job_ms: 200,
            runs: vec![BlockingRun {
                in_the_task_s: 0.2,
                spawn_blocking_s: 0.004,
                python_in_the_task_s: None,
                python_to_thread_s: None,
            }],
            python_note: Some("python3 not found".into()),
        }
    }

    /// Lesson 10's curve for [`sample`]: tokio tasks at two counts (no target at this size).
    fn sample_growth() -> Growth {
        Growth {
            latency_ms: 1000,
            rows: vec![
                GrowthRow {
                    downloads: 10,
                    strategy: "tokio tasks".into(),
                    wall_over_latency: Some(1.01),
                    start_s: Some(0.001),
                    peak_mib: Some(6.0),
                },
                GrowthRow {
                    downloads: 1000,
                    strategy: "tokio tasks".into(),
                    wall_over_latency: Some(1.2),
                    start_s: Some(0.006),
                    peak_mib: Some(21.0),
                },
            ],
            added_kib: vec![("tokio tasks".into(), 15.3)],
        }
    }

    #[test]
    fn targets_pass_or_miss_by_the_issue_s_thresholds() {
        let results = sample();
        let targets = results.targets();
        let lines: Vec<_> = targets
            .iter()
            .map(|t| format!("{} {}", t.passed, t.text))
            .collect();
        assert_eq!(
            lines,
            [
                "true CPU job, 2 threads: speedup ×1.92, target ≥ ×1.80 (0.9 × 2 cores); other programs kept 0.25 cores busy meanwhile",
                "false CPU job, 2 processes: speedup ×1.67, target ≥ ×1.70 (0.85 × 2 cores); other programs kept 0.25 cores busy meanwhile",
                "false 4 concurrent downloads: wall time 1.30 · d (0.20 · d of it is the fixed cost measured with no latency), target ≤ 1.20 · d",
                "true thread spawn+join: 20.0 µs, target ≤ 50 µs",
                "true process spawn+wait: 900 µs, target ≤ 2000 µs",
                "true rayon on uneven work: speedup ×2.00, target ≥ 0.9 × its uniform-work speedup ×2.00",
                "true lesson 11's executor: 20 polls for 10 tasks and 10 wakes (2.00 per wake), target ≤ tasks + wakes = 20 (no poll that no wake asked for)",
                "true counter shared by 10 tasks: std Mutex ×4.0 faster than tokio's Mutex and ×8.0 faster than the actor, target: faster than both",
                "true a CPU job of 200.0 ms: the other task late by ×1.00 the job when it blocks the runtime, ×0.02 on spawn_blocking, target ≥ ×0.90 and ≤ ×0.10",
                "true link checker, 10000 pages, Rust tasks: wall time 2.25 s = ×1.125 (N/k)·d (k = 100, d = 20 ms), each page once: yes; target ≤ ×1.20 and each page once",
                "false link checker, 10000 pages, Rust pool: wall time 2.60 s = ×1.300 (N/k)·d (k = 100, d = 20 ms), each page once: yes; target ≤ ×1.20 and each page once",
            ]
        );
    }

    #[test]
    fn missing_python_is_reported_not_an_error() {
        let md = sample().markdown();
        assert!(md.contains("**Python beside Rust**: not measured (python3 not found)."));
        assert!(md.contains("- MISS: CPU job, 2 processes"));
        assert!(
            md.contains(
                "| 2 | 1.00 s | 520.0 ms | ×1.92 | 96 % | 600.0 ms | ×1.67 | 83 % | 0.25 |"
            )
        );
    }

    #[test]
    fn the_json_round_trips_exactly() {
        let results = sample();
        let json = serde_json::to_string_pretty(&results).unwrap();
        assert_eq!(serde_json::from_str::<Results>(&json).unwrap(), results);
    }
}
