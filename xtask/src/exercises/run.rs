//! Runs a learner's test program so that nothing it does can escape or swamp verify: a timeout,
//! a memory limit, bounded captured output, and, when it ends, every process it started killed —
//! even one that left its process group or was orphaned by a double fork.
//!
//! Finding every process: each run puts a unique marker in the environment, which every
//! descendant inherits, so the processes of one run are found wherever they are, and told apart
//! from another run's; while the program runs, its descendants are found by their parents too.
//! The process list and each process's environment come from `sysinfo`, on every system. What
//! else holds a run depends on the system ([`Containment`]): on Linux and macOS a process group
//! of its own, and on Linux also a child subreaper and a memory limit the kernel enforces; on
//! Windows a Job Object, which takes in every descendant and kills them all when it is closed.
//! Where the system enforces no memory limit, verify watches each process's memory itself.

#[cfg(unix)]
mod unix;
#[cfg(unix)]
use unix as system;
#[cfg(windows)]
mod windows;
#[cfg(windows)]
use windows as system;

#[cfg(test)]
mod tests;

use std::collections::{HashMap, HashSet};
use std::fmt::Write as _;
use std::io::Read;
use std::process::{Child, Command, ExitStatus, Stdio};
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::{Mutex, Once, PoisonError, mpsc};
use std::thread;
use std::time::{Duration, Instant};

use sysinfo::{ProcessRefreshKind, ProcessStatus, ProcessesToUpdate, System, UpdateKind};
use wait_timeout::ChildExt as _;

pub use system::describe_status;

/// The most memory each process of the learner's program may use. Generous for loom, a test
/// server and its threads; an unbounded `Vec` reaches it in a second.
pub const MEMORY_LIMIT_MIB: u64 = 1024;
/// How much of each output stream (stdout, stderr) is kept from its start, and from its end.
pub const OUTPUT_KEPT_EACH_END: usize = 64 * 1024;
/// The variable that marks every process of one run.
const MARKER_VARIABLE: &str = "COURSE_VERIFY_RUN";
/// Set (to anything) on Linux, it makes verify hold a run with only what macOS offers, so that
/// the macOS way is tested where CI runs.
pub const AS_ON_MACOS_VARIABLE: &str = "COURSE_VERIFY_AS_ON_MACOS";

/// How verify holds a learner's run: what the system offers.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Containment {
    /// Linux: a process group; verify is a child subreaper, so that orphans come back to it; the
    /// kernel caps each process's memory (`RLIMIT_DATA`); a timed-out run shows what each thread
    /// was waiting in (`/proc`).
    Linux,
    /// macOS, or Linux with [`AS_ON_MACOS_VARIABLE`]: a process group and the marker, nothing
    /// more. macOS does not enforce memory limits, so verify watches each process's memory
    /// while the run goes on and stops the run when one goes over the limit.
    ProcessGroup,
    /// Windows: a Job Object, which takes in every descendant and kills them all when it is
    /// closed, even if verify itself is killed. Memory is watched, as on macOS.
    JobObject,
}

impl Containment {
    pub fn of_this_system() -> Self {
        if cfg!(windows) {
            Self::JobObject
        } else if cfg!(target_os = "linux") && std::env::var_os(AS_ON_MACOS_VARIABLE).is_none() {
            Self::Linux
        } else {
            Self::ProcessGroup
        }
    }

    /// What verify does not do here that it does on Linux, for the learner to read before the
    /// first check.
    pub fn what_is_missing(self) -> Option<String> {
        let system = match self {
            Self::Linux => return None,
            Self::ProcessGroup if cfg!(target_os = "linux") => {
                format!("as on macOS ({AS_ON_MACOS_VARIABLE} is set)")
            }
            Self::ProcessGroup | Self::JobObject => format!("on {}", std::env::consts::OS),
        };
        Some(format!(
            "note: {system}, memory is not capped: verify watches it instead, and stops a run \
             when one of its processes holds more than {MEMORY_LIMIT_MIB} MiB. What each thread \
             of a stopped run was doing is shown on Linux only."
        ))
    }

