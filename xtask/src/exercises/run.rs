//! Runs a learner's test program so that nothing it does can escape or swamp verify: a timeout,
//! a memory limit, bounded captured output, and, when it ends, every process it started killed —
//! even one that left its process group (`setsid`) or was orphaned by a double fork.
//!
//! Finding every process: each run puts a unique marker in the environment, which every
//! descendant inherits, so the processes of one run are found wherever they are, and told apart
//! from another run's; while the program runs, its descendants are found by their parents too.
//! verify also makes itself a child subreaper (`PR_SET_CHILD_SUBREAPER`), so that an orphan is
//! re-parented to verify rather than to init, and verify can reap it once it is killed.

use std::collections::{HashMap, HashSet};
use std::fmt::Write as _;
use std::fs;
use std::io::Read;
use std::os::unix::process::{CommandExt, ExitStatusExt};
use std::process::{Command, ExitStatus, Stdio};
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::{Mutex, Once, PoisonError, mpsc};
use std::thread;
use std::time::{Duration, Instant};

use rustix::process::{Pid, Resource, Rlimit, Signal, WaitOptions};
use signal_hook::consts::{SIGHUP, SIGINT, SIGTERM};
use wait_timeout::ChildExt as _;

/// The most memory (`RLIMIT_DATA`: heap, thread stacks, anonymous mappings) each process of the
/// learner's program may use. Generous for loom, a test server and its threads; an unbounded
/// `Vec` reaches it in a second.
pub const MEMORY_LIMIT_MIB: u64 = 1024;
/// How much of each output stream (stdout, stderr) is kept from its start, and from its end.
pub const OUTPUT_KEPT_EACH_END: usize = 64 * 1024;
/// The variable that marks every process of one run.
const MARKER_VARIABLE: &str = "COURSE_VERIFY_RUN";

/// What one run did.
#[derive(Debug)]
pub struct Run {
    /// `None` when the run timed out and was killed.
    pub status: Option<ExitStatus>,
    pub stdout: String,
    pub stderr: String,
    /// Bytes of output dropped from the middle of stdout and stderr together.
    pub output_cut: u64,
    /// On timeout: one line per thread of every process of the run, taken before the kill.
    pub stuck: Vec<String>,
    /// Processes of the run still running after the test program exited (then killed).
    pub left_running: Vec<String>,
}

/// How long the output readers may take to finish once every process of the run is dead. They
/// are dead by then, so the pipes are closed; this only guards against a process verify could
/// not find (an orphan that emptied its environment before its parent was reaped).
const DRAIN: Duration = Duration::from_secs(2);

/// One run in progress: its test program's pid and its marker.
#[derive(Debug, Clone)]
struct Running {
    pid: u32,
    marker: String,
}

/// The runs in progress. The learner's program is in a process group of its own, so a Ctrl-C in
/// the terminal does not reach it: when verify is interrupted, it kills their processes itself
/// before it exits, so that a deadlocked program does not run on unseen.
static RUNNING: Mutex<Vec<Running>> = Mutex::new(Vec::new());
/// Set when verify was interrupted: the program's death is then no verdict to report.
static INTERRUPTED: AtomicBool = AtomicBool::new(false);

fn prepare_once() {
    static PREPARE: Once = Once::new();
    PREPARE.call_once(|| {
        // Unprivileged; without it (an old kernel) orphans go to init and the marker still finds
        // them.
        let _ = rustix::process::set_child_subreaper(Some(rustix::process::getpid()));
        let Ok(mut signals) = signal_hook::iterator::Signals::new([SIGINT, SIGTERM, SIGHUP]) else {
            return;
        };
        thread::spawn(move || {
            if let Some(signal) = signals.forever().next() {
                INTERRUPTED.store(true, Ordering::SeqCst);
                let runs = RUNNING.lock().map(|r| r.clone()).unwrap_or_default();
                for run in runs {
                    // A program that has just been reaped is no longer in the list.
                    kill_run(&run, false);
                }
                std::process::exit(128 + signal);
            }
        });
    });
}

