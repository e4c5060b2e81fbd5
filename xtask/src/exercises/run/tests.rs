//! verify's containment, tried with hostile programs in every way this system can hold a run
//! (on Linux, also the macOS way). The hostile programs are this test program, started again
//! with [`HOSTILE`] set, so that these tests need no compiler and run as they are under wine.

use std::collections::HashSet;
use std::fs;
use std::path::Path;
use std::process::Command;
use std::time::{Duration, Instant};

use super::{Containment, Run, run_contained};

/// The variable that makes [`hostile_program`] act, and says how.
const HOSTILE: &str = "COURSE_HOSTILE";
/// The file where a hostile program writes the pid of every process it starts.
const HOSTILE_PIDS: &str = "COURSE_HOSTILE_PIDS";
/// For the programs that must be stopped: short, so that the tests stay quick.
const SHORT: Duration = Duration::from_secs(2);
/// For the programs that end by themselves.
const LONG: Duration = Duration::from_secs(60);
/// How much longer than its timeout verify may take to kill a run and describe it.
const SLACK: Duration = Duration::from_secs(10);

/// Every way this system can hold a run.
fn containments() -> Vec<Containment> {
    if cfg!(target_os = "linux") {
        vec![Containment::Linux, Containment::ProcessGroup]
    } else {
        vec![Containment::of_this_system()]
    }
}

/// Not a test of its own: the hostile programs that the tests below start. Without [`HOSTILE`]
/// it returns at once.
#[test]
#[ignore = "a hostile program the containment tests start themselves"]
#[allow(
    clippy::zombie_processes,
    reason = "leaving processes behind is what these programs are for"
)]
fn hostile_program() {
    let Ok(what) = std::env::var(HOSTILE) else {
        return;
    };
    record_pid(std::process::id());
    match what.as_str() {
        "sleep" => std::thread::sleep(Duration::from_secs(300)),
        "deadlock" => {
            start_again("sleep", Leave::Stay);
            deadlock();
        }
        "spin" => loop {
            std::hint::spin_loop();
        },
        "leave-a-child" => {
            start_again("sleep", Leave::Stay);
        }
        "escape" => {
            start_again("sleep", Leave::Escape);
            // Orphaned at once: its parent exits after starting it, and it escapes too.
            let mut middle = start_again("escape-and-exit", Leave::Stay);
            assert!(middle.wait().unwrap().success());
        }
        "escape-and-exit" => {
            start_again("sleep", Leave::Escape);
        }
        "memory" => {
            // Written, not only reserved: where verify watches memory it sees what is resident.
            let mut chunks = Vec::new();
            loop {
                chunks.push(std::hint::black_box(vec![1_u8; 64 << 20]));
            }
        }
        "flood" => {
            use std::io::Write as _;
            let line = [b'x'; 1024];
            let mut out = std::io::stdout().lock();
            for _ in 0..16 * 1024 {
                out.write_all(&line).unwrap();
            }
            panic!("printed 16 MiB");
        }
        other => panic!("no hostile program is called {other}"),
    }
}

fn record_pid(pid: u32) {
    use std::io::Write as _;
    let path = std::env::var_os(HOSTILE_PIDS).unwrap();
    let mut file = fs::OpenOptions::new()
        .create(true)
        .append(true)
        .open(path)
        .unwrap();
    writeln!(file, "{pid}").unwrap();
}

/// Where a started program goes.
#[derive(Clone, Copy)]
enum Leave {
    Stay,
    /// Out of the run's process group (Unix), or out of its job, were that allowed (Windows).
    Escape,
}

/// This program again, as the hostile program `what`, with nothing tying its output to the run.
fn start_again(what: &str, leave: Leave) -> std::process::Child {
    use std::process::Stdio;
    let mut command = this_program_as(what);
    command
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::null());
    if let Leave::Escape = leave
        && let Some(child) = try_to_escape(&mut command)
    {
        return child;
    }
    command.spawn().unwrap()
}

/// Unix: a process group of its own, set for the start.
#[cfg(unix)]
fn try_to_escape(command: &mut Command) -> Option<std::process::Child> {
    use std::os::unix::process::CommandExt as _;
    command.process_group(0);
    None
}

/// Windows: out of the job (`CREATE_BREAKAWAY_FROM_JOB`) and into a console process group of its
/// own. The job does not allow the first, so that start fails, and the program is started with
/// only the second.
#[cfg(windows)]
fn try_to_escape(command: &mut Command) -> Option<std::process::Child> {
    use std::os::windows::process::CommandExt as _;
    const CREATE_BREAKAWAY_FROM_JOB: u32 = 0x0100_0000;
    const CREATE_NEW_PROCESS_GROUP: u32 = 0x0000_0200;
    command.creation_flags(CREATE_BREAKAWAY_FROM_JOB | CREATE_NEW_PROCESS_GROUP);
    if let Ok(child) = command.spawn() {
        return Some(child);
    }
    command.creation_flags(CREATE_NEW_PROCESS_GROUP);
    None
}

