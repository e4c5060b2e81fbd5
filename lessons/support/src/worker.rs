//! Process plumbing for the lesson on multiple processes, kept out of its `main.rs` so the listing
//! reads like Python's `multiprocessing`: start, send work, collect, wait.
//!
//! - [`worker_command`] re-runs the current executable under a hidden subcommand, the way Python's
//!   *spawn* start method re-imports the main module in the child.
//! - [`ChildProcess`] wraps a `std::process::Child` that is killed and reaped when dropped, and whose
//!   every wait has a timeout, so no worker outlives its parent and nothing waits forever.
//! - [`WorkerPool`] starts several workers that read one job per line on stdin and answer one line
//!   on stdout, and merges their answers (and their deaths) into one stream of [`PoolEvent`]s.
//!
//! A worker must exit when its stdin reaches end of file: that is how it learns that the parent has
//! finished, and also that the parent has died (the kernel closes the parent's end of the pipe even
//! when it is killed with `SIGKILL`, when no destructor runs).

use std::env;
use std::io::{self, BufRead, BufReader, Read, Write};
use std::process::{Child, ChildStdin, Command, ExitStatus, Stdio};
use std::sync::mpsc::{self, Receiver, RecvTimeoutError, Sender};
use std::thread::{self, JoinHandle};
use std::time::{Duration, Instant};

/// The hidden subcommand under which a lesson binary runs as its own worker.
pub const WORKER_SUBCOMMAND: &str = "worker";

/// How much of a worker's standard error is kept; the rest is read and dropped.
const STDERR_LIMIT: usize = 64 * 1024;

/// A command that runs this same program again, as a worker with `role`:
/// `<current exe> worker <role>`. Its standard streams are inherited unless the caller changes them.
pub fn worker_command(role: &str) -> Command {
    // `current_exe` can only fail if /proc is missing or the binary was deleted while running.
    let exe = env::current_exe().expect("the path of the running program");
    let mut command = Command::new(exe);
    command.arg(WORKER_SUBCOMMAND).arg(role);
    command
}

/// A child process that is killed (and reaped) when dropped, unless it has been waited for.
#[derive(Debug)]
pub struct ChildProcess {
    child: Child,
    stdin: Option<ChildStdin>,
    stderr: Option<JoinHandle<String>>,
    status: Option<ExitStatus>,
}

impl ChildProcess {
    /// Starts `command`. If its stderr is piped, a thread collects it for [`Self::stderr_text`].
    pub fn spawn(mut command: Command) -> io::Result<Self> {
        let mut child = command.spawn()?;
        let stdin = child.stdin.take();
        let stderr = child.stderr.take().map(|mut pipe| {
            thread::spawn(move || {
                let mut kept = Vec::new();
                let _ = pipe
                    .by_ref()
                    .take(STDERR_LIMIT as u64)
                    .read_to_end(&mut kept);
                let _ = io::copy(&mut pipe, &mut io::sink());
                String::from_utf8_lossy(&kept).into_owned()
            })
        });
        Ok(Self {
            child,
            stdin,
            stderr,
            status: None,
        })
    }

    /// The operating system's id of the child process.
    pub fn id(&self) -> u32 {
        self.child.id()
    }

    /// Writes one line to the child's stdin (which must be piped).
    pub fn send_line(&mut self, line: &str) -> io::Result<()> {
        let stdin = self
            .stdin
            .as_mut()
            .ok_or_else(|| io::Error::other("the child's stdin is not piped, or already closed"))?;
        writeln!(stdin, "{line}")?;
        stdin.flush()
    }

    /// Closes the child's stdin: the child reads end of file.
    pub fn close_stdin(&mut self) {
        self.stdin = None;
    }

    /// The child's stdout, if it is piped and not yet taken.
    pub fn take_stdout(&mut self) -> Option<std::process::ChildStdout> {
        self.child.stdout.take()
    }

    /// Waits for the child to exit, for at most `timeout`. On timeout the child is killed and
    /// reaped, and the error is `io::ErrorKind::TimedOut`.
    pub fn wait_timeout(&mut self, timeout: Duration) -> io::Result<ExitStatus> {
        if let Some(status) = self.status {
            return Ok(status);
        }
        let deadline = Instant::now() + timeout;
        loop {
            if let Some(status) = self.child.try_wait()? {
                self.status = Some(status);
                return Ok(status);
            }
            if Instant::now() >= deadline {
                let _ = self.child.kill();
                let status = self.child.wait()?;
                self.status = Some(status);
                return Err(io::Error::new(
                    io::ErrorKind::TimedOut,
                    format!(
                        "child pid {} did not exit within {timeout:?}; it was killed",
                        self.id()
                    ),
                ));
            }
            thread::sleep(Duration::from_micros(200));
        }
    }

    /// Everything the child wrote to its (piped) stderr, up to 64 KiB. Call it after the child has
    /// exited; otherwise it waits for the child to close its stderr.
    pub fn stderr_text(&mut self) -> String {
        self.stderr
            .take()
            .and_then(|reader| reader.join().ok())
            .unwrap_or_default()
    }
}