    /// Whether verify must watch memory itself, the system enforcing no limit.
    fn watches_memory(self) -> bool {
        self != Self::Linux
    }
}

/// What one run did.
#[derive(Debug)]
pub struct Run {
    /// `None` when the run timed out and was killed.
    pub status: Option<ExitStatus>,
    pub stdout: String,
    pub stderr: String,
    /// Bytes of output dropped from the middle of stdout and stderr together.
    pub output_cut: u64,
    /// On timeout: one line per thread (or process) of the run, taken before the kill.
    pub stuck: Vec<String>,
    /// Processes of the run still running after the test program exited (then killed).
    pub left_running: Vec<String>,
    /// verify stopped the run because a process of it used more than [`MEMORY_LIMIT_MIB`], where
    /// the system does not enforce the limit itself.
    pub over_memory: bool,
}

/// How long the output readers may take to finish once every process of the run is dead. They
/// are dead by then, so the pipes are closed; this only guards against a process verify could
/// not find (an orphan that emptied its environment before its parent was reaped).
const DRAIN: Duration = Duration::from_secs(2);
/// How often verify looks at the run's memory where it watches it.
const MEMORY_LOOK_EVERY: Duration = Duration::from_millis(50);

/// One run in progress: its test program's pid, its marker, and what holds it.
#[derive(Debug, Clone)]
struct Running {
    pid: u32,
    marker: String,
    how: Containment,
    held: system::Held,
}

/// The runs in progress. On Linux and macOS the learner's program is in a process group of its
/// own, so a Ctrl-C in the terminal does not reach it: when verify is interrupted, it kills their
/// processes itself before it exits, so that a deadlocked program does not run on unseen. (On
/// Windows the Job Object does this: closed when verify ends, it kills every process in it.)
static RUNNING: Mutex<Vec<Running>> = Mutex::new(Vec::new());
/// Set when verify was interrupted: the program's death is then no verdict to report.
static INTERRUPTED: AtomicBool = AtomicBool::new(false);

/// Called by the system's interrupt handler: kills every run, then ends verify.
#[cfg_attr(
    windows,
    allow(dead_code, reason = "the Job Object does this on Windows")
)]
fn interrupted(exit_code: i32) -> ! {
    INTERRUPTED.store(true, Ordering::SeqCst);
    let runs = RUNNING.lock().map(|r| r.clone()).unwrap_or_default();
    for run in runs {
        // A program that has just been reaped is no longer in the list.
        kill_run(&run, false);
    }
    std::process::exit(exit_code);
}

/// Runs `command` held in the way of this system (see [`Containment`]) and waits at most
/// `timeout`. When this returns, no process of the run is alive.
pub fn run_in_process_group(command: Command, timeout: Duration) -> std::io::Result<Run> {
    run_contained(command, timeout, Containment::of_this_system())
}

