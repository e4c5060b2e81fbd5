//! Checks one exercise: builds its test program with cargo (in the workspace's target
//! directory, [`cargo`]), runs it with [`run::run_in_process_group`], reads what libtest and the
//! panics printed ([`libtest`]), and turns what happened into a [`Verdict`] a learner can act on.

mod cargo;
mod libtest;

use std::fmt::Write as _;
use std::fs;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::Duration;

use anyhow::{Context, Result, bail};

use super::Exercise;
use super::run::{self, Run};
pub(super) use cargo::{build, build_all, build_targets};
pub(super) use libtest::failure_report;
use libtest::{check_results, name_the_threads};

/// Which file of the exercise is checked. Each is a target of the exercise's crate, so checking
/// the solution never touches the learner's file.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Variant {
    /// `src/lib.rs`, the learner's file, shipped as the starter (the crate's lib target and its
    /// unit tests).
    Learner,
    /// `solution/lib.rs`, the reference solution (the `[[test]]` target `solution`).
    Solution,
}

impl Variant {
    fn cargo_target(self) -> [&'static str; 2] {
        match self {
            Self::Learner => ["--lib", ""],
            Self::Solution => ["--test", "solution"],
        }
    }
}

/// The outcome of one check.
#[derive(Debug)]
pub enum Verdict {
    /// Every check passed.
    Done { passed: usize },
    /// The code does not compile; the compiler's messages.
    CompileError { messages: String },
    /// Some checks failed: the failing tests and their messages.
    Failed { report: String },
    /// The run did not end within the timeout and was killed.
    TimedOut {
        after: Duration,
        stuck: Vec<String>,
        /// Says how much output was cut, if any.
        note: String,
    },
    /// A process of the run reached the memory limit.
    OutOfMemory { limit_mib: u64 },
    /// The checks passed, but processes the program started were still running afterwards.
    LeftRunning { processes: Vec<String> },
}

impl Verdict {
    pub fn is_done(&self) -> bool {
        matches!(self, Self::Done { .. })
    }

    /// A one-line summary: "done", "does not compile", …
    pub fn headline(&self) -> &'static str {
        match self {
            Self::Done { .. } => "done",
            Self::CompileError { .. } => "does not compile",
            Self::Failed { .. } => "checks fail",
            Self::TimedOut { .. } => "timed out",
            Self::OutOfMemory { .. } => "used too much memory",
            Self::LeftRunning { .. } => "left processes running",
        }
    }

    /// The full explanation, several lines.
    pub fn explain(&self, timeout_flag_hint: bool) -> String {
        match self {
            Self::Done { passed } => format!("all {passed} checks pass"),
            Self::CompileError { messages } => {
                format!("The code does not compile:\n\n{}", messages.trim_end())
            }
            Self::Failed { report } => format!("Checks fail:\n\n{}", report.trim()),
            Self::OutOfMemory { limit_mib } => format!(
                "Your program used more than {limit_mib} MiB of memory, the limit verify gives \
                 it, and was stopped. Does a collection grow without \
                 end, in a loop that never stops?"
            ),
            Self::TimedOut { after, stuck, note } => {
                let mut text = format!(
                    "The checks did not finish within {} s and were stopped (every process they \
                     started was killed).\nThe program probably deadlocked or loops forever.",
                    after.as_secs_f64().round()
                );
                if !stuck.is_empty() {
                    text.push_str("\n\nWhat its threads were doing when it was stopped:\n");
                    for line in stuck {
                        let _ = writeln!(text, "  {line}");
                    }
                }
                text.push_str(note);
                if timeout_flag_hint {
                    text.push_str(
                        "\nIf it is only slow, give it more time: `cargo xtask verify --timeout 60`.",
                    );
                }
                text
            }
            Self::LeftRunning { processes } => {
                let mut text = String::from(
                    "The checks passed, but these processes were still running after the test \
                     program had ended (verify killed them). Wait for every child process you \
                     start:\n",
                );
                for line in processes {
                    let _ = writeln!(text, "  {line}");
                }
                text
            }
        }
    }
}

/// Builds and runs the checks of `exercise` against `variant`.
pub fn check(
    root: &Path,
    exercise: &Exercise,
    variant: Variant,
    timeout: Duration,
) -> Result<Verdict> {
    let built = build(root, exercise, variant)?;
    run_built(root, exercise, built, timeout)
}

