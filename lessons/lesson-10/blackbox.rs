//! Lesson 10 run as a learner runs it, with a short latency; its output is compared exactly by
//! the conventions test. Here: what is particular to it.

use std::time::Duration;

use course_tests::{run_ok, run_python, run_usage_error};

/// The figure after `label` on the line of `output` that contains it, as a duration.
fn wall_of(output: &str, label: &str) -> Duration {
    let line = output
        .lines()
        .find(|line| line.contains(label))
        .unwrap_or_else(|| panic!("no line with {label:?}:\n{output}"));
    let figure = line
        .split("wall ")
        .nth(1)
        .and_then(|rest| rest.split(',').next())
        .unwrap_or_else(|| panic!("no wall time in {line:?}"));
    let (number, unit) = figure.trim().split_at(
        figure
            .trim()
            .find(|c: char| c.is_alphabetic() || c == 'µ')
            .unwrap(),
    );
    let number: f64 = number.parse().unwrap();
    Duration::from_secs_f64(match unit {
        "s" => number,
        "ms" => number / 1e3,
        "µs" => number / 1e6,
        other => panic!("unit {other} in {line:?}"),
    })
}

/// Part 3: a blocking call makes three tasks on one thread take turns, at least three latencies
/// by construction; the two fixes let them wait together, well under that (the one ratio that
/// proves they really waited at once).
#[test]
fn a_blocking_call_makes_the_tasks_take_turns() {
    let latency = Duration::from_millis(200);
    let output = run_ok("lesson-10", &["--latency-ms", "200", "--part", "blocking"]);
    assert!(
        wall_of(&output, "std::thread::sleep") >= latency * 3,
        "{output}"
    );
    for fix in ["tokio::time::sleep", "spawn_blocking"] {
        let wall = wall_of(&output, fix);
        assert!(wall >= latency && wall < latency * 3, "{fix}: {output}");
    }
}

/// Part 2 on small counts: every strategy downloads every file; nothing fails.
#[test]
fn every_strategy_downloads_everything() {
    let output = run_ok(
        "lesson-10",
        &[
            "--latency-ms",
            "20",
            "--max-downloads",
            "100",
            "--part",
            "growth",
        ],
    );
    assert_eq!(
        output.matches(" of the latency, all started in ").count(),
        6,
        "{output}"
    );
    assert!(!output.contains("failed"), "{output}");
}

/// Part 1 in Python's asyncio prints the same lines as the Rust lesson's tokio tasks.
#[test]
fn the_python_way_prints_the_same_lines_as_part_1() {
    let Some(python) = run_python(
        "lessons/lesson-10/python/downloads_asyncio.py",
        &["--latency", "0.02"],
    ) else {
        return;
    };
    let rust = run_ok("lesson-10", &["--latency-ms", "20", "--part", "tasks"]);
    let lines = |text: &str| -> Vec<String> {
        text.lines()
            .filter(|line| !line.starts_with("==") && !line.starts_with("Wall time"))
            .map(str::to_string)
            .collect()
    };
    assert_eq!(lines(&python), lines(&rust));
}

#[test]
fn too_few_downloads_is_a_usage_error() {
    let stderr = run_usage_error("lesson-10", &["--max-downloads", "5"]);
    assert!(stderr.contains("max-downloads"), "{stderr}");
}
