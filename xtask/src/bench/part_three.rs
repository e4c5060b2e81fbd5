//! Part III's rows of the benchmark, read from what the release-built lessons print and from
//! their Python twins: lesson 11's executor (polls per wake), lesson 12's counter shared by a
//! thousand tasks (std Mutex, tokio Mutex, an actor) and lesson 13's CPU job (how late another
//! task wakes while the job blocks the runtime, against `spawn_blocking`).

use std::fmt::Write as _;

use anyhow::{Context, Result, bail};
use serde::{Deserialize, Serialize};

use super::figures::{Target, figure_after, median, seconds};

/// Picks a figure from one run, if it was measured.
type PickPython<Run> = fn(&Run) -> Option<f64>;
/// A way's name, its Rust figure and its Python figure, picked from one run.
type Way<Run, Python> = (&'static str, fn(&Run) -> f64, Python);

/// Lesson 11 `--part executor`: the counts of its last line, and the same from the Python twin's
/// executor of generators.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Executor {
    pub rust: PollCount,
    pub python: Option<PollCount>,
    /// Why there is no Python figure, where there is none.
    pub python_note: Option<String>,
}

/// `executor: 1000 tasks, 2000 polls for 1000 wakes`.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct PollCount {
    pub tasks: u64,
    pub polls: u64,
    pub wakes: u64,
}

/// Reads the executor's last line, from lesson 11 or from its Python twin.
pub fn parse_executor(out: &str) -> Result<PollCount> {
    let line = out
        .lines()
        .find(|line| line.starts_with("executor: "))
        .with_context(|| format!("no line starting \"executor: \" in:\n{out}"))?;
    let words: Vec<&str> = line.split([' ', ',']).filter(|w| !w.is_empty()).collect();
    match words.as_slice() {
        [
            "executor:",
            tasks,
            "tasks",
            polls,
            "polls",
            "for",
            wakes,
            "wakes",
        ] => Ok(PollCount {
            tasks: tasks.parse()?,
            polls: polls.parse()?,
            wakes: wakes.parse()?,
        }),
        _ => bail!("cannot read {line:?}"),
    }
}

impl PollCount {
    fn per_wake(self) -> f64 {
        self.polls as f64 / self.wakes as f64
    }
}

impl Executor {
    pub fn table(&self, w: &mut String) {
        let r = self.rust;
        let _ = writeln!(
            w,
            "**A future by hand** (lesson 11's executor: {} tasks, each waits once for a wake \
             from another thread; every task is polled once when spawned, then once per wake)\n",
            r.tasks
        );
        let _ = writeln!(
            w,
            "| executor | tasks | polls | wakes | polls per wake |\n|:--|--:|--:|--:|--:|"
        );
        let row = |w: &mut String, name: &str, c: PollCount| {
            let _ = writeln!(
                w,
                "| {name} | {} | {} | {} | {:.2} |",
                c.tasks,
                c.polls,
                c.wakes,
                c.per_wake()
            );
        };
        row(w, "Rust, `Waker` by hand", r);
        match (&self.python, &self.python_note) {
            (Some(p), _) => row(w, "Python, generators", *p),
            (None, note) => {
                let note = note.as_deref().unwrap_or("no figure");
                let _ = writeln!(w, "| Python, generators: not measured ({note}) | | | | |");
            }
        }
        let _ = writeln!(w);
    }

    /// The lesson's claim: no poll that no wake asked for.
    pub fn target(&self) -> Target {
        let r = self.rust;
        Target {
            passed: r.polls <= r.tasks + r.wakes,
            text: format!(
                "lesson 11's executor: {} polls for {} tasks and {} wakes ({:.2} per wake), \
                 target ≤ tasks + wakes = {} (no poll that no wake asked for)",
                r.polls,
                r.tasks,
                r.wakes,
                r.per_wake(),
                r.tasks + r.wakes
            ),
        }
    }
}

/// Lesson 12 `--part counter`, `runs` times, with the Python twin's `--part counter` beside it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SharedCounter {
    pub tasks: u64,
    pub increments: u64,
    pub runs: Vec<CounterRun>,
    pub python_note: Option<String>,
}