/// Runs `command` as the leader of a new process group, with the memory limit, and waits at most
/// `timeout`. When this returns, no process of the run is alive.
pub fn run_in_process_group(mut command: Command, timeout: Duration) -> std::io::Result<Run> {
    static RUNS: AtomicU64 = AtomicU64::new(0);
    prepare_once();
    let marker = format!(
        "{}-{}",
        std::process::id(),
        RUNS.fetch_add(1, Ordering::Relaxed)
    );
    command
        .env(MARKER_VARIABLE, &marker)
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .process_group(0);
    let started = Instant::now();
    // Hold the registry while spawning, so that an interrupt cannot slip in between.
    let mut running = RUNNING.lock().unwrap_or_else(PoisonError::into_inner);
    let mut child = command.spawn()?;
    let run = Running {
        pid: child.id(),
        marker,
    };
    running.push(run.clone());
    drop(running);
    limit_memory(run.pid);
    let stdout = read_in_background(child.stdout.take());
    let stderr = read_in_background(child.stderr.take());

    let status = child.wait_timeout(timeout.saturating_sub(started.elapsed()))?;
    while INTERRUPTED.load(Ordering::SeqCst) {
        // The interrupt handler is killing the runs and will end the process.
        thread::sleep(Duration::from_millis(100));
    }
    let reaped = status.is_some();
    let stuck = if reaped {
        Vec::new()
    } else {
        describe_threads(&members(&run, reaped))
    };
    // Whatever of the run is still alive now was started by the test and not waited for: every
    // process the kill finds, in any of its rounds (one in the middle of an exec can be missed by
    // a single look at `/proc`).
    let killed = kill_run(&run, reaped);
    let left_running = if reaped { killed } else { Vec::new() };
    if status.is_none() {
        child.wait()?;
    }
    RUNNING
        .lock()
        .unwrap_or_else(PoisonError::into_inner)
        .retain(|r| r.pid != run.pid);
    let (stdout, stdout_cut) = stdout.recv_timeout(DRAIN).unwrap_or_default();
    let (stderr, stderr_cut) = stderr.recv_timeout(DRAIN).unwrap_or_default();
    Ok(Run {
        status,
        stdout,
        stderr,
        output_cut: stdout_cut + stderr_cut,
        stuck,
        left_running,
    })
}

/// Caps the memory of the test program just after it started; every process it starts inherits
/// the limit. (Setting it between fork and exec would need `unsafe`, which the workspace forbids.
/// This runs microseconds after the spawn; a test program takes milliseconds to reach a test.)
fn limit_memory(pid: u32) {
    let bytes = MEMORY_LIMIT_MIB * 1024 * 1024;
    let Some(pid) = Pid::from_raw(pid.cast_signed()) else {
        return;
    };
    let _ = rustix::process::prlimit(
        Some(pid),
        Resource::Data,
        Rlimit {
            current: Some(bytes),
            maximum: Some(bytes),
        },
    );
}

/// Reads a pipe to its end, keeping its first and last [`OUTPUT_KEPT_EACH_END`] bytes; sends the
/// text (with a line where bytes were cut) and how many bytes were cut.
fn read_in_background(pipe: Option<impl Read + Send + 'static>) -> mpsc::Receiver<(String, u64)> {
    let (sender, receiver) = mpsc::channel();
    if let Some(mut pipe) = pipe {
        thread::spawn(move || {
            let mut head = Vec::new();
            let mut tail = std::collections::VecDeque::new();
            let mut cut = 0_u64;
            let mut buffer = [0_u8; 8192];
            while let Ok(read @ 1..) = pipe.read(&mut buffer) {
                let mut bytes = &buffer[..read];
                let room = OUTPUT_KEPT_EACH_END.saturating_sub(head.len());
                let (to_head, rest) = bytes.split_at(room.min(bytes.len()));
                head.extend_from_slice(to_head);
                bytes = rest;
                tail.extend(bytes);
                let over = tail.len().saturating_sub(OUTPUT_KEPT_EACH_END);
                tail.drain(..over);
                cut += over as u64;
            }
            let mut text = String::from_utf8_lossy(&head).into_owned();
            if cut > 0 {
                let _ = write!(text, "\n[... verify cut {cut} bytes of output here ...]\n");
            }
            text.push_str(&String::from_utf8_lossy(tail.make_contiguous()));
            let _ = sender.send((text, cut));
        });
    }
    receiver
}

