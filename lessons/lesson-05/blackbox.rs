//! Lesson 05 run as a learner runs it, with a small prime limit; its output is compared exactly.
//! Then the promises about processes: a crashing worker is survived, and no worker process
//! outlives the lesson, whether it ends normally or is killed.

use std::collections::BTreeSet;
use std::io::{BufRead, BufReader};
use std::process::{Command, Stdio};
use std::sync::mpsc;
use std::thread;
use std::time::{Duration, Instant};

use course_tests::{lesson, lesson_binary, redact, run_ok, run_usage_error};
use predicates::prelude::*;

const FAST: &[&str] = &["--limit", "20000", "--workers", "2"];

/// The number of primes below 20 000.
const PRIMES_BELOW_20000: &str = "2262";

#[test]
fn a_crashing_worker_is_survived_and_its_chunk_redone() {
    for workers in ["1", "2", "3"] {
        let output = run_ok(
            "lesson-05",
            &[
                "--part",
                "isolation",
                "--limit",
                "20000",
                "--workers",
                workers,
            ],
        );
        // `redact`: Windows words the status `exit code: 101`.
        assert!(
            redact(&output).contains("worker 2 failed with exit status: 101"),
            "{output}"
        );
        assert!(
            output.contains(r#"it said "I was told to crash on 19600..19800""#),
            "{output}"
        );
        assert!(
            output.contains("chunk 19600..19800 goes back in the queue"),
            "{output}"
        );
        assert!(
            output.ends_with(&format!(
                "The parent is still here: {PRIMES_BELOW_20000} primes below 20000\n"
            )),
            "{output}"
        );
    }
}

#[test]
fn the_three_ways_agree_with_a_known_count() {
    // π(10^5) = 9592 and π(10^6) = 78498, from any table of primes.
    for (limit, primes) in [("100000", "9592"), ("1000000", "78498")] {
        let output = run_ok("lesson-05", &["--part", "pool", "--limit", limit]);
        assert!(
            output.contains(&format!("The same answer three times: {primes}\n")),
            "{output}"
        );
    }
}

#[test]
fn no_worker_process_outlives_the_lesson() {
    let output = run_ok("lesson-05", FAST);
    let pids: BTreeSet<u32> = pids_in(&output).into_iter().collect();
    // The parent; parts 1 and 2 start one child each; parts 3 and 4 start two workers each.
    assert_eq!(pids.len(), 1 + 1 + 1 + 2 + 2, "{output}");
    for pid in pids {
        assert_eq!(
            lesson_process_state(pid),
            None,
            "pid {pid} is still there (alive or a zombie) after the lesson ended"
        );
    }
}

#[test]
fn workers_exit_by_themselves_when_the_parent_is_killed() {
    // A limit large enough that the workers are still busy when the parent is killed.
    let mut parent = Command::new(lesson_binary("lesson-05"))
        .args([
            "--part",
            "isolation",
            "--limit",
            "50000000",
            "--workers",
            "3",
        ])
        .env_remove("RUST_BACKTRACE")
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let (lines, received) = mpsc::channel();
    let stdout = parent.stdout.take().unwrap();
    thread::spawn(move || {
        for line in BufReader::new(stdout).lines().map_while(Result::ok) {
            let _ = lines.send(line);
        }
    });
    let started_line = loop {
        let line = received
            .recv_timeout(Duration::from_secs(30))
            .expect("the lesson announces its workers");
        if line.starts_with("worker processes started:") {
            break line;
        }
    };
    let workers = pids_in(&started_line);
    assert_eq!(workers.len(), 3, "{started_line}");
    assert!(
        parent.try_wait().unwrap().is_none(),
        "the lesson must still be running when it is killed"
    );
    // Worker 2 crashes on purpose at once; workers 1 and 3 are busy counting.
    for pid in [workers[0], workers[2]] {
        assert_eq!(lesson_process_state(pid), Some(ProcessState::Running));
    }

    parent.kill().unwrap(); // SIGKILL: no destructor runs in the parent
    parent.wait().unwrap();

    // Each worker finishes its chunk, finds end of file on its stdin and exits. Once exited it is
    // at most a zombie until whoever adopted it reaps it.
    let deadline = Instant::now() + Duration::from_secs(20);
    for pid in workers {
        while lesson_process_state(pid) == Some(ProcessState::Running) {
            assert!(
                Instant::now() < deadline,
                "worker pid {pid} is still running after its parent was killed"
            );
            thread::sleep(Duration::from_millis(20));
        }
    }
}

#[test]
fn the_python_version_gives_the_same_answer() {
    let Some(python) = course_tests::python("lessons/lesson-05/python/processes.py") else {
        return;
    };
    let script = course_tests::workspace_root().join("lessons/lesson-05/python/processes.py");
    let python = Command::new(python)
        .arg(&script)
        .args(FAST)
        .output()
        .unwrap();
    assert!(python.status.success(), "{python:?}");
    let python = String::from_utf8(python.stdout).unwrap();
    assert!(
        python.contains(&format!(
            "2 processes: {PRIMES_BELOW_20000} primes below 20000 in"
        )),
        "{python}"
    );
    let rust = run_ok("lesson-05", &["--part", "pool", "--limit", "20000"]);
    assert!(
        rust.contains(&format!(
            "The same answer three times: {PRIMES_BELOW_20000}\n"
        )),
        "{rust}"
    );
}

/// The Python program the bench times (one loop, K threads, K processes) counts what the
/// lesson counts, in each of its three ways.
#[test]
fn the_python_job_of_the_bench_counts_the_same_primes() {
    let Some(python) = course_tests::python("lessons/lesson-05/python/primes.py") else {
        return;
    };
    let script = course_tests::workspace_root().join("lessons/lesson-05/python/primes.py");
    let output = Command::new(python)
        .arg(&script)
        .args(FAST)
        .output()
        .unwrap();
    assert!(output.status.success(), "{output:?}");
    let output = String::from_utf8(output.stdout).unwrap();
    for way in ["loop", "threads", "processes"] {
        assert!(
            output.contains(&format!(
                "{way} with 2 workers: {PRIMES_BELOW_20000} primes below 20000 in"
            )),
            "{output}"
        );
    }
}

#[test]
fn a_worker_can_be_driven_by_hand() {
    lesson("lesson-05", &["worker", "count-primes"])
        .write_stdin("count 0 100\ncount 0 20000\nhello\n")
        .assert()
        .success()
        .stdout("25\n2262\nexpected: count START END\n");
}

#[test]
fn help_explains_every_flag_but_hides_the_worker_subcommand() {
    lesson("lesson-05", &["--help"])
        .assert()
        .success()
        .stdout(predicate::str::contains("--workers <K>"))
        .stdout(predicate::str::contains("--limit <N>"))
        .stdout(predicate::str::contains("--part <PART>"))
        .stdout(predicate::str::contains("isolation"))
        .stdout(predicate::str::contains("Commands:").not());
}

#[test]
fn zero_workers_is_a_usage_error() {
    let stderr = run_usage_error("lesson-05", &["--workers", "0"]);
    assert!(stderr.contains("choose from 1 to 64"), "{stderr}");
}

#[test]
fn workers_that_are_not_a_number_is_a_usage_error() {
    let stderr = run_usage_error("lesson-05", &["--workers", "abc"]);
    assert!(
        stderr.contains("whole number of workers from 1 to 64"),
        "{stderr}"
    );
}

#[test]
fn negative_workers_is_a_usage_error() {
    let stderr = run_usage_error("lesson-05", &["--workers", "-2"]);
    assert!(stderr.contains("workers cannot be negative"), "{stderr}");
}

#[test]
fn too_many_workers_is_a_usage_error() {
    let stderr = run_usage_error("lesson-05", &["--workers", "100000"]);
    assert!(stderr.contains("choose from 1 to 64"), "{stderr}");
}

#[test]
fn a_negative_limit_is_a_usage_error() {
    let stderr = run_usage_error("lesson-05", &["--limit", "-1"]);
    assert!(stderr.contains("cannot be negative"), "{stderr}");
}

#[test]
fn an_absurd_limit_is_a_usage_error() {
    for absurd in ["100000000000", "99999999999999999999999", "1"] {
        let stderr = run_usage_error("lesson-05", &["--limit", absurd]);
        assert!(
            stderr.contains("out of range") || stderr.contains("whole number"),
            "{stderr}"
        );
    }
}

#[test]
fn an_unknown_worker_role_is_a_usage_error() {
    run_usage_error("lesson-05", &["worker", "everything"]);
}

/// Every `pid 1234` in `text`.
fn pids_in(text: &str) -> Vec<u32> {
    text.match_indices("pid ")
        .filter_map(|(at, word)| {
            let digits: String = text[at + word.len()..]
                .chars()
                .take_while(char::is_ascii_digit)
                .collect();
            digits.parse().ok()
        })
        .collect()
}

#[derive(Debug, PartialEq, Eq)]
enum ProcessState {
    Running,
    Zombie,
}

/// The state of process `pid` if it is a lesson-05 process (running or a zombie), from the
/// system's process list; `None` if there is no such process, or the pid now belongs to another
/// program.
fn lesson_process_state(pid: u32) -> Option<ProcessState> {
    use sysinfo::{ProcessRefreshKind, ProcessStatus, ProcessesToUpdate, System};
    let pid = sysinfo::Pid::from_u32(pid);
    let mut system = System::new();
    system.refresh_processes_specifics(
        ProcessesToUpdate::Some(&[pid]),
        true,
        ProcessRefreshKind::nothing(),
    );
    let process = system.process(pid)?;
    let name = process.name().to_string_lossy();
    if name.strip_suffix(std::env::consts::EXE_SUFFIX) != Some("lesson-05") {
        return None;
    }
    Some(if process.status() == ProcessStatus::Zombie {
        ProcessState::Zombie
    } else {
        ProcessState::Running
    })
}

/// The system's process list shows this test program: `lesson_process_state` can see a process.
#[test]
fn the_process_list_is_readable_here() {
    let system = sysinfo::System::new_with_specifics(
        sysinfo::RefreshKind::nothing().with_processes(sysinfo::ProcessRefreshKind::nothing()),
    );
    assert!(
        system
            .process(sysinfo::Pid::from_u32(std::process::id()))
            .is_some()
    );
}

/// `--timeline` in part 3: each of the 100 chunks is a span of one thread or worker, a worker's
/// chunks come one after another, and every worker process got work (the parent hands one chunk
/// to every idle worker before it waits). A thread may find the chunks gone before it starts, so
/// threads are not required to count. The times vary, so no snapshot holds them.
#[test]
fn the_timeline_shows_every_worker_counting_chunks() {
    use course_support::timeline::{Activity, parse_tsv};
    let dir = tempfile::tempdir().unwrap();
    let figures = dir.path().join("timeline.tsv");
    let output = run_ok(
        "lesson-05",
        &[
            "--part",
            "pool",
            "--limit",
            "200000",
            "--workers",
            "2",
            "--timeline",
            figures.to_str().unwrap(),
        ],
    );
    assert!(output.contains("Timeline (█ counting a chunk"), "{output}");
    assert!(
        output.ends_with(&format!("Timeline written to {}\n", figures.display())),
        "{output}"
    );
    let spans = parse_tsv(&std::fs::read_to_string(&figures).unwrap()).unwrap();
    // 100 chunks each way, every one a span of one worker.
    for (section, rows) in [
        ("threads", ["thread 1", "thread 2"]),
        ("worker processes", ["process 1", "process 2"]),
    ] {
        let of_section: Vec<_> = spans.iter().filter(|s| s.part == section).collect();
        assert_eq!(of_section.len(), 100, "{section}: {of_section:?}");
        assert!(
            of_section
                .iter()
                .all(|s| s.activity == Activity::Working && s.from <= s.to)
        );
        assert!(
            of_section.iter().all(|s| rows.contains(&s.row.as_str())),
            "{of_section:?}"
        );
        for row in rows {
            let mut mine: Vec<_> = of_section.iter().filter(|s| s.row == row).collect();
            assert!(
                !mine.is_empty() || section == "threads",
                "{row} counted no chunk: {of_section:?}"
            );
            mine.sort_by(|a, b| a.from.total_cmp(&b.from));
            assert!(
                mine.windows(2).all(|pair| pair[0].to <= pair[1].from),
                "{row} counted two chunks at once: {mine:?}"
            );
        }
    }
}
