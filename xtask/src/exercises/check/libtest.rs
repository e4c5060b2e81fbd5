//! Reads what a test program printed: libtest's result for each test, the panic messages
//! (with the learner's line of code where a panic happened there, and loom's reports explained),
//! and the full names of the threads a stuck program left.

use std::collections::HashMap;
use std::fmt::Write as _;
use std::fs;
use std::path::Path;
use std::process::Command;

/// Linux keeps only the first 15 bytes of a thread's name, and libtest names each test's thread
/// after the test: put the full test names back (from `--list`), and say which thread is the
/// test program's main thread.
pub fn name_the_threads(stuck: &mut [String], executable: &Path) {
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

/// What libtest reported for each test that finished: `true` for ok.
pub fn check_results(stdout: &str) -> HashMap<&str, bool> {
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
pub fn failure_report(stdout: &str, stderr: &str, root: &Path) -> (String, Vec<String>) {
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