/// Kills every process of the run, and keeps at it until none is left (a process may be forking
/// while it is killed), then reaps the orphans that were re-parented to verify. Zombies count as
/// gone: they no longer run.
/// Returns one line (pid and command) for each process it killed, the test program aside.
fn kill_run(run: &Running, program_reaped: bool) -> Vec<String> {
    let mut seen = HashSet::new();
    let mut killed = Vec::new();
    for _ in 0..50 {
        let alive = members(run, program_reaped);
        if alive.is_empty() {
            break;
        }
        let new: Vec<u32> = alive
            .iter()
            .copied()
            .filter(|pid| *pid != run.pid && !seen.contains(pid))
            .collect();
        // Described before the kill: afterwards its `/proc` entry is gone.
        killed.extend(describe_processes(&new));
        for &pid in &alive {
            if let Some(pid) = Pid::from_raw(pid.cast_signed()) {
                let _ = rustix::process::kill_process(pid, Signal::KILL);
            }
        }
        seen.extend(alive);
        thread::sleep(Duration::from_millis(5));
    }
    // The test program itself is waited for by its `Child`; the orphans are verify's to reap.
    seen.remove(&run.pid);
    // A killed process can drop out of the search above (its environment is gone once it starts
    // to exit) a moment before it stops running: wait, briefly, until each one has.
    for _ in 0..200 {
        let running = seen.iter().any(|pid| {
            stat_fields(&format!("/proc/{pid}/stat"))
                .is_some_and(|(state, _, _)| state != 'Z' && state != 'X')
        });
        if !running {
            break;
        }
        thread::sleep(Duration::from_millis(5));
    }
    for pid in seen {
        if let Some(pid) = Pid::from_raw(pid.cast_signed()) {
            let _ = rustix::process::waitpid(Some(pid), WaitOptions::NOHANG);
        }
    }
    killed
}

/// One process from `/proc`.
struct Process {
    pid: u32,
    parent: u32,
    group: u32,
    living: bool,
}

fn all_processes() -> Vec<Process> {
    let Ok(entries) = fs::read_dir("/proc") else {
        return Vec::new();
    };
    entries
        .filter_map(Result::ok)
        .filter_map(|entry| entry.file_name().to_str()?.parse::<u32>().ok())
        .filter_map(|pid| {
            let (state, parent, group) = stat_fields(&format!("/proc/{pid}/stat"))?;
            Some(Process {
                pid,
                parent,
                group,
                living: state != 'Z' && state != 'X',
            })
        })
        .collect()
}

/// The living processes of a run: every process that carries the run's marker, wherever it is
/// now (an orphan may be re-parented to verify, or, where there is no subreaper, to init); every
/// process still in the run's process group, whose id is the test program's (a process that is
/// finishing its `exec` has no environment to read yet, and the program that started it may
/// already have exited: the kernel lets no new process take that id while the group has a
/// member); and while the test program has not been reaped, the program and all its descendants
/// (which catches one that emptied its environment). Once reaped, its pid may be another
/// process's.
fn members(run: &Running, program_reaped: bool) -> Vec<u32> {
    let processes = all_processes();
    let mut children: HashMap<u32, Vec<u32>> = HashMap::new();
    for process in &processes {
        children
            .entry(process.parent)
            .or_default()
            .push(process.pid);
    }
    let mut of_the_program = HashSet::new();
    if !program_reaped {
        let mut next = vec![run.pid];
        while let Some(pid) = next.pop() {
            of_the_program.insert(pid);
            next.extend(children.get(&pid).map_or(&[][..], Vec::as_slice));
        }
    }
    let group_of: HashMap<u32, u32> = processes.iter().map(|p| (p.pid, p.group)).collect();
    let marker = format!("{MARKER_VARIABLE}={}", run.marker);
    processes
        .iter()
        .filter(|p| p.living)
        .map(|p| p.pid)
        .filter(|&pid| {
            of_the_program.contains(&pid)
                || group_of.get(&pid) == Some(&run.pid)
                || fs::read(format!("/proc/{pid}/environ"))
                    .is_ok_and(|environ| environ.split(|&b| b == 0).any(|v| v == marker.as_bytes()))
        })
        .collect()
}