impl Drop for ChildProcess {
    fn drop(&mut self) {
        self.stdin = None;
        if self.status.is_none() {
            // Not waited for: the parent gave up on it (an error, a timeout, a panic). Kill it, and
            // reap it so that it does not linger as a zombie.
            let _ = self.child.kill();
            let _ = self.child.wait();
        }
    }
}

/// What a [`WorkerPool`] reports: an answer, or the death of a worker.
#[derive(Debug)]
pub enum PoolEvent {
    /// Worker number `worker` (0-based) wrote the line `line` (without its newline).
    Answer { worker: usize, line: String },
    /// Worker `worker` closed its stdout and exited with `status`; `stderr` is what it wrote there.
    Exited {
        worker: usize,
        status: ExitStatus,
        stderr: String,
    },
}

/// How long the pool waits for a worker to exit once its stdout has closed, or once its stdin has
/// been closed at the end.
const EXIT_TIMEOUT: Duration = Duration::from_secs(10);

/// Worker processes that each read one job per line on stdin and answer one line per job on stdout.
#[derive(Debug)]
pub struct WorkerPool {
    workers: Vec<ChildProcess>,
    lines: Receiver<(usize, Option<String>)>,
}

impl WorkerPool {
    /// Starts `count` copies of this program as workers with `role`, their stdin, stdout and stderr
    /// piped to this process.
    pub fn start(count: usize, role: &str) -> io::Result<Self> {
        Self::from_commands((0..count).map(|_| worker_command(role)))
    }

    /// Starts one worker per command, each with stdin, stdout and stderr piped to this process.
    pub fn from_commands(commands: impl IntoIterator<Item = Command>) -> io::Result<Self> {
        let (sender, lines) = mpsc::channel();
        let mut workers = Vec::new();
        for (worker, mut command) in commands.into_iter().enumerate() {
            command
                .stdin(Stdio::piped())
                .stdout(Stdio::piped())
                .stderr(Stdio::piped());
            let mut process = ChildProcess::spawn(command)?;
            let stdout = process.take_stdout().expect("stdout is piped");
            forward_lines(worker, stdout, sender.clone());
            workers.push(process);
        }
        Ok(Self { workers, lines })
    }

    /// The process ids of the workers, in worker order.
    pub fn pids(&self) -> Vec<u32> {
        self.workers.iter().map(ChildProcess::id).collect()
    }

    /// Sends one job line to worker `worker`.
    pub fn send(&mut self, worker: usize, line: &str) -> io::Result<()> {
        self.workers[worker].send_line(line)
    }

    /// The next answer or death, whichever worker it comes from; waits at most `timeout` for it.
    pub fn next_event(&mut self, timeout: Duration) -> io::Result<PoolEvent> {
        match self.lines.recv_timeout(timeout) {
            Ok((worker, Some(line))) => Ok(PoolEvent::Answer { worker, line }),
            Ok((worker, None)) => {
                let process = &mut self.workers[worker];
                let status = process.wait_timeout(EXIT_TIMEOUT)?;
                let stderr = process.stderr_text();
                Ok(PoolEvent::Exited {
                    worker,
                    status,
                    stderr,
                })
            }
            Err(RecvTimeoutError::Timeout) => Err(io::Error::new(
                io::ErrorKind::TimedOut,
                format!("no worker answered within {timeout:?}"),
            )),
            Err(RecvTimeoutError::Disconnected) => {
                Err(io::Error::other("every worker has closed its stdout"))
            }
        }
    }

    /// Closes every worker's stdin (end of file: no more jobs) and waits for each to exit, at most a
    /// few seconds each. Returns their exit statuses in worker order.
    pub fn finish(mut self) -> io::Result<Vec<ExitStatus>> {
        for worker in &mut self.workers {
            worker.close_stdin();
        }
        self.workers
            .iter_mut()
            .map(|worker| worker.wait_timeout(EXIT_TIMEOUT))
            .collect()
    }
}

/// Reads `stdout` line by line on a thread of its own and sends `(worker, Some(line))` for each
/// line, then `(worker, None)` at end of file.
fn forward_lines(
    worker: usize,
    stdout: impl Read + Send + 'static,
    sender: Sender<(usize, Option<String>)>,
) {
    thread::spawn(move || {
        for line in BufReader::new(stdout).lines() {
            let Ok(line) = line else { break };
            if sender.send((worker, Some(line))).is_err() {
                return;
            }
        }
        let _ = sender.send((worker, None));
    });
}

