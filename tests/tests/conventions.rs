//! What every lesson binary promises, whatever its topic.

use std::io::{BufRead, BufReader};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use course_tests::{lesson, lesson_binary};
use predicates::prelude::*;

const LESSONS: [&str; 5] = [
    "lesson-01",
    "lesson-02",
    "lesson-03",
    "lesson-04",
    "lesson-05",
];

#[test]
fn every_lesson_has_help_and_a_version() {
    for package in LESSONS {
        lesson(package, &["--help"])
            .assert()
            .success()
            .stdout(predicate::str::contains("Usage:"))
            .stdout(predicate::str::contains("--part <PART>"));
        lesson(package, &["--version"]).assert().success();
    }
}

/// `cargo run -p lesson-0N | head -1` must end quietly: no "failed printing to stdout" panic.
#[test]
fn a_reader_that_stops_early_ends_the_lesson_quietly() {
    for package in LESSONS {
        let mut child = Command::new(lesson_binary(package))
            .args(first_part(package))
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
        let deadline = Instant::now() + Duration::from_secs(60);
        let status = loop {
            if let Some(status) = child.try_wait().unwrap() {
                break status;
            }
            assert!(
                Instant::now() < deadline,
                "{package} did not end after its reader left"
            );
            std::thread::sleep(Duration::from_millis(20));
        };
        let stderr = std::io::read_to_string(child.stderr.take().unwrap()).unwrap();
        assert!(!stderr.contains("panicked"), "{package}: {stderr}");
        assert!(status.success(), "{package} ended with {status}: {stderr}");
    }
}

/// The first part of each lesson, with the lesson's fast flag so the test stays quick.
fn first_part(package: &str) -> &'static [&'static str] {
    match package {
        "lesson-01" => &["--part", "basic", "--pause-ms", "5"],
        "lesson-02" => &["--part", "sequential", "--latency-ms", "5"],
        "lesson-03" => &["--part", "does-not-compile"],
        "lesson-04" => &["--part", "opposite-order", "--work-ms", "5"],
        _ => &["--part", "child"],
    }
}
