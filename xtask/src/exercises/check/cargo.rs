//! Builds the test programs that verify runs, with cargo over the whole workspace: one exercise,
//! many at once, or the targets of an exercise's catalogue; and what cargo said when one does not
//! compile.

use std::collections::HashMap;
use std::fs;
use std::io::IsTerminal as _;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

use anyhow::{Context, Result};

use super::Variant;
use crate::exercises::Exercise;

/// Builds the test program of one exercise; `Ok(Err(messages))` when it does not compile.
pub fn build(
    root: &Path,
    exercise: &Exercise,
    variant: Variant,
) -> Result<Result<PathBuf, String>> {
    Ok(build_all(root, &[exercise], variant)?.remove(0))
}

/// Builds the test programs of `exercises` for `variant` with one cargo call, and returns for
/// each, in order, its executable or the compiler's messages.
///
/// Cargo is asked for the whole workspace (`--workspace --lib`, or `--test solution`), exactly as
/// `cargo test --workspace` selects it: cargo then resolves the same features and reuses every
/// crate that the tests already compiled, so that only the learner's own crate is ever built here.
/// Asking for one package (`-p`) would resolve features for it alone and compile loom, ureq and
/// their dependencies a second time. Cargo's progress lines go to the terminal as they come.
pub fn build_all(
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
pub fn build_targets(
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