/// [`run_in_process_group`], held in the way `how` says.
pub fn run_contained(
    mut command: Command,
    timeout: Duration,
    how: Containment,
) -> std::io::Result<Run> {
    static RUNS: AtomicU64 = AtomicU64::new(0);
    static PREPARE: Once = Once::new();
    PREPARE.call_once(system::prepare);
    if how == Containment::Linux {
        system::become_subreaper();
    }
    let marker = format!(
        "{}-{}",
        std::process::id(),
        RUNS.fetch_add(1, Ordering::Relaxed)
    );
    command
        .env(MARKER_VARIABLE, &marker)
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped());
    system::configure(&mut command);
    let started = Instant::now();
    // Hold the registry while spawning, so that an interrupt cannot slip in between.
    let mut running = RUNNING.lock().unwrap_or_else(PoisonError::into_inner);
    let mut child = command.spawn()?;
    // Just after the start; every process the program starts inherits what holds it. (Doing it
    // between fork and exec would need `unsafe`, which the workspace forbids. This runs
    // microseconds after the spawn; a test program takes milliseconds to reach a test.)
    let held = system::hold(&child, how);
    let run = Running {
        pid: child.id(),
        marker,
        how,
        held,
    };
    running.push(run.clone());
    drop(running);
    let stdout = read_in_background(child.stdout.take());
    let stderr = read_in_background(child.stderr.take());

    let deadline = started + timeout;
    let (status, over_memory) = if how.watches_memory() {
        wait_watching_memory(&mut child, &run, deadline)?
    } else {
        (
            child.wait_timeout(deadline.saturating_duration_since(Instant::now()))?,
            false,
        )
    };
    while INTERRUPTED.load(Ordering::SeqCst) {
        // The interrupt handler is killing the runs and will end the process.
        thread::sleep(Duration::from_millis(100));
    }
    let reaped = status.is_some();
    let stuck = if reaped || over_memory {
        Vec::new()
    } else {
        system::describe_threads(&members(&run, reaped), how)
    };
    // Whatever of the run is still alive now was started by the test and not waited for: every
    // process the kill finds, in any of its rounds (one in the middle of an exec can be missed by
    // a single look).
    let killed = kill_run(&run, reaped);
    let left_running = if reaped { killed } else { Vec::new() };
    let status = match status {
        None if over_memory => Some(child.wait()?),
        None => {
            child.wait()?;
            None
        }
        some => some,
    };
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
        over_memory,
    })
}

/// Waits for the test program until `deadline`, looking at the memory of every process of the
/// run every [`MEMORY_LOOK_EVERY`]. Returns the status (`None` if it has not ended) and whether a
/// process went over the limit, in which case the program has not been waited for.
fn wait_watching_memory(
    child: &mut Child,
    run: &Running,
    deadline: Instant,
) -> std::io::Result<(Option<ExitStatus>, bool)> {
    let limit = MEMORY_LIMIT_MIB * 1024 * 1024;
    loop {
        let left = deadline.saturating_duration_since(Instant::now());
        if let Some(status) = child.wait_timeout(left.min(MEMORY_LOOK_EVERY))? {
            return Ok((Some(status), false));
        }
        let processes = processes(
            ProcessRefreshKind::nothing()
                .with_memory()
                .with_environ(UpdateKind::Always),
        );
        let over = members_of(&processes, run, false)
            .iter()
            .any(|pid| processes.get(pid).is_some_and(|p| p.memory > limit));
        if over {
            return Ok((None, true));
        }
        if left.is_zero() {
            return Ok((None, false));
        }
    }
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

/// Kills every process of the run, and keeps at it until none is left (a process may be starting
/// another while it is killed), then lets the system reap the orphans that came back to verify.
/// Zombies count as gone: they no longer run.
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
        // Described before the kill: afterwards its command line is gone.
        killed.extend(describe_processes(&new));
        system::kill(&alive);
        seen.extend(alive);
        thread::sleep(Duration::from_millis(5));
    }
    // The test program itself is waited for by its `Child`; the orphans are verify's to reap.
    seen.remove(&run.pid);
    system::reap(&seen, run.how);
    killed
}

/// What verify knows of one process.
#[derive(Debug)]
struct Process {
    parent: Option<u32>,
    living: bool,
    /// Whether the process carries the marker in its environment (when asked for).
    environ: Vec<std::ffi::OsString>,
    /// Resident memory, in bytes (when asked for).
    memory: u64,
}

/// Every process of the system, with what `kind` asks for besides its parent and state.
fn processes(kind: ProcessRefreshKind) -> HashMap<u32, Process> {
    let mut system = System::new();
    system.refresh_processes_specifics(ProcessesToUpdate::All, true, kind);
    system
        .processes()
        .iter()
        // On Linux a thread can be listed as a task of its process; only processes count here.
        .filter(|(_, p)| p.thread_kind().is_none())
        .map(|(pid, p)| {
            let process = Process {
                parent: p.parent().map(sysinfo::Pid::as_u32),
                living: !matches!(p.status(), ProcessStatus::Zombie | ProcessStatus::Dead),
                environ: p.environ().to_vec(),
                memory: p.memory(),
            };
            (pid.as_u32(), process)
        })
        .collect()
}

