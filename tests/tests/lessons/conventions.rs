//! What every lesson binary promises, whatever its topic. The lessons are found by their folders
//! (`lessons/lesson-*`) and their quick flags come from their `Cargo.toml`, so a new lesson is
//! covered here without editing this file.

use std::io::{BufRead, BufReader};
use std::process::{Command, Stdio};

use wait_timeout::ChildExt as _;

use course_tests::{
    RUN_TIMEOUT, assert_lesson_snapshot, lesson_binary, lessons, run_ok, run_usage_error,
    workspace_root,
};
use predicates::prelude::*;

/// The whole lesson, run quickly, prints exactly what its snapshot holds (the output the book
/// shows).
#[test]
fn every_lesson_prints_what_its_snapshot_holds() {
    for lesson in lessons() {
        let fast: Vec<&str> = lesson.fast.iter().map(String::as_str).collect();
        assert_lesson_snapshot!(lesson.package.as_str(), run_ok(&lesson.package, &fast));
    }
}

#[test]
fn every_lesson_has_help_and_a_version() {
    for lesson in lessons() {
        let package = lesson.package.as_str();
        course_tests::lesson(package, &["--help"])
            .assert()
            .success()
            .stdout(predicate::str::contains("Usage:"))
            .stdout(predicate::str::contains("--part <PART>"))
            .stdout(predicate::str::contains(format!("{} <", lesson.scale_flag)));
        course_tests::lesson(package, &["--version"])
            .assert()
            .success();
    }
}

/// Every lesson answers a bad value of its scaling flag, and an unknown part, with one clear line
/// and exit code 2: no panic, no backtrace.
#[test]
fn every_lesson_rejects_bad_input_with_a_usage_error() {
    for lesson in lessons() {
        let package = lesson.package.as_str();
        for bad in ["abc", "-1", "99999999999999999999999"] {
            let stderr = run_usage_error(package, &[&lesson.scale_flag, bad]);
            assert!(
                stderr.contains(&lesson.scale_flag),
                "{package} {} {bad}: the message must name the flag:\n{stderr}",
                lesson.scale_flag
            );
        }
        let stderr = run_usage_error(package, &["--part", "no-such-part"]);
        assert!(
            stderr.contains("possible values"),
            "{package} --part no-such-part must list the parts:\n{stderr}"
        );
    }
}

/// `cargo run -p lesson-0N | head -1` must end quietly: no "failed printing to stdout" panic.
#[test]
fn a_reader_that_stops_early_ends_the_lesson_quietly() {
    for lesson in lessons() {
        let package = lesson.package.as_str();
        let mut child = Command::new(lesson_binary(package))
            .args(&lesson.first_part)
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap();
        let mut first_line = String::new();
        BufReader::new(child.stdout.take().unwrap())
            .read_line(&mut first_line)
            .unwrap();
        assert!(!first_line.is_empty(), "{package} printed nothing");
        // The reader is gone now: the lesson's next line goes into a closed pipe.
        let Some(status) = child.wait_timeout(RUN_TIMEOUT).unwrap() else {
            let _ = child.kill();
            panic!("{package} did not end within {RUN_TIMEOUT:?} after its reader left");
        };
        let stderr = std::io::read_to_string(child.stderr.take().unwrap()).unwrap();
        assert!(!stderr.contains("panicked"), "{package}: {stderr}");
        assert!(status.success(), "{package} ended with {status}: {stderr}");
    }
}

/// Every lesson has its own black-box tests, `lessons/lesson-NN/blackbox.rs`, compiled into this
/// program (`build.rs` finds them), and they run every Python program of the lesson: a twin
/// that no test runs could drift from the lesson it mirrors unseen.
#[test]
fn every_lesson_has_its_black_box_tests() {
    for lesson in lessons() {
        let dir = workspace_root().join("lessons").join(&lesson.package);
        let file = dir.join("blackbox.rs");
        let shown = format!("lessons/{}/blackbox.rs", lesson.package);
        assert!(
            file.is_file(),
            "{shown} is missing: every lesson has its black-box tests there (its Python twin, \
             its own bad inputs, a part that must print the same on every run; see the \
             README, \"Adding a lesson\")"
        );
        assert!(
            crate::COMPILED.contains(&lesson.package.as_str()),
            "{shown} exists but was not compiled into the test program: touch tests/build.rs"
        );
        let tests = std::fs::read_to_string(&file).unwrap();
        let Ok(programs) = std::fs::read_dir(dir.join("python")) else {
            continue;
        };
        for program in programs {
            let path = program.unwrap().path();
            if path.extension().is_some_and(|extension| extension == "py") {
                let name = path.file_name().unwrap().to_string_lossy();
                let path = format!("\"lessons/{}/python/{name}\"", lesson.package);
                assert!(
                    tests
                        .lines()
                        .any(|line| line.contains(&path) && !line.trim_start().starts_with("//")),
                    "{shown} never runs lessons/{}/python/{name}: compare the Python twin \
                     with the lesson there (`course_tests::run_python`)",
                    lesson.package
                );
            }
        }
    }
}

