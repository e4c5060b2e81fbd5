//! Helpers for the black-box tests in `tests/tests/lessons/`: find the lessons, build their binaries once,
//! run them with a time limit, and snapshot their output with the filters that redact what
//! really varies.
//!
//! A lesson is found by its folder, `lessons/lesson-*`; what the tests need to know about it (its
//! quick flags, the flag that scales it) is written once, in its `Cargo.toml` under
//! `[package.metadata.course]`. Every lesson binary is built by one `cargo build` on first use,
//! into the target directory and profile of the test run itself, with the features the workspace
//! resolves for them, so that nothing `cargo test --workspace` compiled is compiled again.
//!
//! A run whose test program cannot call cargo itself (`.ci/cross` runs the Windows build under
//! wine, where cargo is a Linux program) builds the lessons first, with the same target and
//! profile, and sets [`LESSONS_BUILT`]: the tests then take the binaries beside them as they are.

use std::io::{BufRead, BufReader, Write};
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::sync::OnceLock;
use std::time::Duration;

pub use insta;

/// No lesson run in a test may take longer than this. A lesson that hangs fails its test instead
/// of hanging the suite.
pub const RUN_TIMEOUT: Duration = Duration::from_secs(60);

/// The environment variable that says the lesson binaries are already built, in the directory
/// this test program was built in (`target/<triple>/debug`), so that the tests do not run cargo.
pub const LESSONS_BUILT: &str = "COURSE_LESSONS_BUILT";

/// One lesson of the course, as its `Cargo.toml` describes it.
#[derive(Debug, Clone)]
pub struct Lesson {
    /// The package (and binary) name, `lesson-01`.
    pub package: String,
    /// The whole lesson, quick: the flags its snapshot `snapshots/<package>.snap` runs with.
    pub fast: Vec<String>,
    /// One short part alone.
    pub first_part: Vec<String>,
    /// The flag that scales the lesson's pauses or work.
    pub scale_flag: String,
}

/// Every lesson of the workspace, in course order: each `lessons/lesson-*` folder.
///
/// # Panics
/// If a lesson's `Cargo.toml` lacks `[package.metadata.course]` or one of its keys; the message
/// says which.
pub fn lessons() -> &'static [Lesson] {
    static LESSONS: OnceLock<Vec<Lesson>> = OnceLock::new();
    LESSONS.get_or_init(|| {
        let mut dirs: Vec<PathBuf> = std::fs::read_dir(workspace_root().join("lessons"))
            .expect("lessons/ is readable")
            .filter_map(|entry| Some(entry.ok()?.path()))
            .filter(|dir| {
                dir.file_name()
                    .and_then(|name| name.to_str())
                    .is_some_and(|name| name.starts_with("lesson-"))
                    && dir.join("Cargo.toml").is_file()
            })
            .collect();
        dirs.sort();
        dirs.iter().map(|dir| read_lesson(dir)).collect()
    })
}

/// The lesson whose package is `package`.
///
/// # Panics
/// If there is no such lesson.
pub fn lesson_info(package: &str) -> &'static Lesson {
    lessons()
        .iter()
        .find(|lesson| lesson.package == package)
        .unwrap_or_else(|| panic!("there is no lesson {package} under lessons/"))
}

fn read_lesson(dir: &Path) -> Lesson {
    let manifest_path = dir.join("Cargo.toml");
    let shown = display(&manifest_path);
    let text = std::fs::read_to_string(&manifest_path).expect("a lesson's Cargo.toml is readable");
    let manifest: toml::Table = text
        .parse()
        .unwrap_or_else(|error| panic!("{shown} is not valid TOML: {error}"));
    let package = &manifest["package"];
    let course = package
        .get("metadata")
        .and_then(|metadata| metadata.get("course"))
        .unwrap_or_else(|| {
            panic!("{shown} has no [package.metadata.course] (see README, \"Adding a lesson\")")
        });
    let key = |name: &str| {
        course
            .get(name)
            .unwrap_or_else(|| panic!("{shown}: [package.metadata.course] has no `{name}`"))
    };
    let strings = |name: &str| -> Vec<String> {
        key(name)
            .as_array()
            .and_then(|items| {
                items
                    .iter()
                    .map(|item| Some(item.as_str()?.to_string()))
                    .collect()
            })
            .unwrap_or_else(|| panic!("{shown}: `{name}` must be a list of strings"))
    };
    Lesson {
        package: package["name"]
            .as_str()
            .expect("a package has a name")
            .to_string(),
        fast: strings("fast"),
        first_part: strings("first-part"),
        scale_flag: key("scale-flag")
            .as_str()
            .unwrap_or_else(|| panic!("{shown}: `scale-flag` must be a string"))
            .to_string(),
    }
}

