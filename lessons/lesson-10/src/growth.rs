//! The growth curve's plumbing: the child processes that serve and that measure, and the
//! figures they send back. Every measurement runs in a fresh process, so that its peak memory is
//! its own, and the server runs in another, so that 10 000 client sockets and 10 000 server
//! sockets do not have to fit under one process's limit of open files.

use std::io::{self, BufRead, BufReader, Read};
use std::net::SocketAddr;
use std::process::Stdio;
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::thread;
use std::time::{Duration, Instant};

use course_support::worker::{ChildProcess, worker_command};

use crate::cli::Strategy;
use crate::http;
use course_progress::Spinner;

/// The fixed pool's size: what a program that caps its threads might choose.
pub const POOL_THREADS: usize = 100;

/// What one measurement cost.
#[derive(Debug, Clone, Copy)]
pub struct Cost {
    /// From the first spawn to the last.
    pub start: Duration,
    /// From the first spawn until every download has finished.
    pub wall: Duration,
    /// The process's peak resident memory in KiB (`VmHWM`), where the system reports it.
    pub peak_kib: Option<u64>,
    pub failures: usize,
}

/// Raises this process's limit of open files to the most it may have, and returns that limit.
#[cfg(unix)]
pub fn raise_open_files_limit() -> Option<u64> {
    use rustix::process::{Resource, Rlimit, getrlimit, setrlimit};
    let limit = getrlimit(Resource::Nofile);
    let _ = setrlimit(
        Resource::Nofile,
        Rlimit {
            current: limit.maximum,
            maximum: limit.maximum,
        },
    );
    getrlimit(Resource::Nofile).current
}

/// Windows has no limit of open files for a process to raise: a socket is a handle, and a
/// process may hold millions of them. Nothing to do, and no limit to tell.
#[cfg(not(unix))]
pub fn raise_open_files_limit() -> Option<u64> {
    None
}

/// The child process that serves: `lesson-10 worker serve`, on tokio's runtime.
pub fn serve(latency: Duration) -> io::Result<()> {
    raise_open_files_limit();
    let runtime = tokio::runtime::Runtime::new()?;
    let (address, serving) = runtime.block_on(async { http::bind(latency) })?;
    println!("{address}");
    runtime.spawn(serving);
    // Serve until the parent closes our stdin (it has finished, or died).
    io::copy(&mut io::stdin(), &mut io::sink())?;
    Ok(())
}

/// Starts the server as a child process and returns it with its address.
pub fn start_server(latency: Duration) -> io::Result<(ChildProcess, SocketAddr)> {
    let mut command = worker_command("serve");
    command
        .arg("--latency-ms")
        .arg(latency.as_millis().to_string());
    command.stdin(Stdio::piped()).stdout(Stdio::piped());
    let mut server = ChildProcess::spawn(command)?;
    let stdout = server.take_stdout().expect("stdout is piped");
    let mut line = String::new();
    BufReader::new(stdout).read_line(&mut line)?;
    let address = line.trim().parse().map_err(|_| {
        io::Error::other(format!("the server did not say where it listens: {line:?}"))
    })?;
    Ok((server, address))
}

/// The child process that measures: `count` downloads of `/hello` with `strategy`, then one line
/// with the figures.
pub fn measure(strategy: Strategy, count: usize, server: SocketAddr) -> io::Result<()> {
    raise_open_files_limit();
    let peak = PeakMemory::watch();
    let (start, wall, failures) = match strategy {
        Strategy::Threads => one_thread_each(count, server),
        Strategy::Pool => on_a_pool(count, server),
        Strategy::Tasks => as_tasks(count, server)?,
    };
    let peak = peak.kib().map_or("-".to_string(), |kib| kib.to_string());
    println!(
        "{} {} {peak} {failures}",
        start.as_micros(),
        wall.as_micros()
    );
    Ok(())
}

/// Runs `lesson-10 worker measure …` and reads its line. `None` with the reason when it failed.
pub fn measure_in_child(
    strategy: Strategy,
    count: usize,
    server: SocketAddr,
    timeout: Duration,
) -> Result<Cost, String> {
    // On a terminal, a row that takes seconds shows that it is still running.
    let _spinner = Spinner::start(format!("{count:>6}  {:<21}", label(strategy)));
    let mut command = worker_command("measure");
    let strategy_name = match strategy {
        Strategy::Threads => "threads",
        Strategy::Pool => "pool",
        Strategy::Tasks => "tasks",
    };
    command
        .args([strategy_name, &count.to_string(), &server.to_string()])
        .stdout(Stdio::piped())
        .stderr(Stdio::piped());
    let mut child = ChildProcess::spawn(command).map_err(|error| error.to_string())?;
    let mut stdout = child.take_stdout().expect("stdout is piped");
    let reader = thread::spawn(move || {
        let mut text = String::new();
        let _ = stdout.read_to_string(&mut text);
        text
    });
    let status = child
        .wait_timeout(timeout)
        .map_err(|error| error.to_string())?;
    let text = reader.join().unwrap_or_default();
    if !status.success() {
        let stderr = child.stderr_text();
        let reason = stderr.lines().last().unwrap_or("no message").to_string();
        return Err(format!("failed ({status}): {reason}"));
    }
    parse_cost(&text).ok_or_else(|| format!("unexpected answer {text:?}"))
}

