//! Helpers for the black-box tests in `tests/tests/`: build a lesson binary once, run it with a
//! time limit, and snapshot its output with the filters that redact what really varies.
//!
//! `assert_cmd::cargo::cargo_bin` only finds binaries of the package under test, and the lessons
//! are other packages; so each lesson is built with escargot (the same profile as the
//! test run, and the same target directory, so its dependencies are shared with the workspace
//! build), once per test process.

use std::collections::HashMap;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::{Mutex, OnceLock};
use std::time::Duration;

pub use insta;

/// No lesson run in a test may take longer than this. A lesson that hangs fails its test instead
/// of hanging the suite.
pub const RUN_TIMEOUT: Duration = Duration::from_secs(60);

/// Path of the compiled binary of `package` (e.g. `"lesson-01"`), building it on first use.
///
/// # Panics
/// If the package does not build: the panic message carries cargo's error.
pub fn lesson_binary(package: &str) -> PathBuf {
    static BUILT: OnceLock<Mutex<HashMap<String, PathBuf>>> = OnceLock::new();
    let mut built = BUILT.get_or_init(Mutex::default).lock().unwrap();
    built
        .entry(package.to_string())
        .or_insert_with(|| {
            escargot::CargoBuild::new()
                .package(package)
                .bin(package)
                .manifest_path(workspace_root().join("Cargo.toml"))
                .current_release()
                .run()
                .unwrap_or_else(|error| panic!("building {package} failed: {error}"))
                .path()
                .to_path_buf()
        })
        .clone()
}

/// A command that runs the lesson `package` with `args`, with [`RUN_TIMEOUT`] applied.
pub fn lesson(package: &str, args: &[&str]) -> assert_cmd::Command {
    let mut command = assert_cmd::Command::new(lesson_binary(package));
    command
        .args(args)
        .timeout(RUN_TIMEOUT)
        .env_remove("RUST_BACKTRACE");
    command
}

/// Runs the lesson and returns its standard output, asserting that it succeeded with nothing on
/// standard error.
pub fn run_ok(package: &str, args: &[&str]) -> String {
    let output = lesson(package, args)
        .assert()
        .success()
        .stderr("")
        .get_output()
        .clone();
    String::from_utf8(output.stdout).expect("lesson output is UTF-8")
}

/// Runs the lesson with a bad argument and returns its standard error, asserting clap's usage
/// exit code (2), no output on stdout, and no panic.
pub fn run_usage_error(package: &str, args: &[&str]) -> String {
    let output = lesson(package, args)
        .assert()
        .code(2)
        .stdout("")
        .get_output()
        .clone();
    let stderr = String::from_utf8(output.stderr).expect("lesson errors are UTF-8");
    assert!(
        !stderr.contains("panicked"),
        "a bad argument must not panic:\n{stderr}"
    );
    assert!(
        !stderr.contains("RUST_BACKTRACE"),
        "no backtrace hint:\n{stderr}"
    );
    stderr
}

/// The workspace root (this crate lives in `<root>/tests`).
pub fn workspace_root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .expect("tests/ sits inside the workspace")
        .to_path_buf()
}

/// insta settings shared by every lesson snapshot: values that really vary between runs are
/// replaced by a placeholder, so the rest of the output is compared exactly.
///
/// - durations as printed by `{:?}` on a `Duration` (`25.7ms`, `2.0s`, `31µs`) → `[duration]`
/// - thread ids (`ThreadId(7)`) → `ThreadId([id])`
/// - speedups printed as `×1.98` → `×[ratio]`
/// - process ids printed as `pid 1234` → `pid [pid]`
/// - what a live race left in its counter, printed as `ended at 312345` → `ended at [count]`
/// - how many updates it lost, printed as `lost 87655 updates` → `lost [count] updates`
/// - the commit in the paths of std's sources that rustc quotes, `/rustc/59807616e…/` → `/rustc/[commit]/`
pub fn snapshot_settings() -> insta::Settings {
    let mut settings = insta::Settings::clone_current();
    settings.set_snapshot_path(workspace_root().join("tests/snapshots"));
    settings.set_prepend_module_to_snapshot(false);
    settings.set_omit_expression(true);
    for (pattern, replacement) in FILTERS {
        settings.add_filter(pattern, *replacement);
    }
    settings
}

/// The redaction filters of [`snapshot_settings`], as (regex, replacement) pairs.
pub const FILTERS: &[(&str, &str)] = &[
    (r"\b\d+(?:\.\d+)?(?:ns|µs|us|ms|s)\b", "[duration]"),
    (r"ThreadId\(\d+\)", "ThreadId([id])"),
    (r"×\d+(?:\.\d+)?", "×[ratio]"),
    (r"\bpid \d+", "pid [pid]"),
    (r"\bended at \d+\b", "ended at [count]"),
    (r"\blost \d+ updates\b", "lost [count] updates"),
    (r"/rustc/[0-9a-f]{40}/", "/rustc/[commit]/"),
];

/// `text` with the [`FILTERS`] applied, exactly as the snapshots see it.
pub fn redact(text: &str) -> String {
    FILTERS
        .iter()
        .fold(text.to_string(), |text, (pattern, replacement)| {
            regex::Regex::new(pattern)
                .expect("the filters are valid regexes")
                .replace_all(&text, *replacement)
                .into_owned()
        })
}

/// Runs the Python program `script` (a path from the workspace root) with `python3` and returns
/// its standard output; `None`, after saying so, when `python3` is not installed.
///
/// # Panics
/// If the program fails or writes to standard error.
pub fn run_python(script: &str, args: &[&str]) -> Option<String> {
    let script = workspace_root().join(script);
    let output = match Command::new("python3").arg(&script).args(args).output() {
        Ok(output) => output,
        Err(error) if error.kind() == std::io::ErrorKind::NotFound => {
            // Written past the test harness's capture, so that the skip is visible.
            let _ = writeln!(
                std::io::stderr(),
                "skipped: python3 not found, {} was not run",
                display(&script)
            );
            return None;
        }
        Err(error) => panic!("cannot run python3: {error}"),
    };
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(
        output.status.success() && stderr.is_empty(),
        "{} failed ({}):\n{stderr}",
        display(&script),
        output.status
    );
    Some(String::from_utf8(output.stdout).expect("Python output is UTF-8"))
}

fn display(path: &Path) -> String {
    path.strip_prefix(workspace_root())
        .unwrap_or(path)
        .display()
        .to_string()
}

/// Asserts `output` against the committed snapshot `tests/snapshots/<name>.snap`, redacted with
/// [`snapshot_settings`].
#[macro_export]
macro_rules! assert_lesson_snapshot {
    ($name:expr, $output:expr) => {
        $crate::snapshot_settings().bind(|| {
            $crate::insta::assert_snapshot!($name, $output);
        })
    };
}
