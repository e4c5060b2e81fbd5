//! Runs a learner's test program with a timeout, in a process group of its own, so that nothing
//! it starts can outlive the run: on timeout, and after a normal exit, every process left in the
//! group is killed. On timeout it first reports what each thread was doing (from `/proc`).

use std::fs;
use std::io::Read;
use std::os::unix::process::{CommandExt, ExitStatusExt};
use std::process::{Child, Command, ExitStatus, Stdio};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Mutex, Once, mpsc};
use std::thread;
use std::time::{Duration, Instant};

/// What one run did.
#[derive(Debug)]
pub struct Run {
    /// `None` when the run timed out and was killed.
    pub status: Option<ExitStatus>,
    pub stdout: String,
    pub stderr: String,
    /// On timeout: one line per thread of every process of the group, taken before the kill.
    pub stuck: Vec<String>,
    /// Processes of the group still running after the test program exited (then killed).
    pub left_running: Vec<String>,
}

/// How long the output readers may take to finish once the group is dead. A process that left
/// the group (`setsid`) could keep the pipes open; verify must not wait for it.
const DRAIN: Duration = Duration::from_secs(2);

/// The process groups running right now. The learner's program is in a group of its own, so a
/// Ctrl-C in the terminal does not reach it: when verify is interrupted, it kills these groups
/// itself before it exits, so that a deadlocked program does not run on unseen.
static RUNNING_GROUPS: Mutex<Vec<u32>> = Mutex::new(Vec::new());
/// Set when verify was interrupted: the program's death is then no verdict to report.
static INTERRUPTED: AtomicBool = AtomicBool::new(false);

fn kill_running_groups_on_interrupt() {
    static INSTALL: Once = Once::new();
    INSTALL.call_once(|| {
        use signal_hook::consts::{SIGHUP, SIGINT, SIGTERM};
        let Ok(mut signals) = signal_hook::iterator::Signals::new([SIGINT, SIGTERM, SIGHUP]) else {
            return;
        };
        thread::spawn(move || {
            if let Some(signal) = signals.forever().next() {
                INTERRUPTED.store(true, Ordering::SeqCst);
                let groups = RUNNING_GROUPS.lock().map(|g| g.clone()).unwrap_or_default();
                for group in groups {
                    kill_group(group);
                }
                std::process::exit(128 + signal);
            }
        });
    });
}

/// Runs `command` as the leader of a new process group and waits at most `timeout`.
pub fn run_in_process_group(mut command: Command, timeout: Duration) -> std::io::Result<Run> {
    kill_running_groups_on_interrupt();
    command
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .process_group(0);
    let started = Instant::now();
    // Hold the registry while spawning, so that an interrupt cannot slip in between.
    let mut running = RUNNING_GROUPS
        .lock()
        .unwrap_or_else(std::sync::PoisonError::into_inner);
    let mut child = command.spawn()?;
    let group = child.id();
    running.push(group);
    drop(running);
    let stdout = read_in_background(child.stdout.take());
    let stderr = read_in_background(child.stderr.take());

    let status = wait_until(&mut child, started + timeout)?;
    while INTERRUPTED.load(Ordering::SeqCst) {
        // The interrupt handler is killing the groups and will end the process.
        thread::sleep(Duration::from_millis(100));
    }
    let stuck = if status.is_none() {
        describe_group(group)
    } else {
        Vec::new()
    };
    // Whatever is still in the group now was started by the test and not waited for.
    let left_running = if status.is_some() {
        describe_processes(group)
    } else {
        Vec::new()
    };
    kill_group(group);
    if status.is_none() {
        child.wait()?;
    }
    RUNNING_GROUPS
        .lock()
        .unwrap_or_else(std::sync::PoisonError::into_inner)
        .retain(|&g| g != group);
    Ok(Run {
        status,
        stdout: stdout.recv_timeout(DRAIN).unwrap_or_default(),
        stderr: stderr.recv_timeout(DRAIN).unwrap_or_default(),
        stuck,
        left_running,
    })
}

fn read_in_background(pipe: Option<impl Read + Send + 'static>) -> mpsc::Receiver<String> {
    let (sender, receiver) = mpsc::channel();
    if let Some(mut pipe) = pipe {
        thread::spawn(move || {
            let mut bytes = Vec::new();
            let _ = pipe.read_to_end(&mut bytes);
            let _ = sender.send(String::from_utf8_lossy(&bytes).into_owned());
        });
    }
    receiver
}

fn wait_until(child: &mut Child, deadline: Instant) -> std::io::Result<Option<ExitStatus>> {
    loop {
        if let Some(status) = child.try_wait()? {
            return Ok(Some(status));
        }
        if Instant::now() >= deadline {
            return Ok(None);
        }
        thread::sleep(Duration::from_millis(10));
    }
}

/// Kills every process of the group, and keeps at it until none is left (a process may be
/// forking while we kill). Zombies count as gone: they no longer run.
pub fn kill_group(group: u32) {
    for _ in 0..50 {
        if live_members(group).is_empty() {
            return;
        }
        let _ = Command::new("kill")
            .args(["-KILL", "--", &format!("-{group}")])
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .status();
        thread::sleep(Duration::from_millis(20));
    }
}

/// The pids of the living (not zombie) processes whose process group is `group`.
pub fn live_members(group: u32) -> Vec<u32> {
    let Ok(entries) = fs::read_dir("/proc") else {
        return Vec::new();
    };
    entries
        .filter_map(Result::ok)
        .filter_map(|entry| entry.file_name().to_str()?.parse::<u32>().ok())
        .filter(|&pid| {
            stat_fields(&format!("/proc/{pid}/stat"))
                .is_some_and(|(state, pgrp)| pgrp == group && state != 'Z' && state != 'X')
        })
        .collect()
}

/// The state letter and the process group from a `/proc/.../stat` file.
fn stat_fields(path: &str) -> Option<(char, u32)> {
    let stat = fs::read_to_string(path).ok()?;
    // The command name is in parentheses and may contain spaces: split after the last ')'.
    let rest = &stat[stat.rfind(')')? + 2..];
    let mut fields = rest.split(' ');
    let state = fields.next()?.chars().next()?;
    let _parent = fields.next()?;
    let pgrp = fields.next()?.parse().ok()?;
    Some((state, pgrp))
}

fn read_trimmed(path: &str) -> String {
    fs::read_to_string(path)
        .map(|text| text.trim().to_string())
        .unwrap_or_default()
}

/// One line per living process of the group: pid and command.
fn describe_processes(group: u32) -> Vec<String> {
    live_members(group)
        .into_iter()
        .map(|pid| {
            let command = read_trimmed(&format!("/proc/{pid}/cmdline")).replace('\0', " ");
            format!("pid {pid}: {}", command.trim())
        })
        .collect()
}

/// One line per thread of every process in the group: its name, and what it was doing.
fn describe_group(group: u32) -> Vec<String> {
    let mut lines = Vec::new();
    for pid in live_members(group) {
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
            let state = stat_fields(&format!("{task}/stat")).map_or('?', |(state, _)| state);
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
