//! Lesson 09 run as a learner runs it, on small sizes; its output is compared exactly by the
//! conventions test. Here: what is particular to it.

use course_tests::{lesson, run_ok, run_python, run_usage_error};

/// The three ways of part 1 and the two of part 2 agree, whatever the number of threads.
#[test]
fn every_way_finds_the_same_primes_on_any_number_of_threads() {
    for threads in ["1", "3"] {
        let output = run_ok(
            "lesson-09",
            &[
                "--limit",
                "30000",
                "--threads",
                threads,
                "--part",
                "par-iter",
            ],
        );
        assert_eq!(output.matches(" 3245 primes in ").count(), 3, "{output}");
        let output = run_ok(
            "lesson-09",
            &["--limit", "30000", "--threads", threads, "--part", "uneven"],
        );
        assert!(output.contains("Both found "), "{output}");
        let workers = output.matches("  worker ").count();
        assert_eq!(
            workers.to_string(),
            threads,
            "one line per worker: {output}"
        );
    }
}

/// Part 2 with `--timeline`: every job is a span of one thread or one worker, and a worker's
/// jobs come one after another.
#[test]
fn the_timeline_shows_who_ran_each_job() {
    use course_support::timeline::parse_tsv;
    let dir = tempfile::tempdir().unwrap();
    let figures = dir.path().join("timeline.tsv");
    let output = run_ok(
        "lesson-09",
        &[
            "--limit",
            "30000",
            "--threads",
            "2",
            "--part",
            "uneven",
            "--timeline",
            figures.to_str().unwrap(),
        ],
    );
    assert_eq!(
        output
            .matches("timeline (█ counting, blank: idle):")
            .count(),
        2,
        "{output}"
    );
    assert!(
        output.ends_with(&format!("Timeline written to {}\n", figures.display())),
        "{output}"
    );
    let spans = parse_tsv(&std::fs::read_to_string(&figures).unwrap()).unwrap();
    for run in ["even split by hand", "rayon, work stealing"] {
        let of_run: Vec<_> = spans.iter().filter(|s| s.part == run).collect();
        assert_eq!(of_run.len(), 64, "{run}: {of_run:?}");
        let rows: std::collections::BTreeSet<&str> =
            of_run.iter().map(|s| s.row.as_str()).collect();
        for row in &rows {
            let mut mine: Vec<_> = of_run.iter().filter(|s| s.row == *row).collect();
            mine.sort_by(|a, b| a.from.total_cmp(&b.from));
            assert!(
                mine.windows(2).all(|pair| pair[0].to <= pair[1].from),
                "{run}, {row}"
            );
        }
        // The even split gives each of the two threads 32 jobs, whatever the timing.
        if run == "even split by hand" {
            assert_eq!(rows.len(), 2, "{rows:?}");
        }
    }
}

/// A relative `--timeline` path is taken from the current folder, and the lesson prints the
/// whole path, so that the reader knows where the file went.
#[test]
fn a_relative_timeline_path_is_printed_in_full() {
    let dir = tempfile::tempdir().unwrap();
    let output = lesson(
        "lesson-09",
        &["--limit", "3000", "--part", "uneven", "--timeline", "t.svg"],
    )
    .current_dir(dir.path())
    .assert()
    .success()
    .stderr("")
    .get_output()
    .stdout
    .clone();
    let output = String::from_utf8(output).unwrap();
    let printed = output
        .lines()
        .find_map(|line| line.strip_prefix("Timeline written to "))
        .unwrap_or_else(|| panic!("no line saying where: {output}"));
    let printed = std::path::Path::new(printed);
    assert!(printed.is_absolute(), "{output}");
    assert_eq!(
        printed.canonicalize().unwrap(),
        dir.path().join("t.svg").canonicalize().unwrap(),
        "{output}"
    );
}

#[test]
fn bad_thread_counts_are_usage_errors() {
    for bad in ["0", "65", "-1", "two"] {
        let message = run_usage_error("lesson-09", &["--threads", bad]);
        assert!(message.contains("threads"), "{bad}: {message}");
    }
}

/// Python's `Pool.map` and `ProcessPoolExecutor.map` count the same primes as the lesson.
#[test]
fn the_python_pools_count_the_same_primes() {
    let Some(python) = run_python(
        "lessons/lesson-09/python/pool_map.py",
        &["--limit", "30000", "--workers", "2"],
    ) else {
        return;
    };
    assert!(
        python.contains("Pool.map with 2 processes: 3245 primes below 30000"),
        "{python}"
    );
    assert!(
        python.contains("ProcessPoolExecutor.map with 2 processes: 3245 primes below 30000"),
        "{python}"
    );
    let rust = run_ok("lesson-09", &["--limit", "30000", "--part", "par-iter"]);
    assert!(rust.contains("3245 primes"), "{rust}");
}
