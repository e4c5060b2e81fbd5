//! Linux and macOS: the run is a process group of its own, so that a Ctrl-C in the terminal
//! reaches verify only, which kills the run before it exits. On Linux, verify is also a child
//! subreaper (`PR_SET_CHILD_SUBREAPER`), so that an orphan is re-parented to verify rather than to
//! init and verify can reap it once it is killed, and the kernel caps each process's memory
//! (`RLIMIT_DATA`), which macOS does not enforce.

use std::collections::HashSet;
use std::fs;
use std::os::unix::process::{CommandExt as _, ExitStatusExt as _};
use std::process::{Child, Command, ExitStatus};
use std::thread;
use std::time::Duration;

use rustix::process::{Pid, Signal, WaitOptions};
use signal_hook::consts::{SIGHUP, SIGINT, SIGTERM};

use super::Containment;
#[cfg(target_os = "linux")]
use super::MEMORY_LIMIT_MIB;

/// What holds a run here: its process group, whose id is the test program's pid.
#[derive(Debug, Clone)]
pub struct Held;

/// On Ctrl-C (or a hang-up, or a polite kill), kill every run before exiting.
pub fn prepare() {
    let Ok(mut signals) = signal_hook::iterator::Signals::new([SIGINT, SIGTERM, SIGHUP]) else {
        return;
    };
    thread::spawn(move || {
        if let Some(signal) = signals.forever().next() {
            super::interrupted(128 + signal);
        }
    });
}

/// Linux only: orphans of the run come back to verify. Unprivileged; without it (an old
/// kernel) orphans go to init and the marker still finds them.
pub fn become_subreaper() {
    #[cfg(target_os = "linux")]
    {
        let _ = rustix::process::set_child_subreaper(Some(rustix::process::getpid()));
    }
}

pub fn configure(command: &mut Command) {
    command.process_group(0);
}

/// On Linux, caps the memory of the test program; every process it starts inherits the limit.
/// (macOS accepts `RLIMIT_DATA` but does not enforce it: there verify watches memory itself.)
pub fn hold(child: &Child, how: Containment) -> Held {
    if how == Containment::Linux {
        limit_memory(child.id());
    }
    Held
}

#[cfg(target_os = "linux")]
fn limit_memory(pid: u32) {
    let bytes = MEMORY_LIMIT_MIB * 1024 * 1024;
    if let Some(pid) = Pid::from_raw(pid.cast_signed()) {
        let _ = rustix::process::prlimit(
            Some(pid),
            rustix::process::Resource::Data,
            rustix::process::Rlimit {
                current: Some(bytes),
                maximum: Some(bytes),
            },
        );
    }
}

/// Never called: [`Containment::Linux`] is Linux's alone.
#[cfg(not(target_os = "linux"))]
fn limit_memory(_pid: u32) {}

/// Those of `living` still in the run's process group. The kernel lets no new process take the
/// group's id while the group has a member.
pub fn still_held(_held: &Held, program: u32, living: &[u32]) -> HashSet<u32> {
    living
        .iter()
        .copied()
        .filter(|&pid| process_group(pid) == Some(program))
        .collect()
}

/// Linux: from `/proc` (`getpgid` answers 0 for a process whose group was made outside the
/// container verify runs in, and rustix takes 0 for a bug).
#[cfg(target_os = "linux")]
fn process_group(pid: u32) -> Option<u32> {
    let stat = fs::read_to_string(format!("/proc/{pid}/stat")).ok()?;
    // The command name is in parentheses and may contain spaces: split after the last ')'.
    stat[stat.rfind(')')? + 2..].split(' ').nth(2)?.parse().ok()
}

#[cfg(not(target_os = "linux"))]
fn process_group(pid: u32) -> Option<u32> {
    let group = rustix::process::getpgid(Some(Pid::from_raw(pid.cast_signed())?)).ok()?;
    Some(group.as_raw_nonzero().get().cast_unsigned())
}

pub fn kill(pids: &[u32]) {
    for &pid in pids {
        if let Some(pid) = Pid::from_raw(pid.cast_signed()) {
            let _ = rustix::process::kill_process(pid, Signal::KILL);
        }
    }
}

/// Linux: reaps the killed orphans that were re-parented to verify. A killed process can drop out
/// of the search (its environment is gone once it starts to exit) a moment before it stops
/// running: wait, briefly, until each one has. Elsewhere orphans went to launchd, which reaps
/// them.
pub fn reap(pids: &HashSet<u32>, how: Containment) {
    if how != Containment::Linux {
        return;
    }
    for _ in 0..200 {
        let running = pids.iter().any(|pid| {
            stat_fields(&format!("/proc/{pid}/stat"))
                .is_some_and(|state| state != 'Z' && state != 'X')
        });
        if !running {
            break;
        }
        thread::sleep(Duration::from_millis(5));
    }
    for &pid in pids {
        if let Some(pid) = Pid::from_raw(pid.cast_signed()) {
            let _ = rustix::process::waitpid(Some(pid), WaitOptions::NOHANG);
        }
    }
}

/// The state letter from a `/proc/.../stat` file (Linux).
fn stat_fields(path: &str) -> Option<char> {
    let stat = fs::read_to_string(path).ok()?;
    // The command name is in parentheses and may contain spaces: split after the last ')'.
    stat[stat.rfind(')')? + 2..].chars().next()
}

fn read_trimmed(path: &str) -> String {
    fs::read_to_string(path)
        .map(|text| text.trim().to_string())
        .unwrap_or_default()
}

/// One line per thread of every process (Linux, from `/proc`): its name, and what it was doing.
/// Elsewhere, one line per process.
pub fn describe_threads(pids: &[u32], how: Containment) -> Vec<String> {
    if how != Containment::Linux {
        return super::describe_processes_only(pids);
    }
    let mut lines = Vec::new();
    for &pid in pids {
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
            let state = stat_fields(&format!("{task}/stat")).unwrap_or('?');
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