/// Runs the checks of `exercise` from a test program built by [`build_all`].
pub fn run_built(
    root: &Path,
    exercise: &Exercise,
    built: Result<PathBuf, String>,
    timeout: Duration,
) -> Result<Verdict> {
    let package_dir = exercise.dir(root);
    let expected = expected_checks(&package_dir)?;
    let executable = match built {
        Ok(executable) => executable,
        Err(messages) => return Ok(Verdict::CompileError { messages }),
    };
    let mut command = Command::new(&executable);
    // Only the course's checks, each by its exact name: a test of the learner's own neither
    // counts nor gets in the way. Uncaptured, so that every panic message is out before loom
    // aborts the program at a deadlock (libtest prints captured ones only at the end). One at a
    // time: the process's CPU time, which the checks of waiting read, is then the running check's
    // own, and the failures come in the same order on every run.
    command
        .args([
            "--include-ignored",
            "--exact",
            "--nocapture",
            "--test-threads=1",
        ])
        .args(&expected)
        .env("RUST_BACKTRACE", "0")
        .current_dir(exercise.dir(root));
    let run = run::run_in_process_group(command, timeout)
        .with_context(|| format!("running {}", executable.display()))?;
    let mut verdict = verdict(&run, timeout, &expected, root);
    if let Verdict::TimedOut { stuck, .. } = &mut verdict {
        name_the_threads(stuck, &executable);
    }
    Ok(verdict)
}

/// The names of the checks in the exercise's `checks.rs`, as the test program calls them
/// (`checks::name`): every `fn` that follows a `#[test]`.
pub(super) fn expected_checks(package_dir: &Path) -> Result<Vec<String>> {
    let path = package_dir.join("checks.rs");
    let text = fs::read_to_string(&path).with_context(|| format!("reading {}", path.display()))?;
    let mut names = Vec::new();
    let mut after_test = false;
    for line in text.lines().map(str::trim) {
        if line == "#[test]" {
            after_test = true;
        } else if after_test && let Some(rest) = line.strip_prefix("fn ") {
            let name: String = rest
                .chars()
                .take_while(|c| c.is_alphanumeric() || *c == '_')
                .collect();
            names.push(format!("checks::{name}"));
            after_test = false;
        }
    }
    if names.is_empty() {
        bail!("{} holds no check", path.display());
    }
    Ok(names)
}

fn verdict(run: &Run, timeout: Duration, expected: &[String], root: &Path) -> Verdict {
    let cut_note = output_cut_note(run.output_cut);
    let Some(status) = run.status else {
        return Verdict::TimedOut {
            after: timeout,
            stuck: run.stuck.clone(),
            note: cut_note,
        };
    };
    if run.over_memory
        || [&run.stdout, &run.stderr]
            .iter()
            .any(|text| text.contains("memory allocation of ") && text.contains(" failed"))
    {
        return Verdict::OutOfMemory {
            limit_mib: run::MEMORY_LIMIT_MIB,
        };
    }
    let results = check_results(&run.stdout);
    let passed = expected
        .iter()
        .filter(|name| results.get(name.as_str()) == Some(&true))
        .count();
    if status.success() && passed == expected.len() {
        if run.left_running.is_empty() {
            return Verdict::Done { passed };
        }
        return Verdict::LeftRunning {
            processes: run.left_running.clone(),
        };
    }
    let (mut report, failed) = failure_report(&run.stdout, &run.stderr, root);
    let loom_deadlock = report.contains("loom found a deadlock");
    let not_run: Vec<&str> = expected
        .iter()
        .map(String::as_str)
        .filter(|name| !results.contains_key(name) && !failed.iter().any(|f| f == name))
        .collect();
    let finished = run.stdout.contains("test result: ");
    if !not_run.is_empty() {
        let names = not_run.join(", ");
        if finished {
            let _ = writeln!(
                report,
                "These checks of the course did not run: {names}.\nThey are in checks.rs; keep \
                 `#[cfg(test)] #[path = \"../checks.rs\"] mod checks;` at the end of your file, \
                 as shipped."
            );
        } else if status.success() {
            let _ = writeln!(
                report,
                "The test program exited with code 0 before these checks had finished: \
                 {names}.\nDoes your code call `std::process::exit`? A function of a library \
                 returns to its caller instead."
            );
        } else if loom_deadlock {
            let _ = writeln!(
                report,
                "\nloom stops the test program at the first deadlock, so these checks did not \
                 run: {names}."
            );
        } else {
            let _ = writeln!(
                report,
                "\nThe test program stopped before these checks had run: {names}."
            );
        }
    }
    if !status.success() && status.code() != Some(101) && !loom_deadlock {
        let _ = writeln!(
            report,
            "\nThe test program {}.",
            run::describe_status(status)
        );
    }
    if !run.left_running.is_empty() {
        report.push_str("It also left processes running (verify killed them):\n");
        for line in &run.left_running {
            let _ = writeln!(report, "  {line}");
        }
    }
    report.push_str(&cut_note);
    Verdict::Failed { report }
}

fn output_cut_note(cut: u64) -> String {
    if cut == 0 {
        return String::new();
    }
    format!(
        "\nYour program printed {} MiB more than verify keeps: only the first and the last {} \
         KiB of each output are shown.\n",
        cut.div_ceil(1024 * 1024),
        run::OUTPUT_KEPT_EACH_END / 1024
    )
}