fn parse_cost(line: &str) -> Option<Cost> {
    let mut fields = line.split_whitespace();
    let start = Duration::from_micros(fields.next()?.parse().ok()?);
    let wall = Duration::from_micros(fields.next()?.parse().ok()?);
    let peak_kib = fields.next()?.parse().ok();
    let failures = fields.next()?.parse().ok()?;
    Some(Cost {
        start,
        wall,
        peak_kib,
        failures,
    })
}

/// ureq's client with a time limit on every step after the address is known. Not a global one:
/// with it, ureq looks the address up on a thread of its own that it never joins, and a process
/// that exits while such threads are still ending can crash inside libc (seen here, one run in a
/// few dozen, as SIGSEGV).
fn blocking_agent() -> ureq::Agent {
    let limit = Some(Duration::from_secs(60));
    ureq::Agent::config_builder()
        .timeout_connect(limit)
        .timeout_send_request(limit)
        .timeout_recv_response(limit)
        .timeout_recv_body(limit)
        .build()
        .into()
}

fn blocking_get(agent: &ureq::Agent, url: &str) -> bool {
    agent
        .get(url)
        .call()
        .and_then(|mut response| response.body_mut().read_to_vec())
        .is_ok()
}

/// (a) One OS thread per download, each blocking in its own request.
fn one_thread_each(count: usize, server: SocketAddr) -> (Duration, Duration, usize) {
    let url = format!("http://{server}/hello");
    let agent = blocking_agent();
    let started = Instant::now();
    let mut handles = Vec::with_capacity(count);
    let mut failures = 0;
    for _ in 0..count {
        let (agent, url) = (agent.clone(), url.clone());
        match thread::Builder::new().spawn(move || blocking_get(&agent, &url)) {
            Ok(handle) => handles.push(handle),
            Err(_) => failures += 1, // the system refused one more thread
        }
    }
    let start = started.elapsed();
    failures += handles
        .into_iter()
        .map(thread::JoinHandle::join)
        .filter(|downloaded| !matches!(downloaded, Ok(true)))
        .count();
    (start, started.elapsed(), failures)
}

/// (b) A fixed pool of [`POOL_THREADS`] threads; each takes the next download when it is free.
fn on_a_pool(count: usize, server: SocketAddr) -> (Duration, Duration, usize) {
    let url = format!("http://{server}/hello");
    let agent = blocking_agent();
    let next = Arc::new(AtomicUsize::new(0));
    let failures = Arc::new(AtomicUsize::new(0));
    let started = Instant::now();
    let handles: Vec<_> = (0..POOL_THREADS.min(count))
        .map(|_| {
            let (agent, url) = (agent.clone(), url.clone());
            let (next, failures) = (Arc::clone(&next), Arc::clone(&failures));
            thread::spawn(move || {
                while next.fetch_add(1, Ordering::Relaxed) < count {
                    if !blocking_get(&agent, &url) {
                        failures.fetch_add(1, Ordering::Relaxed);
                    }
                }
            })
        })
        .collect();
    let start = started.elapsed();
    for handle in handles {
        let _ = handle.join();
    }
    (start, started.elapsed(), failures.load(Ordering::Relaxed))
}

/// (c) One tokio task per download, on tokio's runtime (one worker thread per core).
fn as_tasks(count: usize, server: SocketAddr) -> io::Result<(Duration, Duration, usize)> {
    let runtime = tokio::runtime::Runtime::new()?;
    Ok(runtime.block_on(async move {
        let started = Instant::now();
        let tasks: Vec<_> = (0..count)
            .map(|_| tokio::spawn(http::get_all(server, "/hello".to_string())))
            .collect();
        let start = started.elapsed();
        let mut failures = 0;
        for task in tasks {
            if !matches!(task.await, Ok(Ok(_))) {
                failures += 1;
            }
        }
        (start, started.elapsed(), failures)
    }))
}