/// Seconds; the Python figures are `None` where Python was not measured.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
#[allow(clippy::struct_field_names)] // the unit in every name is what the JSON's reader needs
pub struct CounterRun {
    pub std_mutex_s: f64,
    pub tokio_mutex_s: f64,
    pub actor_s: f64,
    pub python_lock_s: Option<f64>,
    pub python_actor_s: Option<f64>,
}

/// The wall time of the line starting `label`, after checking that it counted `tasks ×
/// increments`: `  std Mutex:   1000 tasks × 1000 increments = 1000000 in 86.2ms, …`.
fn counted(out: &str, label: &str, expected: u64) -> Result<f64> {
    let line = out
        .lines()
        .find(|line| line.trim_start().starts_with(label))
        .with_context(|| format!("no line starting {label:?} in:\n{out}"))?;
    let total = line
        .split_once(" = ")
        .and_then(|(_, rest)| rest.split(' ').next())
        .and_then(|n| n.parse::<u64>().ok())
        .with_context(|| format!("no count in {line:?}"))?;
    if total != expected {
        bail!("{label} counted {total}, not {expected}: {line:?}");
    }
    figure_after(line, label, " in ")
}

/// Reads one run of lesson 12's counter part (std Mutex, tokio Mutex, actor, in seconds).
pub fn parse_counter(out: &str, expected: u64) -> Result<(f64, f64, f64)> {
    Ok((
        counted(out, "std Mutex:", expected)?,
        counted(out, "tokio Mutex:", expected)?,
        counted(out, "actor:", expected)?,
    ))
}

/// Reads one run of the Python twin's counter part (`asyncio.Lock`, actor, in seconds).
pub fn parse_python_counter(out: &str, expected: u64) -> Result<(f64, f64)> {
    Ok((
        counted(out, "asyncio.Lock:", expected)?,
        counted(out, "actor:", expected)?,
    ))
}

impl SharedCounter {
    fn python_median(&self, pick: fn(&CounterRun) -> Option<f64>) -> Option<f64> {
        let values: Vec<f64> = self.runs.iter().filter_map(pick).collect();
        (!values.is_empty()).then(|| median(values))
    }

    pub fn table(&self, w: &mut String) {
        let total = (self.tasks * self.increments) as f64;
        let _ = writeln!(
            w,
            "**A counter shared by {} tasks** (lesson 12: each adds one {} times; per increment: \
             the wall time ÷ {} increments)\n",
            self.tasks,
            self.increments,
            self.tasks * self.increments
        );
        let _ = writeln!(
            w,
            "| way | Rust | per increment | Python | per increment |\n|:--|--:|--:|--:|--:|"
        );
        let cell = |s: Option<f64>| {
            s.map_or_else(
                || ("–".to_string(), "–".to_string()),
                |s| (seconds(s), format!("{:.0} ns", s / total * 1e9)),
            )
        };
        let ways: [Way<CounterRun, Option<PickPython<CounterRun>>>; 3] = [
            (
                "std `Mutex` (no guard across an `.await`)",
                |r| r.std_mutex_s,
                None,
            ),
            (
                "tokio `Mutex` / `asyncio.Lock`",
                |r| r.tokio_mutex_s,
                Some(|r| r.python_lock_s),
            ),
            (
                "an actor (`mpsc` + `oneshot` / `asyncio.Queue`)",
                |r| r.actor_s,
                Some(|r| r.python_actor_s),
            ),
        ];
        for (name, rust, python) in ways {
            let (rust, rust_each) = cell(Some(median(self.runs.iter().map(rust))));
            let (python, python_each) = cell(python.and_then(|pick| self.python_median(pick)));
            let _ = writeln!(
                w,
                "| {name} | {rust} | {rust_each} | {python} | {python_each} |"
            );
        }
        if let Some(note) = &self.python_note {
            let _ = writeln!(w, "\nPython not measured: {note}.");
        }
        let _ = writeln!(w);
    }