/// Path of the compiled binary of `package` (e.g. `"lesson-01"`). The first call builds every
/// lesson (see the crate's documentation); later calls in the same test program only look.
///
/// # Panics
/// If the lessons do not build: the panic message carries cargo's error.
pub fn lesson_binary(package: &str) -> PathBuf {
    static BUILT: OnceLock<Result<PathBuf, String>> = OnceLock::new();
    let dir = BUILT
        .get_or_init(build_every_lesson)
        .as_ref()
        .unwrap_or_else(|error| panic!("building the lessons failed:\n{error}"));
    let binary = dir.join(format!("{package}{}", std::env::consts::EXE_SUFFIX));
    assert!(
        lessons().iter().any(|lesson| lesson.package == package),
        "there is no lesson {package} under lessons/"
    );
    binary
}

/// Builds every lesson binary with one `cargo build` into the directory this test program was
/// built in, and returns that directory (`target/debug`). Cargo's progress lines are passed on to
/// the terminal, past the test harness's capture, so that a first run does not look stuck.
fn build_every_lesson() -> Result<PathBuf, String> {
    // This program is `<target>/<profile dir>/deps/<name>-<hash>`.
    let exe = std::env::current_exe().map_err(|error| error.to_string())?;
    let profile_dir = exe
        .parent()
        .and_then(Path::parent)
        .ok_or("the test program is not inside a target directory")?;
    if std::env::var_os(LESSONS_BUILT).is_some() {
        return Ok(profile_dir.to_path_buf());
    }
    let target_dir = profile_dir
        .parent()
        .ok_or("the test program is not inside a target directory")?;
    // `cargo test` builds with the `test` profile (into `debug/`): the lessons are built with it
    // too, so that those it has already built (lessons with tests of their own) are not built
    // again, and a lesson the `test` profile compiles differently (lesson 08) is compiled once.
    let profile = match profile_dir.file_name().and_then(|name| name.to_str()) {
        Some("debug") | None => "test",
        Some(other) => other,
    };
    let cargo = std::env::var_os("CARGO").unwrap_or_else(|| "cargo".into());
    let mut command = Command::new(cargo);
    command
        .args(["build", "--bins", "--profile", profile, "--target-dir"])
        .arg(target_dir)
        .arg("--manifest-path")
        .arg(workspace_root().join("Cargo.toml"));
    for lesson in lessons() {
        command.args(["-p", &lesson.package]);
    }
    let mut child = command
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .map_err(|error| format!("cannot run cargo: {error}"))?;
    let mut messages = String::new();
    for line in BufReader::new(child.stderr.take().expect("stderr is piped")).lines() {
        let line = line.map_err(|error| error.to_string())?;
        if line.trim_start().starts_with("Compiling ") {
            let _ = writeln!(std::io::stderr(), "building the lessons: {}", line.trim());
        }
        messages.push_str(&line);
        messages.push('\n');
    }
    let status = child.wait().map_err(|error| error.to_string())?;
    if !status.success() {
        return Err(messages);
    }
    Ok(profile_dir.to_path_buf())
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

/// insta settings for the snapshot `name`, kept in its lesson's folder
/// (`lessons/<lesson>/snapshots/<name>.snap`, see [`course_support::snapshot_file`]): values that really vary between runs are
/// replaced by a placeholder, so the rest of the output is compared exactly.
///
/// - durations as printed by `{:?}` on a `Duration` (`25.7ms`, `2.0s`, `31µs`) → `[duration]`
/// - thread ids (`ThreadId(7)`) → `ThreadId([id])`
/// - speedups printed as `×1.98` → `×[ratio]`
/// - process ids printed as `pid 1234` → `pid [pid]`
/// - what a live race left in its counter, printed as `ended at 312345` → `ended at [count]`
/// - how many updates it lost, printed as `lost 87655 updates` → `lost [count] updates`
/// - the commit in the paths of std's sources that rustc quotes, `/rustc/59807616e…/` → `/rustc/[commit]/`
/// - how often a live run happened to show a reordering, printed as `in 3 of 1000 runs, this time`
///   → `in [count] of 1000 runs, this time`
/// - in how many rounds of a measurement one lock beat the other, printed as `faster in 5 of 7
///   rounds` → `faster in [count] of 7 rounds`
/// - the size of a future, which depends on the compiler's release, printed as `1026 bytes in
///   memory` → `[n] bytes in memory`
/// - the port of a loopback server, printed as `127.0.0.1:41234` → `127.0.0.1:[port]`
/// - how far a crawl stopped by a time budget got, printed as `3 checked, 29 found but not
///   checked` → `[count] checked, [count] found but not checked`
pub fn snapshot_settings(name: &str) -> insta::Settings {
    let mut settings = insta::Settings::clone_current();
    let file = course_support::snapshot_file(&workspace_root(), name);
    settings.set_snapshot_path(file.parent().expect("a snapshot file is in a folder"));
    settings.set_prepend_module_to_snapshot(false);
    settings.set_omit_expression(true);
    for (pattern, replacement) in FILTERS.iter().chain(SYSTEM_FILTERS) {
        settings.add_filter(pattern, *replacement);
    }
    settings
}

/// The redaction filters of [`snapshot_settings`], as (regex, replacement) pairs.
pub const FILTERS: &[(&str, &str)] = &[
    (r"\b\d+(?:\.\d+)?(?:ns|µs|us|ms|s)\b", "[duration]"),
    (r"ThreadId\(\d+\)", "ThreadId([id])"),
    (r"\b\d+(?:\.\d+)? (?:KiB|MiB)\b", "[size]"),
    (r"×\d+(?:\.\d+)?", "×[ratio]"),
    (r"\bpid \d+", "pid [pid]"),
    (r"\bended at \d+\b", "ended at [count]"),
    (r"\blost \d+ updates\b", "lost [count] updates"),
    (r"/rustc/[0-9a-f]{40}/", "/rustc/[commit]/"),
    (
        r"\bin \d+ of (\d+) runs, this time\b",
        "in [count] of $1 runs, this time",
    ),
    (
        r"\bfaster in \d+ of (\d+) rounds\b",
        "faster in [count] of $1 rounds",
    ),
    (r"\b\d+ bytes in memory\b", "[n] bytes in memory"),
    (r"\b127\.0\.0\.1:\d+", "127.0.0.1:[port]"),
    (
        r"\b\d+ checked, \d+ found but not checked\b",
        "[count] checked, [count] found but not checked",
    ),
];

/// What std words differently on Windows, in the words of the snapshots (written on Linux): a
/// child's `ExitStatus` reads `exit code: 0` there, `exit status: 0` on Unix. Applied after
/// [`FILTERS`]; there is none on other systems.
#[cfg(windows)]
pub const SYSTEM_FILTERS: &[(&str, &str)] = &[(r"\bexit code: ", "exit status: ")];
/// What std words differently on Windows (see the Windows build of this constant): nothing
/// here.
#[cfg(not(windows))]
pub const SYSTEM_FILTERS: &[(&str, &str)] = &[];

/// `text` with the [`FILTERS`] and [`SYSTEM_FILTERS`] applied, exactly as the snapshots see it.
pub fn redact(text: &str) -> String {
    FILTERS
        .iter()
        .chain(SYSTEM_FILTERS)
        .fold(text.to_string(), |text, (pattern, replacement)| {
            regex::Regex::new(pattern)
                .expect("the filters are valid regexes")
                .replace_all(&text, *replacement)
                .into_owned()
        })
}

/// The command that runs Python 3 ([`course_support::python`]); `None`, after saying that
/// `skipped` was not run, when there is none.
pub fn python(skipped: &str) -> Option<&'static str> {
    let found = course_support::python();
    if found.is_none() {
        // Written past the test harness's capture, so that the skip is visible.
        let _ = writeln!(
            std::io::stderr(),
            "skipped: {} not found, {skipped} was not run",
            course_support::PYTHON_NAMES.join(" or ")
        );
    }
    found
}

/// Runs the Python program `script` (a path from the workspace root) with [`python`] and returns
/// its standard output; `None`, after saying so, when Python 3 is not installed.
///
/// # Panics
/// If the program fails or writes to standard error.
pub fn run_python(script: &str, args: &[&str]) -> Option<String> {
    let script = workspace_root().join(script);
    let python = python(&display(&script))?;
    let output = Command::new(python)
        .arg(&script)
        .args(args)
        .output()
        .unwrap_or_else(|error| panic!("cannot run {python}: {error}"));
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

/// Asserts `output` against the committed snapshot `lessons/<lesson>/snapshots/<name>.snap`,
/// redacted with [`snapshot_settings`].
#[macro_export]
macro_rules! assert_lesson_snapshot {
    ($name:expr, $output:expr) => {
        let name: &str = $name;
        $crate::snapshot_settings(name).bind(|| {
            $crate::insta::assert_snapshot!(name, $output);
        })
    };
}
