//! Lesson 12 run as a learner runs it, with short pauses; its output is compared exactly by the
//! conventions test. Here: what is particular to it, and the program the lesson says does not
//! compile, compiled and held to its key words.

use std::path::PathBuf;
use std::process::Command;
use std::time::Duration;

use course_tests::{assert_lesson_snapshot, run_ok, run_python, run_usage_error, workspace_root};

/// The duration after `label` (up to the next `,`, ` ` or end of line) on the line of `output`
/// that contains `line_with`.
fn duration_after(output: &str, line_with: &str, label: &str) -> Duration {
    let line = output
        .lines()
        .find(|line| line.contains(line_with))
        .unwrap_or_else(|| panic!("no line with {line_with:?}:\n{output}"));
    let figure = line
        .split(label)
        .nth(1)
        .and_then(|rest| rest.split([',', ' ']).next())
        .unwrap_or_else(|| panic!("no {label:?} in {line:?}"));
    let split = figure
        .find(|c: char| c.is_alphabetic() || c == 'µ')
        .unwrap_or_else(|| panic!("no unit in {line:?}"));
    let (number, unit) = figure.split_at(split);
    let number: f64 = number.parse().unwrap();
    Duration::from_secs_f64(match unit {
        "s" => number,
        "ms" => number / 1e3,
        "µs" => number / 1e6,
        "ns" => number / 1e9,
        other => panic!("unit {other} in {line:?}"),
    })
}

/// Part 3: every way of sharing the counter counts every increment, whatever the sizes.
#[test]
fn every_counter_counts_every_increment() {
    for (tasks, increments) in [("1", "1"), ("37", "113"), ("300", "20")] {
        let total = tasks.parse::<u64>().unwrap() * increments.parse::<u64>().unwrap();
        let output = run_ok(
            "lesson-12",
            &[
                "--part",
                "counter",
                "--tasks",
                tasks,
                "--increments",
                increments,
            ],
        );
        for how in ["std Mutex:", "tokio Mutex:", "actor:"] {
            let line = output
                .lines()
                .find(|line| line.trim_start().starts_with(how))
                .unwrap_or_else(|| panic!("no {how} line:\n{output}"));
            assert!(
                line.contains(&format!(
                    "{tasks} tasks × {increments} increments = {total} in "
                )),
                "{line}"
            );
        }
        assert!(!output.contains("wrong"), "{output}");
    }
}

/// Part 2: the lock is held across each reply, so the four replies come one after the other:
/// four pauses at least, by construction.
#[test]
fn a_lock_held_across_an_await_makes_the_tasks_take_turns() {
    let output = run_ok("lesson-12", &["--pause-ms", "50", "--part", "tokio-mutex"]);
    assert!(
        output.contains("each request followed by its own reply: 4 of 4"),
        "{output}"
    );
    let wall = duration_after(&output, "They took turns", "wall ");
    assert!(wall >= Duration::from_millis(200), "{output}");
}

/// Part 8: waves of 3 wait for the slowest job of each wave (12 pauses at least); the Semaphore
/// starts the next job as soon as one ends (9 pauses at least, by the jobs' schedule), and is
/// faster by three pauses of 100 ms.
#[test]
fn a_semaphore_starts_the_next_job_as_soon_as_one_ends() {
    let pause = Duration::from_millis(100);
    let output = run_ok("lesson-12", &["--pause-ms", "100", "--part", "semaphore"]);
    assert_eq!(
        output
            .matches("never more than 3 in flight, answers in request order: true")
            .count(),
        2,
        "{output}"
    );
    let waves = duration_after(&output, "waves of 3", "wall ");
    let semaphore = duration_after(&output, "Semaphore(3)", "wall ");
    // Jobs of 1, 2, 3, 1, 2, 3, ... pauses: each wave of 3 lasts 3 pauses. With the semaphore,
    // 24 pauses of work 3 at a time last 8 pauses at least; 9 when the tasks ask for their
    // permits in the order they were spawned, which the runtime does not promise (under wine
    // one run took 8.07).
    assert!(waves >= pause * 12, "{output}");
    assert!(semaphore >= pause * 8, "{output}");
    assert!(semaphore < waves, "{output}");
}