    /// The lesson's rule: std's Mutex, where the guard never crosses an `.await`, is the cheapest
    /// of the three. Ratios within each run, then their median.
    pub fn target(&self) -> Target {
        let over_tokio = median(self.runs.iter().map(|r| r.tokio_mutex_s / r.std_mutex_s));
        let over_actor = median(self.runs.iter().map(|r| r.actor_s / r.std_mutex_s));
        Target {
            passed: over_tokio >= 1.0 && over_actor >= 1.0,
            text: format!(
                "counter shared by {} tasks: std Mutex ×{over_tokio:.1} faster than tokio's \
                 Mutex and ×{over_actor:.1} faster than the actor, target: faster than both",
                self.tasks
            ),
        }
    }
}

/// Lesson 13 `--part blocking`, `runs` times, with the Python twin's `--part blocking` beside it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Blocking {
    pub job_ms: u64,
    pub runs: Vec<BlockingRun>,
    pub python_note: Option<String>,
}

/// The worst lateness of the other task, in seconds.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
#[allow(clippy::struct_field_names)] // the unit in every name is what the JSON's reader needs
pub struct BlockingRun {
    pub in_the_task_s: f64,
    pub spawn_blocking_s: f64,
    pub python_in_the_task_s: Option<f64>,
    pub python_to_thread_s: Option<f64>,
}

/// Reads lesson 13's part (inside the task, on `spawn_blocking`), in seconds.
pub fn parse_blocking(out: &str) -> Result<(f64, f64)> {
    Ok((
        figure_after(out, "job blocking the runtime", "other task ")?,
        figure_after(out, "job on spawn_blocking", "other task ")?,
    ))
}

/// Reads the Python twin's part (inside the task, on `asyncio.to_thread`), in seconds.
pub fn parse_python_blocking(out: &str) -> Result<(f64, f64)> {
    Ok((
        figure_after(out, "job blocking the loop", "other task ")?,
        figure_after(out, "job on asyncio.to_thread", "other task ")?,
    ))
}

impl Blocking {
    fn job_s(&self) -> f64 {
        self.job_ms as f64 / 1000.0
    }

    pub fn table(&self, w: &mut String) {
        let job = self.job_s();
        let _ = writeln!(
            w,
            "**A CPU job of {} beside another task** (lesson 13, on a runtime with one thread: the \
             other task asks to wake every millisecond; its worst lateness, and that ÷ the job)\n",
            seconds(job)
        );
        let _ = writeln!(
            w,
            "| the job runs | Rust | ÷ job | Python | ÷ job |\n|:--|--:|--:|--:|--:|"
        );
        let cell = |values: Vec<f64>| {
            if values.is_empty() {
                ("–".to_string(), "–".to_string())
            } else {
                let late = median(values);
                (seconds(late), format!("×{:.2}", late / job))
            }
        };
        let ways: [Way<BlockingRun, PickPython<BlockingRun>>; 2] = [
            (
                "inside a task (blocking the runtime, the event loop)",
                |r| r.in_the_task_s,
                |r| r.python_in_the_task_s,
            ),
            (
                "on `spawn_blocking` / `asyncio.to_thread`",
                |r| r.spawn_blocking_s,
                |r| r.python_to_thread_s,
            ),
        ];
        for (name, rust, python) in ways {
            let (rust, rust_share) = cell(self.runs.iter().map(rust).collect());
            let (python, python_share) = cell(self.runs.iter().filter_map(python).collect());
            let _ = writeln!(
                w,
                "| {name} | {rust} | {rust_share} | {python} | {python_share} |"
            );
        }
        if let Some(note) = &self.python_note {
            let _ = writeln!(w, "\nPython not measured: {note}.");
        }
        let _ = writeln!(w);
    }

    /// The lesson's claim: the other task is late by the whole job when the job blocks the
    /// runtime, and by almost nothing on `spawn_blocking` (a tenth of the job at most).
    pub fn target(&self) -> Target {
        let job = self.job_s();
        let blocked = median(self.runs.iter().map(|r| r.in_the_task_s)) / job;
        let beside = median(self.runs.iter().map(|r| r.spawn_blocking_s)) / job;
        Target {
            passed: beside <= 0.1 && blocked >= 0.9,
            text: format!(
                "a CPU job of {}: the other task late by ×{blocked:.2} the job when it blocks the \
                 runtime, ×{beside:.2} on spawn_blocking, target ≥ ×0.90 and ≤ ×0.10",
                seconds(job)
            ),
        }
    }
}

#[cfg(test)]
#[allow(clippy::float_cmp)] // the figures are exactly the decimal ones written
mod tests {
    use super::*;