fn this_program_as(what: &str) -> Command {
    let mut command = Command::new(std::env::current_exe().unwrap());
    command
        .args([
            "exercises::run::tests::hostile_program",
            "--exact",
            "--include-ignored",
            "--nocapture",
        ])
        .env(HOSTILE, what);
    command
}

fn deadlock() {
    use std::sync::{Arc, Barrier, Mutex};
    let locks = Arc::new((Mutex::new(()), Mutex::new(())));
    let both_hold_one = Arc::new(Barrier::new(2));
    let other = {
        let (locks, both_hold_one) = (Arc::clone(&locks), Arc::clone(&both_hold_one));
        std::thread::Builder::new()
            .name(String::from("second-locker"))
            .spawn(move || {
                let _b = locks.1.lock().unwrap();
                both_hold_one.wait();
                let _a = locks.0.lock().unwrap();
            })
            .unwrap()
    };
    let _a = locks.0.lock().unwrap();
    both_hold_one.wait();
    let _b = locks.1.lock().unwrap();
    other.join().unwrap();
}

/// Runs the hostile program `what` as verify runs a learner's, and checks that it took at most
/// the timeout plus [`SLACK`] and that every process it recorded is gone afterwards.
fn run_hostile(what: &str, how: Containment, timeout: Duration) -> Run {
    let dir = tempfile::tempdir().unwrap();
    let pids = dir.path().join("pids");
    let mut command = this_program_as(what);
    command.env(HOSTILE_PIDS, &pids);
    let started = Instant::now();
    let run = run_contained(command, timeout, how).unwrap();
    let took = started.elapsed();
    assert!(took < timeout + SLACK, "{how:?}: {what} took {took:?}");
    let alive = still_alive(&pids);
    assert!(
        alive.is_empty(),
        "{how:?}: processes {alive:?} of the hostile program '{what}' survived verify"
    );
    run
}

/// The recorded processes that still run (a zombie no longer runs).
fn still_alive(pids: &Path) -> Vec<u32> {
    let recorded: HashSet<u32> = fs::read_to_string(pids)
        .unwrap_or_default()
        .split_whitespace()
        .map(|pid| pid.parse().unwrap())
        .collect();
    let processes = super::processes(sysinfo::ProcessRefreshKind::nothing());
    assert!(
        processes.contains_key(&std::process::id()),
        "this test cannot see its own process in the system's list: it could not see a survivor"
    );
    recorded
        .into_iter()
        .filter(|pid| processes.get(pid).is_some_and(|p| p.living))
        .collect()
}

#[test]
fn a_deadlock_times_out_is_described_and_leaves_nothing_running() {
    for how in containments() {
        let run = run_hostile("deadlock", how, SHORT);
        assert!(run.status.is_none(), "{how:?}: {run:?}");
        let report = run.stuck.join("\n");
        if how == Containment::Linux {
            assert!(report.contains("second-locker"), "{report}");
            assert!(report.contains("waiting"), "{report}");
        } else {
            assert!(report.contains("shown on Linux only"), "{report}");
            // The test program and the sleeper it started.
            assert_eq!(run.stuck.len(), 3, "{report}");
        }
    }
}

#[test]
fn an_endless_loop_times_out_and_is_stopped() {
    for how in containments() {
        let run = run_hostile("spin", how, SHORT);
        assert!(run.status.is_none(), "{how:?}: {run:?}");
        if how == Containment::Linux {
            assert!(run.stuck.join("\n").contains("running"), "{:?}", run.stuck);
        }
    }
}

#[test]
fn a_child_left_running_is_reported_and_killed() {
    for how in containments() {
        let run = run_hostile("leave-a-child", how, LONG);
        assert!(run.status.is_some_and(|s| s.success()), "{how:?}: {run:?}");
        assert_eq!(run.left_running.len(), 1, "{how:?}: {:?}", run.left_running);
        assert!(
            run.left_running[0].contains("hostile_program"),
            "{:?}",
            run.left_running
        );
    }
}

#[test]
fn children_that_leave_the_group_or_are_orphaned_are_found_and_killed() {
    for how in containments() {
        let run = run_hostile("escape", how, LONG);
        assert!(run.status.is_some_and(|s| s.success()), "{how:?}: {run:?}");
        assert_eq!(run.left_running.len(), 2, "{how:?}: {:?}", run.left_running);
    }
}

#[test]
fn unbounded_memory_is_stopped() {
    for how in containments() {
        let run = run_hostile("memory", how, LONG);
        let refused = run.stderr.contains("memory allocation of ");
        if how == Containment::Linux {
            assert!(refused && !run.over_memory, "{how:?}: {run:?}");
        } else {
            assert!(run.over_memory || refused, "{how:?}: {run:?}");
        }
    }
}

#[test]
fn endless_output_is_cut() {
    for how in containments() {
        let run = run_hostile("flood", how, LONG);
        assert!(run.output_cut > 0, "{how:?}");
        assert!(
            run.stderr.contains("printed 16 MiB"),
            "{how:?}: {}",
            run.stderr
        );
        assert!(
            run.stdout.len() < 3 * super::OUTPUT_KEPT_EACH_END,
            "{how:?}"
        );
    }
}