/// The state letter, the parent's pid and the process group from a `/proc/.../stat` file.
fn stat_fields(path: &str) -> Option<(char, u32, u32)> {
    let stat = fs::read_to_string(path).ok()?;
    // The command name is in parentheses and may contain spaces: split after the last ')'.
    let rest = &stat[stat.rfind(')')? + 2..];
    let mut fields = rest.split(' ');
    let state = fields.next()?.chars().next()?;
    let parent = fields.next()?.parse().ok()?;
    let group = fields.next()?.parse().ok()?;
    Some((state, parent, group))
}

fn read_trimmed(path: &str) -> String {
    fs::read_to_string(path)
        .map(|text| text.trim().to_string())
        .unwrap_or_default()
}

/// One line per process: pid and command.
fn describe_processes(pids: &[u32]) -> Vec<String> {
    pids.iter()
        .map(|pid| format!("pid {pid}: {}", command_line(*pid)))
        .collect()
}

/// The command line of a process. One caught while it finishes its `exec` has none yet: it is
/// given a moment (at most 200 ms) to get one, so that the learner reads what was started.
fn command_line(pid: u32) -> String {
    for _ in 0..100 {
        let command = read_trimmed(&format!("/proc/{pid}/cmdline")).replace('\0', " ");
        if !command.trim().is_empty() {
            return command.trim().to_string();
        }
        thread::sleep(Duration::from_millis(2));
    }
    format!("({}, starting)", read_trimmed(&format!("/proc/{pid}/comm")))
}

/// One line per thread of every process: its name, and what it was doing.
fn describe_threads(pids: &[u32]) -> Vec<String> {
    let mut pids = pids.to_vec();
    pids.sort_unstable();
    let mut lines = Vec::new();
    for pid in pids {
        let name = read_trimmed(&format!("/proc/{pid}/comm"));
        lines.push(format!("process {pid} ({name}):"));
        let Ok(tasks) = fs::read_dir(format!("/proc/{pid}/task")) else {
            continue;
        };
        let mut tids: Vec<u32> = tasks
            .filter_map(Result::ok)
            .filter_map(|e| e.file_name().to_str()?.parse().ok())
            .collect();
        tids.sort_unstable();
        for tid in tids {
            let task = format!("/proc/{pid}/task/{tid}");
            let thread_name = read_trimmed(&format!("{task}/comm"));
            let state = stat_fields(&format!("{task}/stat")).map_or('?', |(state, _, _)| state);
            let wchan = read_trimmed(&format!("{task}/wchan"));
            lines.push(format!(
                "  thread '{thread_name}': {}",
                what_it_does(state, &wchan)
            ));
        }
    }
    lines
}

fn what_it_does(state: char, wchan: &str) -> String {
    let place = if wchan.is_empty() || wchan == "0" {
        String::new()
    } else {
        format!(" in {wchan}")
    };
    match state {
        'R' => "running — busy on the CPU: a loop that never ends?".to_string(),
        'S' | 'D' if wchan.contains("futex") => {
            format!("waiting{place} — for a lock, a join, a channel or a condition variable")
        }
        'S' | 'D' => format!("waiting{place} — blocked (sleep, I/O or a child process)"),
        other => format!("state {other}{place}"),
    }
}

/// How a test program ended, to follow "The test program …".
pub fn describe_status(status: ExitStatus) -> String {
    match (status.code(), status.signal()) {
        (Some(code), _) => format!("exited with code {code}"),
        (None, Some(6)) => {
            "was killed by signal 6 (SIGABRT: a panic that could not unwind, or an abort)".into()
        }
        (None, Some(9)) => "was killed by signal 9 (SIGKILL)".into(),
        (None, Some(11)) => "was killed by signal 11 (SIGSEGV)".into(),
        (None, Some(signal)) => format!("was killed by signal {signal}"),
        (None, None) => "ended in an unknown way".into(),
    }
}