    #[test]
    fn the_executor_s_counts_parse_and_a_poll_without_a_wake_misses() {
        let count =
            parse_executor("  poll task 1: Pending\nexecutor: 3 tasks, 6 polls for 3 wakes\n")
                .unwrap();
        assert_eq!(
            count,
            PollCount {
                tasks: 3,
                polls: 6,
                wakes: 3
            }
        );
        assert!(parse_executor("executor: 3 tasks\n").is_err());
        let mut executor = Executor {
            rust: count,
            python: None,
            python_note: Some("python3 not found".into()),
        };
        assert!(executor.target().passed, "{}", executor.target().text);
        executor.rust.polls = 7;
        assert!(!executor.target().passed, "{}", executor.target().text);
        let mut md = String::new();
        executor.table(&mut md);
        assert!(md.contains("not measured (python3 not found)"), "{md}");
    }

    #[test]
    fn a_counter_that_counted_wrong_is_an_error_not_a_figure() {
        let out = "  std Mutex:   2 tasks × 5 increments = 10 in 1.5ms, 150.0ns per increment\n\
                   \x20 tokio Mutex: 2 tasks × 5 increments = 10 in 3.0ms, 300.0ns per increment\n\
                   \x20 actor:       2 tasks × 5 increments = 10 in 6.0ms, 600.0ns per increment\n";
        assert_eq!(parse_counter(out, 10).unwrap(), (0.0015, 0.003, 0.006));
        let wrong = out.replace("= 10 in 3.0ms", "= 9 in 3.0ms");
        let error = parse_counter(&wrong, 10).unwrap_err().to_string();
        assert!(error.contains("tokio Mutex: counted 9, not 10"), "{error}");
        let python = "  asyncio.Lock: 2 tasks × 5 increments = 10 in 415.4ms, 1.0µs per increment\n\
                      \x20 actor:        2 tasks × 5 increments = 10 in 1.3s, 2.0µs per increment\n";
        assert_eq!(parse_python_counter(python, 10).unwrap(), (0.4154, 1.3));
        let counter = SharedCounter {
            tasks: 2,
            increments: 5,
            runs: vec![CounterRun {
                std_mutex_s: 0.0015,
                tokio_mutex_s: 0.003,
                actor_s: 0.001,
                python_lock_s: None,
                python_actor_s: None,
            }],
            python_note: None,
        };
        let target = counter.target();
        assert!(!target.passed, "the actor was faster: {}", target.text);
        assert!(
            target.text.contains("×2.0 faster than tokio's"),
            "{}",
            target.text
        );
    }

    #[test]
    fn the_blocking_part_parses_and_its_target_wants_both_sides() {
        let out = "A CPU job of 1s on a runtime with one thread; another task asks to wake every 1ms.\n\
                   \x20 job blocking the runtime  worst latency of the other task 1.0s, ×1.01 the job\n\
                   \x20 job on spawn_blocking     worst latency of the other task 68.2ms, ×0.07 the job\n";
        assert_eq!(parse_blocking(out).unwrap(), (1.0, 0.0682));
        let python = "  job blocking the loop     worst latency of the other task 999.2ms, ×1.00 the job\n\
                      \x20 job on asyncio.to_thread  worst latency of the other task 10.5ms, ×0.01 the job\n";
        let (inside, beside) = parse_python_blocking(python).unwrap();
        assert!(
            (inside - 0.9992).abs() < 1e-12 && beside == 0.0105,
            "{inside} {beside}"
        );
        let run = BlockingRun {
            in_the_task_s: 1.0,
            spawn_blocking_s: 0.0682,
            python_in_the_task_s: None,
            python_to_thread_s: None,
        };
        let mut blocking = Blocking {
            job_ms: 1000,
            runs: vec![run],
            python_note: None,
        };
        assert!(blocking.target().passed, "{}", blocking.target().text);
        blocking.runs[0].spawn_blocking_s = 0.2;
        assert!(!blocking.target().passed, "{}", blocking.target().text);
        blocking.runs[0] = BlockingRun {
            in_the_task_s: 0.5,
            ..run
        };
        assert!(!blocking.target().passed, "{}", blocking.target().text);
    }
}