/// The message of a Rust panic, found in the standard error of a program that panicked:
/// the line after `thread '…' panicked at <file>:<line>:<column>:`.
///
/// ```
/// use course_support::worker::panic_message;
/// let stderr = "\nthread 'main' panicked at src/main.rs:3:5:\nout of cheese\nnote: run with …\n";
/// assert_eq!(panic_message(stderr), Some("out of cheese"));
/// // Newer Rust releases print the thread's id too.
/// let stderr = "thread 'main' (4242) panicked at src/main.rs:3:5:\nout of cheese\n";
/// assert_eq!(panic_message(stderr), Some("out of cheese"));
/// assert_eq!(panic_message("Segmentation fault"), None);
/// ```
pub fn panic_message(stderr: &str) -> Option<&str> {
    let mut lines = stderr.lines();
    lines.find(|line| line.starts_with("thread '") && line.contains(" panicked at "))?;
    lines.next()
}

#[cfg(test)]
mod tests {
    // Every test here starts `sh` or `sleep`, which a Unix system has and Windows has not.
    use super::*;

    #[test]
    #[cfg_attr(not(unix), ignore = "runs sh or sleep, which Windows does not have")]
    fn a_dropped_child_is_killed_and_reaped() {
        let mut command = Command::new("sleep");
        command.arg("30");
        let child = ChildProcess::spawn(command).unwrap();
        let pid = child.id();
        let started = Instant::now();
        drop(child);
        assert!(started.elapsed() < Duration::from_secs(5));
        if cfg!(target_os = "linux") {
            assert!(
                !std::path::Path::new(&format!("/proc/{pid}")).exists(),
                "pid {pid} is still there after drop"
            );
        }
    }

    #[test]
    #[cfg_attr(not(unix), ignore = "runs sh or sleep, which Windows does not have")]
    fn a_wait_that_times_out_kills_the_child() {
        let mut command = Command::new("sleep");
        command.arg("30");
        let mut child = ChildProcess::spawn(command).unwrap();
        let error = child.wait_timeout(Duration::from_millis(50)).unwrap_err();
        assert_eq!(error.kind(), io::ErrorKind::TimedOut);
    }

    fn shell(script: &str) -> Command {
        let mut command = Command::new("sh");
        command.args(["-c", script]);
        command
    }

    fn gone(pid: u32) -> bool {
        !cfg!(target_os = "linux") || !std::path::Path::new(&format!("/proc/{pid}")).exists()
    }

    #[test]
    #[cfg_attr(not(unix), ignore = "runs sh or sleep, which Windows does not have")]
    fn a_pool_answers_and_its_workers_exit_at_end_of_file() {
        let echo = "while read line; do echo \"got $line\"; done";
        let mut pool = WorkerPool::from_commands([shell(echo), shell(echo)]).unwrap();
        pool.send(1, "b").unwrap();
        let PoolEvent::Answer { worker, line } = pool.next_event(Duration::from_secs(10)).unwrap()
        else {
            panic!("expected an answer")
        };
        assert_eq!((worker, line.as_str()), (1, "got b"));
        let pids = pool.pids();
        let statuses = pool.finish().unwrap();
        assert!(statuses.iter().all(ExitStatus::success));
        assert!(pids.into_iter().all(gone));
    }

    #[test]
    #[cfg_attr(not(unix), ignore = "runs sh or sleep, which Windows does not have")]
    fn a_dead_worker_is_reported_with_its_status_and_stderr() {
        let mut pool =
            WorkerPool::from_commands([shell("read line; echo dying >&2; exit 7")]).unwrap();
        pool.send(0, "job").unwrap();
        match pool.next_event(Duration::from_secs(10)).unwrap() {
            PoolEvent::Exited {
                worker,
                status,
                stderr,
            } => {
                assert_eq!(
                    (worker, status.code(), stderr.as_str()),
                    (0, Some(7), "dying\n")
                );
            }
            other @ PoolEvent::Answer { .. } => panic!("expected an exit, got {other:?}"),
        }
    }

    #[test]
    #[cfg_attr(not(unix), ignore = "runs sh or sleep, which Windows does not have")]
    fn a_hung_worker_times_out_and_is_killed_when_the_pool_is_dropped() {
        let mut pool = WorkerPool::from_commands([shell("read line; exec sleep 30")]).unwrap();
        let pid = pool.pids()[0];
        pool.send(0, "job").unwrap();
        let error = pool.next_event(Duration::from_millis(100)).unwrap_err();
        assert_eq!(error.kind(), io::ErrorKind::TimedOut);
        let started = Instant::now();
        drop(pool);
        assert!(started.elapsed() < Duration::from_secs(5));
        assert!(gone(pid), "the hung worker pid {pid} outlived its pool");
    }

    #[test]
    #[cfg_attr(not(unix), ignore = "runs sh or sleep, which Windows does not have")]
    fn stderr_is_collected() {
        let mut command = Command::new("sh");
        command
            .args(["-c", "echo oops >&2; exit 3"])
            .stderr(Stdio::piped());
        let mut child = ChildProcess::spawn(command).unwrap();
        let status = child.wait_timeout(Duration::from_secs(10)).unwrap();
        assert_eq!(status.code(), Some(3));
        assert_eq!(child.stderr_text(), "oops\n");
    }
}