/// The README's table of lessons has a row for every lesson, and only for lessons there are,
/// each naming the flag that scales it (its `scale-flag`): the one list outside the lessons'
/// folders that a maintainer keeps, held to them here.
#[test]
fn the_readme_has_a_row_for_every_lesson_with_its_flag() {
    let readme = std::fs::read_to_string(workspace_root().join("README.md")).unwrap();
    let rows: Vec<Vec<&str>> = readme
        .lines()
        .filter(|line| line.starts_with("| `lesson-"))
        .map(|line| line.trim_matches('|').split('|').map(str::trim).collect())
        .collect();
    for lesson in lessons() {
        let package = format!("`{}`", lesson.package);
        let row = rows
            .iter()
            .find(|row| row[0] == package)
            .unwrap_or_else(|| {
                panic!(
                    "README.md's table of lessons has no row for {}: add \
                 `| {package} | <its topic> | `{}` |`",
                    lesson.package, lesson.scale_flag
                )
            });
        assert_eq!(
            row.last().copied(),
            Some(format!("`{}`", lesson.scale_flag).as_str()),
            "README.md: the row of {} must end with the flag that scales it, `{}`",
            lesson.package,
            lesson.scale_flag
        );
    }
    for row in &rows {
        assert!(
            lessons()
                .iter()
                .any(|l| format!("`{}`", l.package) == row[0]),
            "README.md's table of lessons has a row for {}, which has no folder under lessons/",
            row[0]
        );
    }
}

/// A lesson whose binary has no unit tests says `test = false` on its `[[bin]]`, so that
/// `cargo test --workspace` does not compile the lesson a second time as an empty test program.
/// That is only right while it has none: a `#[test]` under its `src/` would never run.
#[test]
fn no_lesson_turns_off_unit_tests_it_has() {
    for lesson in lessons() {
        let dir = workspace_root().join("lessons").join(&lesson.package);
        let manifest: toml::Table = std::fs::read_to_string(dir.join("Cargo.toml"))
            .unwrap()
            .parse()
            .unwrap();
        let tests_off = manifest
            .get("bin")
            .and_then(toml::Value::as_array)
            .into_iter()
            .flatten()
            .any(|bin| bin.get("test").and_then(toml::Value::as_bool) == Some(false));
        if !tests_off {
            continue;
        }
        for file in rust_files(&dir.join("src")) {
            let text = std::fs::read_to_string(&file).unwrap();
            assert!(
                !text.contains("#[test]"),
                "{} has unit tests, but {}'s Cargo.toml says `test = false` on its [[bin]]: \
                 they would never run. Remove `test = false`",
                file.display(),
                lesson.package
            );
        }
    }
}

/// The `.rs` files under `dir`, at any depth.
fn rust_files(dir: &std::path::Path) -> Vec<std::path::PathBuf> {
    let mut files = Vec::new();
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            files.extend(rust_files(&path));
        } else if path.extension().is_some_and(|extension| extension == "rs") {
            files.push(path);
        }
    }
    files
}

/// A lesson optimised for `cargo run` (its timings are shown) is not optimised under
/// `cargo test`, whose snapshots redact those timings: opt-level 3 made a first `cargo test`
/// wait tens of seconds for lessons 08 and 10.
#[test]
fn a_lesson_optimised_for_its_timings_is_not_optimised_for_the_tests() {
    let manifest: toml::Table = std::fs::read_to_string(workspace_root().join("Cargo.toml"))
        .unwrap()
        .parse()
        .unwrap();
    let opt_level = |profile: &str, package: &str| {
        manifest
            .get("profile")
            .and_then(|profiles| profiles.get(profile))
            .and_then(|profile| profile.get("package"))
            .and_then(|packages| packages.get(package))
            .and_then(|settings| settings.get("opt-level"))
            .and_then(toml::Value::as_integer)
    };
    for lesson in lessons() {
        let package = lesson.package.as_str();
        if opt_level("dev", package).is_some_and(|level| level > 0) {
            assert_eq!(
                opt_level("test", package),
                Some(0),
                "{package} is optimised in [profile.dev.package.{package}]: add \
                 `[profile.test.package.{package}] opt-level = 0` to the workspace Cargo.toml"
            );
        }
    }
}
