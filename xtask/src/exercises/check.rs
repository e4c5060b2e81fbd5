//! Checks one exercise: builds its test program with cargo (in the workspace's target
//! directory), runs it with [`run::run_in_process_group`], and turns what happened into a
//! [`Verdict`] a learner can act on.

use std::collections::HashMap;
use std::fmt::Write as _;
use std::fs;
use std::io::IsTerminal as _;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::Duration;

use anyhow::{Context, Result, bail};

use super::Exercise;
use super::run::{self, Run};

/// Which file of the exercise is checked. Each is a target of the exercise's crate, so checking
/// the starter or the solution never touches the learner's file.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Variant {
    /// `src/lib.rs`, the learner's file (the crate's lib target and its unit tests).
    Learner,
    /// `starter/lib.rs`, the exercise as shipped (the `[[test]]` target `starter`).
    Starter,
    /// `solution/lib.rs`, the reference solution (the `[[test]]` target `solution`).
    Solution,
}

impl Variant {
    fn cargo_target(self) -> [&'static str; 2] {
        match self {
            Self::Learner => ["--lib", ""],
            Self::Starter => ["--test", "starter"],
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

/// Linux keeps only the first 15 bytes of a thread's name, and libtest names each test's thread
/// after the test: put the full test names back (from `--list`), and say which thread is the
/// test program's main thread.
fn name_the_threads(stuck: &mut [String], executable: &Path) {
    let tests: Vec<String> = Command::new(executable)
        .args(["--list", "--include-ignored"])
        .output()
        .map(|output| {
            String::from_utf8_lossy(&output.stdout)
                .lines()
                .filter_map(|line| line.strip_suffix(": test"))
                .map(str::to_string)
                .collect()
        })
        .unwrap_or_default();
    let program: String = executable
        .file_name()
        .map(|name| name.to_string_lossy().chars().take(15).collect())
        .unwrap_or_default();
    for line in stuck.iter_mut() {
        let Some(short) = line
            .strip_prefix("  thread '")
            .and_then(|rest| rest.split('\'').next())
            .map(str::to_string)
        else {
            continue;
        };
        let matching: Vec<&String> = tests.iter().filter(|t| t.starts_with(&short)).collect();
        let full = match matching.as_slice() {
            [only] => format!("test {only}"),
            _ if short == program => "the test program's main thread".to_string(),
            _ => continue,
        };
        *line = line.replacen(&format!("'{short}'"), &format!("'{short}' ({full})"), 1);
    }
}

/// Builds the test program of one exercise; `Ok(Err(messages))` when it does not compile.
pub(super) fn build(
    root: &Path,
    exercise: &Exercise,
    variant: Variant,
) -> Result<Result<PathBuf, String>> {
    Ok(build_all(root, &[exercise], variant)?.remove(0))
}

/// Builds the test programs of `exercises` for `variant` with one cargo call, and returns for
/// each, in order, its executable or the compiler's messages.
///
/// Cargo is asked for the whole workspace (`--workspace --lib`, or `--test starter`), exactly as
/// `cargo test --workspace` selects it: cargo then resolves the same features and reuses every
/// crate that the tests already compiled, so that only the learner's own crate is ever built here.
/// Asking for one package (`-p`) would resolve features for it alone and compile loom, ureq and
/// their dependencies a second time. Cargo's progress lines go to the terminal as they come.
pub(super) fn build_all(
    root: &Path,
    exercises: &[&Exercise],
    variant: Variant,
) -> Result<Vec<Result<PathBuf, String>>> {
    for exercise in exercises {
        if exercise.has_worker(root) {
            // The worker program is a `[[bin]]` of the exercise crate (course-support's); the checks
            // start it.
            if let Err(messages) = cargo_build_bins(root, exercise)? {
                return Ok(exercises.iter().map(|_| Err(messages.clone())).collect());
            }
        }
    }
    let texts: Vec<u64> = exercises.iter().map(|e| text_of(root, e)).collect();
    let mut outcome = build_leaving_out_broken_exercises(root, exercises, variant)?;
    if variant == Variant::Learner {
        let stale: Vec<&Exercise> = exercises
            .iter()
            .zip(&texts)
            .filter(|(exercise, text)| {
                outcome
                    .executable(root, exercise)
                    .is_some_and(|executable| {
                        built_from_an_older_text(root, exercise, executable)
                            || last_built_text(root, exercise).is_some_and(|last| last != **text)
                    })
            })
            .map(|(exercise, _)| *exercise)
            .collect();
        if !stale.is_empty() {
            for exercise in &stale {
                force_rebuild(root, exercise)?;
            }
            outcome = build_leaving_out_broken_exercises(root, exercises, variant)?;
        }
        for (exercise, text) in exercises.iter().zip(texts) {
            if outcome.executable(root, exercise).is_some() {
                let _ = fs::write(last_built_path(root, exercise), text.to_string());
            }
        }
    }
    Ok(exercises
        .iter()
        .map(|exercise| {
            if let Some(messages) = outcome.errors_of(root, exercise) {
                return Err(messages.to_string());
            }
            match outcome.executable(root, exercise) {
                Some(executable) => Ok(executable.to_path_buf()),
                None => Err(format!(
                    "cargo built no test program for {}:\n{}",
                    exercise.package(),
                    outcome.other_output.trim_end()
                )),
            }
        })
        .collect())
}

/// `cargo test --no-run` over the workspace. Cargo stops at the first crate that does not
/// compile: when that is another exercise than the ones asked for, it is left out and cargo runs
/// again, so that one half-done exercise never blocks checking the others. Leaving out an
/// exercise changes no feature: every dependency of an exercise is also one of a lesson or of the
/// tests.
fn build_leaving_out_broken_exercises(
    root: &Path,
    exercises: &[&Exercise],
    variant: Variant,
) -> Result<CargoOutcome> {
    let mut outcome = cargo_test_no_run(root, variant, &[])?;
    let mut excluded: Vec<String> = Vec::new();
    while !outcome.success {
        let blocked = exercises.iter().any(|exercise| {
            outcome.executable(root, exercise).is_none()
                && outcome.errors_of(root, exercise).is_none()
        });
        let newly_broken: Vec<String> = outcome
            .errors
            .keys()
            .filter_map(|manifest| package_of_exercise_manifest(root, manifest))
            .filter(|package| !excluded.contains(package))
            .collect();
        if !blocked || newly_broken.is_empty() {
            break;
        }
        excluded.extend(newly_broken);
        let again = cargo_test_no_run(root, variant, &excluded)?;
        outcome.success = again.success;
        outcome.executables.extend(again.executables);
        outcome.errors.extend(again.errors);
        outcome.other_output = again.other_output;
    }
    Ok(outcome)
}

/// Builds the `[[test]]` targets `targets` of `exercise` (its catalogue) with one cargo call,
/// and returns for each, in order, its executable or the compiler's messages.
pub(super) fn build_targets(
    root: &Path,
    exercise: &Exercise,
    targets: &[String],
) -> Result<Vec<Result<PathBuf, String>>> {
    if targets.is_empty() {
        return Ok(Vec::new());
    }
    if exercise.has_worker(root)
        && let Err(messages) = cargo_build_bins(root, exercise)?
    {
        return Ok(targets.iter().map(|_| Err(messages.clone())).collect());
    }
    let mut selection = Vec::new();
    for target in targets {
        selection.extend(["--test", target.as_str()]);
    }
    let outcome = cargo_test_no_run_of(root, "build", &selection, &[])?;
    let manifest = exercise.dir(root).join("Cargo.toml");
    Ok(targets
        .iter()
        .map(|target| {
            let key = (manifest.clone(), target.clone());
            if let Some(messages) = outcome.errors_by_target.get(&key) {
                return Err(messages.clone());
            }
            outcome.by_target.get(&key).cloned().ok_or_else(|| {
                format!(
                    "cargo built no test program for {target} of {}:\n{}",
                    exercise.package(),
                    outcome.other_output.trim_end()
                )
            })
        })
        .collect())
}

/// What one `cargo test --no-run` reported, by the manifest of each package.
#[derive(Debug, Default)]
struct CargoOutcome {
    success: bool,
    executables: HashMap<PathBuf, PathBuf>,
    errors: HashMap<PathBuf, String>,
    /// The same, by the manifest and the target's name.
    by_target: HashMap<(PathBuf, String), PathBuf>,
    errors_by_target: HashMap<(PathBuf, String), String>,
    /// Cargo's own errors (not the compiler's), for when nothing else explains a failure.
    other_output: String,
}

impl CargoOutcome {
    fn executable(&self, root: &Path, exercise: &Exercise) -> Option<&Path> {
        self.executables
            .get(&exercise.dir(root).join("Cargo.toml"))
            .map(PathBuf::as_path)
    }

    fn errors_of(&self, root: &Path, exercise: &Exercise) -> Option<&str> {
        self.errors
            .get(&exercise.dir(root).join("Cargo.toml"))
            .map(String::as_str)
    }
}

/// `cargo test --no-run` for `variant` over the whole workspace, less `excluded` packages.
fn cargo_test_no_run(root: &Path, variant: Variant, excluded: &[String]) -> Result<CargoOutcome> {
    let [flag, target] = variant.cargo_target();
    let targets: &[&str] = if target.is_empty() {
        &[flag]
    } else {
        &[flag, target]
    };
    cargo_test_no_run_of(root, "test", targets, excluded)
}

/// Cargo over the whole workspace, less `excluded` packages, building the test programs of the
/// targets that `selection` names (`--lib`, `--test NAME` …): `subcommand` is `test` (with
/// `--no-run`), or `build`, which takes only `--test NAME` but keeps going past a target that
/// does not compile, so that one broken answer of a catalogue does not hide the others.
fn cargo_test_no_run_of(
    root: &Path,
    subcommand: &str,
    selection: &[&str],
    excluded: &[String],
) -> Result<CargoOutcome> {
    let cargo = std::env::var_os("CARGO").unwrap_or_else(|| "cargo".into());
    // The compiler's messages are passed on as they are: in colour when they go to a terminal.
    let format = if std::io::stdout().is_terminal() {
        "json-diagnostic-rendered-ansi"
    } else {
        "json"
    };
    let mut command = Command::new(&cargo);
    command.current_dir(root).arg(subcommand);
    command.arg(if subcommand == "test" {
        "--no-run"
    } else {
        "--keep-going"
    });
    command.args(["--workspace", "--message-format", format]);
    command.args(selection);
    for package in excluded {
        command.args(["--exclude", package]);
    }
    let output = run_cargo_showing_progress(command)?;
    let mut outcome = CargoOutcome::default();
    for line in String::from_utf8_lossy(&output.stdout).lines() {
        let Ok(message) = serde_json::from_str::<serde_json::Value>(line) else {
            continue;
        };
        let manifest = message["manifest_path"].as_str().map(PathBuf::from);
        match message["reason"].as_str() {
            Some("compiler-artifact") if message["profile"]["test"] == true => {
                if let (Some(manifest), Some(executable)) =
                    (manifest, message["executable"].as_str())
                {
                    let target = message["target"]["name"].as_str().unwrap_or_default();
                    outcome.by_target.insert(
                        (manifest.clone(), target.to_string()),
                        PathBuf::from(executable),
                    );
                    outcome
                        .executables
                        .insert(manifest, PathBuf::from(executable));
                }
            }
            Some("compiler-message") => {
                let level = message["message"]["level"].as_str().unwrap_or_default();
                if let (Some(manifest), "error" | "warning") = (manifest, level) {
                    let text = message["message"]["rendered"].as_str().unwrap_or_default();
                    let target = message["target"]["name"].as_str().unwrap_or_default();
                    outcome
                        .errors_by_target
                        .entry((manifest.clone(), target.to_string()))
                        .or_default()
                        .push_str(text);
                    let messages = outcome.errors.entry(manifest).or_default();
                    messages.push_str(text);
                }
            }
            Some("build-finished") => outcome.success = message["success"] == true,
            _ => {}
        }
    }
    // Warnings alone are no compile error: keep only the packages that had an error.
    outcome
        .errors
        .retain(|_, messages| messages.lines().any(is_error_line));
    outcome
        .errors_by_target
        .retain(|_, messages| messages.lines().any(is_error_line));
    outcome.other_output = compiler_messages(&output.stderr);
    Ok(outcome)
}

fn is_error_line(line: &str) -> bool {
    // Rendered in colour, an error starts with an escape sequence before the word.
    let plain: String = strip_ansi(line);
    plain.starts_with("error")
}

fn strip_ansi(text: &str) -> String {
    let mut plain = String::with_capacity(text.len());
    let mut chars = text.chars();
    while let Some(c) = chars.next() {
        if c == '\u{1b}' {
            for c in chars.by_ref() {
                if c.is_ascii_alphabetic() {
                    break;
                }
            }
        } else {
            plain.push(c);
        }
    }
    plain
}

/// The package name of an exercise crate, from its manifest path; `None` for any other crate.
fn package_of_exercise_manifest(root: &Path, manifest: &Path) -> Option<String> {
    let dir = manifest.parent()?;
    let name = dir.file_name()?.to_str()?;
    let exercises_dir = dir.parent()?;
    let lesson = exercises_dir.parent()?;
    if exercises_dir.file_name()? != "exercises" || lesson.parent()? != root.join("lessons") {
        return None;
    }
    Some(format!("{}-{name}", lesson.file_name()?.to_str()?))
}

/// `cargo build -p EXERCISE --bins`: the worker program of an exercise.
fn cargo_build_bins(root: &Path, exercise: &Exercise) -> Result<Result<(), String>> {
    let cargo = std::env::var_os("CARGO").unwrap_or_else(|| "cargo".into());
    let color = if std::io::stdout().is_terminal() {
        "always"
    } else {
        "never"
    };
    let mut command = Command::new(&cargo);
    command.current_dir(root).args([
        "build",
        "--color",
        color,
        "-p",
        &exercise.package(),
        "--bins",
    ]);
    let output = run_cargo_showing_progress(command)?;
    if output.status.success() {
        Ok(Ok(()))
    } else {
        Ok(Err(compiler_messages(&output.stderr)))
    }
}

/// Runs cargo, passing its `Compiling …` lines on to the terminal as they come (so that a first
/// build shows what it is doing), and returns everything it printed.
fn run_cargo_showing_progress(mut command: Command) -> Result<std::process::Output> {
    use std::io::{BufRead as _, Read as _, Write as _};
    let mut child = command
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .context("running cargo")?;
    let mut stdout_pipe = child.stdout.take().expect("stdout is piped");
    let stdout_reader = std::thread::spawn(move || {
        let mut bytes = Vec::new();
        let _ = stdout_pipe.read_to_end(&mut bytes);
        bytes
    });
    let show_progress = std::io::stderr().is_terminal() && !cfg!(test);
    let mut stderr = Vec::new();
    let mut lines = std::io::BufReader::new(child.stderr.take().expect("stderr is piped"));
    let mut line = Vec::new();
    while lines.read_until(b'\n', &mut line).unwrap_or(0) > 0 {
        let text = String::from_utf8_lossy(&line);
        // On a terminal only, and not in xtask's own tests, whose output the harness captures.
        if show_progress && strip_ansi(text.trim_start()).starts_with("Compiling ") {
            let _ = write!(std::io::stderr(), "{text}");
        }
        stderr.append(&mut line);
    }
    let status = child.wait().context("waiting for cargo")?;
    let stdout = stdout_reader.join().unwrap_or_default();
    Ok(std::process::Output {
        status,
        stdout,
        stderr,
    })
}

/// Cargo decides what to rebuild by modification times. A learner's file put back from a backup
/// (`mv`, or `move` on Windows) keeps its old modification time, older than the last build, and
/// cargo would run checks compiled from the text it replaced. verify notices it in two ways: the
/// text differs from the one verify last built (on every system), and, on Linux and macOS, the
/// file's status-change time, which no program can set back, is newer than the test program
/// while its modification time is not (which also covers a build verify did not make, by
/// `cargo test`).
#[cfg(unix)]
fn built_from_an_older_text(root: &Path, exercise: &Exercise, executable: &Path) -> bool {
    use std::os::unix::fs::MetadataExt as _;
    let (Ok(file), Ok(program)) = (
        fs::metadata(exercise.learner_file(root)),
        fs::metadata(executable),
    ) else {
        return false;
    };
    let program_built = (program.mtime(), program.mtime_nsec());
    let text_changed = (file.ctime(), file.ctime_nsec());
    let text_modified = (file.mtime(), file.mtime_nsec());
    text_changed > program_built && text_modified <= program_built
}

/// Windows keeps no status-change time: the text verify last built is the only witness.
#[cfg(not(unix))]
fn built_from_an_older_text(_root: &Path, _exercise: &Exercise, _executable: &Path) -> bool {
    false
}

/// A fingerprint of the learner's text as it is now.
fn text_of(root: &Path, exercise: &Exercise) -> u64 {
    use std::hash::{DefaultHasher, Hash as _, Hasher as _};
    let mut hasher = DefaultHasher::new();
    fs::read(exercise.learner_file(root))
        .unwrap_or_default()
        .hash(&mut hasher);
    hasher.finish()
}

/// Where verify keeps the fingerprint of the text it last built, beside its other records.
fn last_built_path(root: &Path, exercise: &Exercise) -> PathBuf {
    let dir = root.join("target/xtask/built-from");
    let _ = fs::create_dir_all(&dir);
    dir.join(exercise.package())
}

fn last_built_text(root: &Path, exercise: &Exercise) -> Option<u64> {
    fs::read_to_string(last_built_path(root, exercise))
        .ok()?
        .trim()
        .parse()
        .ok()
}

/// Makes cargo rebuild the exercise's checks without touching the learner's file: its course-owned
/// `checks.rs` gets the current time as its modification time.
fn force_rebuild(root: &Path, exercise: &Exercise) -> Result<()> {
    let checks = exercise.dir(root).join("checks.rs");
    fs::File::options()
        .append(true)
        .open(&checks)
        .and_then(|file| file.set_modified(std::time::SystemTime::now()))
        .with_context(|| format!("marking {} for a rebuild", checks.display()))
}

/// The compiler's messages from cargo's stderr, without cargo's progress lines.
fn compiler_messages(stderr: &[u8]) -> String {
    String::from_utf8_lossy(stderr)
        .lines()
        .filter(|line| {
            let line = strip_ansi(line.trim_start());
            ![
                "Compiling ",
                "Blocking ",
                "Finished ",
                "Checking ",
                "Building ",
                "Executable ",
            ]
            .iter()
            .any(|progress| line.starts_with(progress))
        })
        .collect::<Vec<_>>()
        .join("\n")
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

/// What libtest reported for each test that finished: `true` for ok.
fn check_results(stdout: &str) -> HashMap<&str, bool> {
    stdout
        .lines()
        .filter_map(|line| {
            let rest = line.strip_prefix("test ")?;
            if let Some(name) = rest.strip_suffix(" ... ok") {
                Some((name, true))
            } else {
                Some((rest.strip_suffix(" ... FAILED")?, false))
            }
        })
        .collect()
}

/// The failing tests and each distinct panic message, without backtraces.
/// Also returns the names of the failing checks: those libtest reported as failed, and those
/// that panicked without a result (loom aborts the program at a deadlock).
pub(super) fn failure_report(stdout: &str, stderr: &str, root: &Path) -> (String, Vec<String>) {
    let mut report = String::new();
    let mut failed: Vec<String> = stdout
        .lines()
        .filter_map(|line| line.strip_prefix("test ")?.strip_suffix(" ... FAILED"))
        .map(str::to_string)
        .collect();
    // (who, message) in the order they panicked.
    let mut messages: Vec<(String, String)> = Vec::new();
    for (text, from_stderr) in [(stdout, false), (stderr, true)] {
        let mut lines = text.lines();
        while let Some(line) = lines.next() {
            if !line.contains("panicked at ") {
                continue;
            }
            let test = line
                .strip_prefix("thread '")
                .and_then(|rest| rest.split('\'').next())
                .unwrap_or("?");
            let message: Vec<&str> = lines
                .by_ref()
                .take_while(|l| {
                    !l.trim().is_empty()
                        && !l.starts_with("note:")
                        && !l.starts_with("stack backtrace:")
                        && !l.starts_with("thread '")
                        && !l.starts_with("----")
                })
                .collect();
            let mut message = message.join("\n    ");
            if let Some(place) = learners_line(line, root) {
                let _ = write!(message, "\n    (at {place})");
            }
            let test = match test {
                "<unnamed>" => "a thread started during the checks",
                // libtest captures what tests print; a `main` panicking on stderr is the main
                // thread of a child process.
                "main" if from_stderr => "a child process",
                test => test,
            }
            .to_string();
            // A panic inside std or a library usually follows the real one (loom, after a
            // failed assertion, unwinds its threads): show it only when it is the first of its
            // test, as loom's own reports are ("deadlock", "not supported").
            let in_library = line.contains("/rustc/") || line.contains("/.cargo/registry/");
            if message.is_empty()
                || (in_library && messages.iter().any(|(who, _)| *who == test))
                || messages.iter().any(|(_, m)| *m == message)
            {
                continue;
            }
            messages.push((test, message));
        }
    }
    for (who, _) in &messages {
        if who.starts_with("checks::") && !failed.contains(who) {
            failed.push(who.clone());
        }
    }
    if !failed.is_empty() {
        let _ = writeln!(report, "failing: {}", failed.join(", "));
    }
    // Failing tests first, in the order of the "failing:" line, so the first message shown
    // belongs to the first check named.
    messages.sort_by_key(|(who, _)| failed.iter().position(|f| f == who).unwrap_or(failed.len()));
    for (who, message) in messages.iter().take(4) {
        let _ = writeln!(report, "\n{who}:");
        match explain_loom_report(message, root) {
            // loom's own list of threads says less than the explanation does.
            Some(explanation) if message.starts_with("deadlock; threads") => {
                let _ = writeln!(report, "    {}", explanation.replace('\n', "\n    "));
            }
            Some(explanation) => {
                let _ = writeln!(report, "    {message}");
                let _ = writeln!(report, "    {}", explanation.replace('\n', "\n    "));
            }
            None => {
                let _ = writeln!(report, "    {message}");
            }
        }
    }
    if messages.len() > 4 {
        let _ = writeln!(report, "\n(and {} more messages)", messages.len() - 4);
    }
    if messages.is_empty() && failed.is_empty() {
        // Something else went wrong: show the end of the output as it is, without libtest's
        // own lines (the verdict says which checks did not run).
        let tail: Vec<&str> = stdout
            .lines()
            .chain(stderr.lines())
            .filter(|line| {
                !line.trim().is_empty()
                    && !line.starts_with("running ")
                    && !line.starts_with("test result: ")
            })
            .collect();
        let start = tail.len().saturating_sub(20);
        if !tail.is_empty() {
            report.push_str(&tail[start..].join("\n"));
            report.push('\n');
        }
    }
    (report, failed)
}

/// Where a panic happened, with the line of code, when that is in the learner's file (not in the
/// checks, std or a library): from a panic's first line, which ends in
/// `panicked at FILE:LINE:COLUMN:`.
fn learners_line(panic_line: &str, root: &Path) -> Option<String> {
    let place = panic_line
        .split("panicked at ")
        .nth(1)?
        .trim_end_matches(':');
    let mut parts = place.rsplitn(3, ':');
    let (_column, line, file) = (parts.next()?, parts.next()?, parts.next()?);
    let line: usize = line.parse().ok()?;
    if file.starts_with('/') || file.ends_with("checks.rs") || file.starts_with("library/") {
        return None;
    }
    source_line(root, file, line).map(|code| format!("{file}:{line}:  {code}"))
}

/// Line `line` of `file`, a path from the workspace's root, which is `root` or above it.
fn source_line(root: &Path, file: &str, line: usize) -> Option<String> {
    let text = root
        .ancestors()
        .find_map(|dir| fs::read_to_string(dir.join(file)).ok())?;
    Some(text.lines().nth(line.checked_sub(1)?)?.trim().to_string())
}

/// What loom's own reports mean, in the learner's terms, with the lines of the learner's file
/// where loom saw the threads block.
fn explain_loom_report(message: &str, root: &Path) -> Option<String> {
    if message.contains("exceeded maximum number of branches") {
        return Some(
            "(loom: a thread loops, waiting for another one, without letting it run. In a retry \
             or back-off loop call `thread::yield_now()`, with `thread` imported like the \
             file's other course types: loom's under test, std's otherwise.)"
                .to_string(),
        );
    }
    let threads = message.strip_prefix("deadlock; threads = ")?;
    // Where each blocked thread waits, in the learner's code (a wait in checks.rs is the
    // check's own join), with how many threads wait there.
    let mut places: Vec<(String, usize)> = Vec::new();
    let mut rest = threads;
    while let Some(start) = rest.find("file: \"") {
        rest = &rest[start + 7..];
        let Some(end) = rest.find('"') else { break };
        let file = &rest[..end];
        let line = rest[end..]
            .split("line: ")
            .nth(1)
            .and_then(|l| l.split(|c: char| !c.is_ascii_digit()).next())
            .and_then(|l| l.parse::<usize>().ok());
        let Some(line) = line else { continue };
        if file.starts_with('/') || file.ends_with("checks.rs") {
            continue;
        }
        let code = source_line(root, file, line).unwrap_or_default();
        let place = format!("{file}:{line}:  {code}");
        match places.iter_mut().find(|(p, _)| *p == place) {
            Some((_, count)) => *count += 1,
            None => places.push((place, 1)),
        }
    }
    let waiting: usize = places.iter().map(|(_, count)| count).sum();
    let mut text = if waiting <= 1 {
        String::from(
            "loom found a deadlock: a thread waits for a lock that no other thread will ever \
             release. Does it wait for a lock it already holds itself (the same lock taken twice, \
             or a write lock asked for while holding a read lock of the same lock)?",
        )
    } else {
        format!(
            "loom found a deadlock: in one interleaving {waiting} threads each hold a lock and \
             wait for one that another of them holds."
        )
    };
    for (place, count) in &places {
        let who = if *count == 1 {
            "A thread waits".to_string()
        } else {
            format!("{count} threads wait")
        };
        let _ = write!(text, "\n{who} at {place}");
    }
    Some(text)
}