#[test]
fn too_much_counting_is_a_usage_error() {
    let stderr = run_usage_error("lesson-12", &["--tasks", "10000", "--increments", "100000"]);
    assert!(stderr.contains("too much work"), "{stderr}");
    let stderr = run_usage_error("lesson-12", &["--tasks", "0"]);
    assert!(stderr.contains("tasks"), "{stderr}");
}

// The program that must not compile ----------------------------------------------------------

/// Compiles `file` of the lesson's `compile-fail/` folder from that folder (so the messages name
/// it as the book's command does) and returns what rustc said, asserting that it failed.
fn compile(file: &str) -> String {
    let out = PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join(format!("lesson-12-{file}.rmeta"));
    let output = Command::new(std::env::var_os("RUSTC").unwrap_or_else(|| "rustc".into()))
        .current_dir(workspace_root().join("lessons/lesson-12/compile-fail"))
        .args(["--color", "never", "--emit", "metadata", "-o"])
        .arg(out)
        .args(["--edition", "2024", file])
        .output()
        .expect("rustc runs");
    let stderr = String::from_utf8(output.stderr).unwrap();
    assert!(!output.status.success(), "{file} compiled:\n{stderr}");
    stderr
}

/// Held to what does not change between Rust releases: the words "future cannot be sent between
/// threads safely" (this error has no code), the guard's type, `Send` and the `.await` it crosses.
#[test]
fn a_std_guard_held_across_an_await_does_not_compile() {
    let stderr = compile("guard_across_await.rs");
    assert!(
        stderr.contains("future cannot be sent between threads safely"),
        "{stderr}"
    );
    assert!(stderr.contains("MutexGuard"), "{stderr}");
    assert!(stderr.contains("`Send`"), "{stderr}");
    assert!(stderr.contains("await"), "{stderr}");
}

fn rustc_output(args: &[&str]) -> String {
    let output = Command::new(std::env::var_os("RUSTC").unwrap_or_else(|| "rustc".into()))
        .args(args)
        .output()
        .expect("rustc runs");
    String::from_utf8(output.stdout).unwrap().trim().to_string()
}

/// What the full message depends on: the release, and whether std's sources are installed.
fn message_environment() -> String {
    let version = rustc_output(&["--version"]);
    let release = version.split(" (").next().unwrap_or(&version).to_string();
    let sysroot = PathBuf::from(rustc_output(&["--print", "sysroot"]));
    let sources = if sysroot.join("lib/rustlib/src/rust/library").is_dir() {
        "with rust-src"
    } else {
        "without rust-src"
    };
    format!("{release}, {sources}")
}

/// The full message, for the book: compared exactly only with the release (and std's sources
/// installed or not) that recorded it; the test above holds every release to the key words.
#[test]
fn the_compiler_message_the_book_shows() {
    let release = message_environment();
    let file = "guard_across_await.rs";
    let shown = format!(
        "# {release}\n$ rustc --edition 2024 {file}\n{}",
        compile(file)
    );
    let name = "lesson-12-compiler-messages";
    let recorded = course_support::snapshot_file(&workspace_root(), name);
    let recorded_release = std::fs::read_to_string(&recorded).ok().and_then(|text| {
        text.lines()
            .find_map(|l| l.strip_prefix("# ").map(str::to_string))
    });
    let updating = std::env::var_os("INSTA_UPDATE").is_some_and(|value| value != "no");
    if updating || recorded_release.as_deref() == Some(release.as_str()) {
        assert_lesson_snapshot!(name, shown);
    } else {
        eprintln!(
            "note: the full message was recorded with {recorded_release:?} and this is \
             {release}; only the key words were checked"
        );
    }
}

// The Python version, when python3 is there ----------------------------------------------------

/// asyncio.Lock, an actor on asyncio.Queue, Queue(maxsize=3) and Semaphore(3): the same shapes
/// as the Rust lesson's parts 2, 3, 4 and 8.
#[test]
fn the_python_version_prints_the_same_shape() {
    let Some(python) = run_python(
        "lessons/lesson-12/python/sharing_asyncio.py",
        &["--pause", "0.005", "--tasks", "20", "--increments", "50"],
    ) else {
        return;
    };
    assert_lesson_snapshot!("lesson-12-python", python);
}