/// This process's peak resident memory. Linux's kernel keeps it (`VmHWM` in
/// `/proc/self/status`); macOS and Windows tell only the memory resident now, so there a thread
/// looks every 2 ms while the downloads run and keeps the largest figure (a peak shorter
/// than that can be missed).
struct PeakMemory {
    #[cfg(not(target_os = "linux"))]
    watcher: (Arc<std::sync::atomic::AtomicBool>, thread::JoinHandle<u64>),
}

impl PeakMemory {
    #[cfg(target_os = "linux")]
    fn watch() -> Self {
        Self {}
    }

    #[cfg(target_os = "linux")]
    #[allow(
        clippy::unused_self,
        reason = "the same call as where a thread watches"
    )]
    fn kib(self) -> Option<u64> {
        let status = std::fs::read_to_string("/proc/self/status").ok()?;
        let line = status.lines().find(|line| line.starts_with("VmHWM:"))?;
        line.split_whitespace().nth(1)?.parse().ok()
    }

    #[cfg(not(target_os = "linux"))]
    fn watch() -> Self {
        use std::sync::atomic::AtomicBool;
        use sysinfo::{ProcessRefreshKind, ProcessesToUpdate, System};
        let done = Arc::new(AtomicBool::new(false));
        let watching = Arc::clone(&done);
        let watcher = thread::spawn(move || {
            let me = sysinfo::Pid::from_u32(std::process::id());
            let mut system = System::new();
            let mut peak = 0;
            loop {
                let last_look = watching.load(Ordering::Acquire);
                system.refresh_processes_specifics(
                    ProcessesToUpdate::Some(&[me]),
                    false,
                    ProcessRefreshKind::nothing().with_memory(),
                );
                peak = peak.max(system.process(me).map_or(0, sysinfo::Process::memory));
                if last_look {
                    return peak;
                }
                thread::sleep(Duration::from_millis(2));
            }
        });
        Self {
            watcher: (done, watcher),
        }
    }

    #[cfg(not(target_os = "linux"))]
    fn kib(self) -> Option<u64> {
        let (done, thread) = self.watcher;
        done.store(true, Ordering::Release);
        let bytes = thread.join().ok()?;
        (bytes > 0).then_some(bytes / 1024)
    }
}

pub fn label(strategy: Strategy) -> &'static str {
    match strategy {
        Strategy::Threads => "one thread each",
        Strategy::Pool => "a pool of 100 threads",
        Strategy::Tasks => "tokio tasks",
    }
}

#[allow(
    clippy::cast_precision_loss,
    reason = "memory sizes far below 2^52 bytes"
)]
pub fn print_cost(count: usize, label: &str, cost: &Cost, latency: Duration) {
    let ratio = cost.wall.as_secs_f64() / latency.as_secs_f64();
    let memory = cost
        .peak_kib
        .map_or("not measured".to_string(), |kib| mib(kib as f64 * 1024.0));
    let failed = match cost.failures {
        0 => String::new(),
        n => format!(", {n} failed"),
    };
    let start = cost.start;
    println!(
        "{count:>6}  {label:<21} wall ×{ratio:.2} of the latency, \
         all started in {start:.1?}, peak memory {memory}{failed}"
    );
}

/// What each download adds to the peak memory, between the two largest counts measured.
#[allow(
    clippy::cast_precision_loss,
    reason = "memory sizes far below 2^52 bytes"
)]
pub fn print_memory_per_download(measured: &[(Strategy, usize, Cost)]) {
    let mut lines = Vec::new();
    for wanted in [Strategy::Threads, Strategy::Pool, Strategy::Tasks] {
        let mut peaks: Vec<(usize, u64)> = measured
            .iter()
            .filter(|(strategy, _, _)| *strategy == wanted)
            .filter_map(|(_, count, cost)| Some((*count, cost.peak_kib?)))
            .collect();
        let (Some((big, big_peak)), Some((small, small_peak))) = (peaks.pop(), peaks.pop()) else {
            continue;
        };
        let added = big_peak.saturating_sub(small_peak) as f64 * 1024.0 / (big - small) as f64;
        let label = label(wanted);
        lines.push(format!(
            "  {label:<21} {} (from {small} to {big} downloads)",
            kib(added)
        ));
    }
    if !lines.is_empty() {
        println!("Memory each further download adds:\n{}", lines.join("\n"));
    }
}

fn mib(bytes: f64) -> String {
    format!("{:.1} MiB", bytes / (1024.0 * 1024.0))
}

fn kib(bytes: f64) -> String {
    format!("{:.1} KiB", bytes / 1024.0)
}