/// The living processes of a run; see [`members_of`].
fn members(run: &Running, program_reaped: bool) -> Vec<u32> {
    let kind = ProcessRefreshKind::nothing().with_environ(UpdateKind::Always);
    members_of(&processes(kind), run, program_reaped)
}

/// The living processes of a run, among `processes`: every process that carries the run's marker,
/// wherever it is now (an orphan may be re-parented to verify, or to init or launchd); every
/// process that what holds the run still holds (its process group, whose id is the test
/// program's: a process that is finishing its `exec` has no environment to read yet; or its Job
/// Object); and while the test program has not been reaped, the program and all its descendants
/// (which catches one that emptied its environment). Once reaped, its pid may be another
/// process's.
fn members_of(processes: &HashMap<u32, Process>, run: &Running, program_reaped: bool) -> Vec<u32> {
    let mut children: HashMap<u32, Vec<u32>> = HashMap::new();
    for (&pid, process) in processes {
        if let Some(parent) = process.parent {
            children.entry(parent).or_default().push(pid);
        }
    }
    let mut of_the_program = HashSet::new();
    if !program_reaped {
        let mut next = vec![run.pid];
        while let Some(pid) = next.pop() {
            if of_the_program.insert(pid) {
                next.extend(children.get(&pid).map_or(&[][..], Vec::as_slice));
            }
        }
    }
    let marker = format!("{MARKER_VARIABLE}={}", run.marker);
    let living: Vec<u32> = processes
        .iter()
        .filter(|(_, p)| p.living)
        .map(|(&pid, _)| pid)
        .collect();
    let held = system::still_held(&run.held, run.pid, &living);
    let mut members: Vec<u32> = living
        .into_iter()
        .filter(|pid| {
            of_the_program.contains(pid)
                || held.contains(pid)
                || processes[pid].environ.iter().any(|v| *v == *marker)
        })
        .collect();
    members.sort_unstable();
    members
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
    let pid = sysinfo::Pid::from_u32(pid);
    let mut system = System::new();
    let mut name = String::new();
    for _ in 0..100 {
        system.refresh_processes_specifics(
            ProcessesToUpdate::Some(&[pid]),
            true,
            ProcessRefreshKind::nothing().with_cmd(UpdateKind::Always),
        );
        let Some(process) = system.process(pid) else {
            break;
        };
        let command: Vec<String> = process
            .cmd()
            .iter()
            .map(|part| part.to_string_lossy().into_owned())
            .collect();
        let command = command.join(" ");
        if !command.trim().is_empty() {
            return command.trim().to_string();
        }
        name = process.name().to_string_lossy().into_owned();
        thread::sleep(Duration::from_millis(2));
    }
    format!("({name}, starting)")
}

/// One line per process, for systems where verify cannot see what each thread does.
fn describe_processes_only(pids: &[u32]) -> Vec<String> {
    let mut system = System::new();
    let wanted: Vec<sysinfo::Pid> = pids.iter().map(|&p| sysinfo::Pid::from_u32(p)).collect();
    system.refresh_processes_specifics(
        ProcessesToUpdate::Some(&wanted),
        true,
        ProcessRefreshKind::nothing(),
    );
    let mut lines: Vec<String> = wanted
        .iter()
        .map(|pid| {
            let name = system
                .process(*pid)
                .map(|p| p.name().to_string_lossy().into_owned())
                .unwrap_or_default();
            format!("process {pid} ({name})")
        })
        .collect();
    lines.push(
        "(what each thread was doing is shown on Linux only; on this system verify sees the \
         processes, not their threads)"
            .to_string(),
    );
    lines
}
