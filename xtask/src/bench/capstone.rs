//! The capstone's rows of the benchmark: lesson 14's two crawlers (tasks with a Semaphore, a pool
//! of threads), its Python twin's two (asyncio, `ThreadPoolExecutor`) and, where it is installed,
//! lychee, each crawling the lesson's loopback site of N pages with k requests at once.
//!
//! Every crawl gets a fresh `lesson-14 --serve` (the busy page's counter, like every count, is
//! per server), is timed from its start to its exit by the bench, and is watched for its peak
//! memory; the server's own last lines say how many requests it saw for how many addresses, the
//! most at once, and whether each page was fetched exactly once.

use std::fmt::Write as _;
use std::io::{BufRead as _, BufReader, Read as _};
use std::path::Path;
use std::process::{Child, ChildStdin, Command, Stdio};
use std::sync::mpsc;
use std::time::{Duration, Instant};

use anyhow::{Context, Result, bail};
use serde::{Deserialize, Serialize};

use super::figures::{Target, median, seconds};

/// k: the requests each crawler may have in flight (the pool's threads, the Semaphore's permits).
pub const IN_FLIGHT: usize = 100;
/// d: the site's mean latency per page (each page from d/2 to 3d/2). The lesson's default: at
/// N = 10 000 and k = 100 the limit (N/k)·d is 2 s, long against what no crawler can overlap
/// (the first levels of the site, 1 then 10 then 100 pages, about three d), and short enough to
/// measure every crawler several times.
pub const LATENCY_MS: u64 = 20;
/// T: each request's time-out. The stalled page is found at about 2·d and given up T later, so
/// every crawl lasts at least T + 2·d: small against the 2 s at N = 10 000, the floor of the
/// crawl at N = 1 000 (0.2 s). Python's asyncio crawler needs this much: with 100 ms, pages
/// time out while its one thread parses others, and their links are never found.
pub const TIMEOUT_MS: u64 = 500;
/// The page the site answers 503 before it answers 200: a crawler that retries asks it more
/// than once, and that is no mistake.
const BUSY: &str = "/busy";
/// How long a server may take to start, or to say what it saw once its input is closed.
const SERVER_PATIENCE: Duration = Duration::from_secs(30);

/// Every crawl of the capstone's rows.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Capstone {
    pub in_flight: usize,
    pub latency_ms: u64,
    pub timeout_ms: u64,
    pub rows: Vec<CrawlRow>,
    /// Why Python was not measured, where it was not.
    pub python_note: Option<String>,
    /// lychee's version, or why it was not run.
    pub lychee_note: String,
}

/// One crawler on one site.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CrawlRow {
    pub crawler: String,
    pub pages: usize,
    pub runs: Vec<CrawlRun>,
}

/// One crawl, against a fresh server.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CrawlRun {
    /// From the crawler's start to its exit, measured by the bench.
    pub wall_s: f64,
    /// The crawl's own time, where the crawler prints one (the Python twin's `--quiet`).
    pub own_s: Option<f64>,
    /// The crawler's peak resident memory, where the system says it.
    pub peak_kib: Option<u64>,
    /// How many addresses the crawler says it checked (lychee says it in its own words: `None`).
    pub checked: Option<usize>,
    pub served: Served,
    /// How many cores other programs kept busy, on average, from the server's start to its end
    /// (the machine's busy time minus the crawler's and the server's), where the system says it.
    #[serde(default)]
    pub others_cores: Option<f64>,
}

/// What `lesson-14 --serve` says when its input closes.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Served {
    pub requests: usize,
    pub addresses: usize,
    pub most_at_once: usize,
    pub elsewhere: usize,
    /// The server's list of what a crawl with retries would not have done (its first 20).
    pub mistakes: Vec<String>,
}

impl Served {
    /// Every page and trap fetched exactly once; the busy page may be asked fewer times than a
    /// crawl with retries asks it (a crawler without retries), never more.
    pub fn each_once(&self) -> bool {
        self.elsewhere == 0
            && self.mistakes.iter().all(|mistake| {
                let Some(counts) = mistake.strip_prefix(&format!("{BUSY}: fetched ")) else {
                    return false;
                };
                let figures: Vec<usize> = counts
                    .split(|c: char| !c.is_ascii_digit())
                    .filter_map(|n| n.parse().ok())
                    .collect();
                matches!(figures.as_slice(), [got, want] if (1..=*want).contains(got))
            })
    }
}

/// Reads the last lines of `lesson-14 --serve`:
/// `end of input: 10014 requests for 10012 addresses, at most 100 at once, 0 to the other host`,
/// then either that every page was fetched once, or the mistakes, indented.
pub fn parse_served(out: &str) -> Result<Served> {
    let line = out
        .lines()
        .find(|line| line.contains(" requests for ") && line.ends_with(" to the other host"))
        .with_context(|| format!("no line of requests in what the server said:\n{out}"))?;
    let after_colon = line.split_once(": ").map_or(line, |(_, rest)| rest);
    let figures: Vec<usize> = after_colon
        .split([' ', ','])
        .filter_map(|word| word.parse().ok())
        .collect();
    let [requests, addresses, most_at_once, elsewhere] = figures[..] else {
        bail!("cannot read {line:?}");
    };
    let mistakes = if out.contains("every page and trap fetched exactly once") {
        Vec::new()
    } else {
        let listed = out
            .split_once("would not:")
            .with_context(|| format!("neither every page once nor mistakes in:\n{out}"))?
            .1;
        listed
            .lines()
            .map(str::trim)
            .filter(|line| !line.is_empty())
            .map(str::to_string)
            .collect()
    };
    Ok(Served {
        requests,
        addresses,
        most_at_once,
        elsewhere,
        mistakes,
    })
}

/// The first line of lesson 14's report: `10012 addresses checked: 10004 pages, 31014 links on
/// them.`
pub fn parse_report(out: &str) -> Result<usize> {
    out.lines()
        .find_map(|line| line.split_once(" addresses checked: ")?.0.parse().ok())
        .with_context(|| format!("no \"N addresses checked: …\" in:\n{out}"))
}

/// The Python twin's `--quiet` line: `10012 addresses checked in 6.613 s`: the count and the
/// seconds.
pub fn parse_python_quiet(out: &str) -> Result<(usize, f64)> {
    let line = out
        .lines()
        .find(|line| line.contains(" addresses checked in "))
        .with_context(|| format!("no \"N addresses checked in X s\" in:\n{out}"))?;
    let (count, rest) = line
        .split_once(" addresses checked in ")
        .unwrap_or_default();
    let s = rest
        .strip_suffix(" s")
        .and_then(|s| s.parse().ok())
        .with_context(|| format!("no seconds in {line:?}"))?;
    Ok((count.parse()?, s))
}

/// The crawlers, as the table names them.
const RUST_TASKS: &str = "Rust tasks";
const RUST_POOL: &str = "Rust pool";
const PYTHON_ASYNCIO: &str = "Python asyncio";
const PYTHON_THREADS: &str = "Python threads";
const LYCHEE: &str = "lychee";

/// Every crawler on a site of each size in `pages`, `runs` times (interleaved: run 1 of all,
/// then run 2 …).
pub fn measure(lesson_14: &Path, root: &Path, pages: &[usize], runs: usize) -> Result<Capstone> {
    let mut python_note = course_support::python()
        .is_none()
        .then(|| format!("{} not found", course_support::PYTHON_NAMES.join(" or ")));
    let lychee_version = lychee_version();
    let mut crawlers = vec![RUST_TASKS, RUST_POOL, PYTHON_ASYNCIO, PYTHON_THREADS];
    if lychee_version.is_ok() {
        crawlers.push(LYCHEE);
    }
    let mut rows: Vec<CrawlRow> = pages
        .iter()
        .flat_map(|&pages| {
            crawlers.iter().map(move |crawler| CrawlRow {
                crawler: (*crawler).to_string(),
                pages,
                runs: vec![],
            })
        })
        .collect();
    for run in 1..=runs {
        for row in &mut rows {
            let is_python = row.crawler.starts_with("Python");
            if is_python && python_note.is_some() {
                continue;
            }
            eprintln!(
                "lesson 14, {} pages, k = {IN_FLIGHT}, d = {LATENCY_MS} ms, {}: run {run}/{runs}",
                row.pages, row.crawler
            );
            match crawl(lesson_14, root, &row.crawler, row.pages) {
                Ok(crawl) => row.runs.push(crawl),
                Err(error) if is_python => {
                    let why = format!("{error:#}");
                    let last = why.lines().rev().find(|line| !line.trim().is_empty());
                    python_note = Some(format!(
                        "link_checker.py failed: {}",
                        last.unwrap_or("no message")
                    ));
                }
                Err(error) => return Err(error),
            }
        }
    }
    rows.retain(|row| !row.runs.is_empty());
    Ok(Capstone {
        in_flight: IN_FLIGHT,
        latency_ms: LATENCY_MS,
        timeout_ms: TIMEOUT_MS,
        rows,
        python_note,
        lychee_note: lychee_version.unwrap_or_else(|why| why),
    })
}

/// One crawl by `crawler` of a fresh site of `pages` pages.
fn crawl(lesson_14: &Path, root: &Path, crawler: &str, pages: usize) -> Result<CrawlRun> {
    let before = super::CpuTicks::now();
    let server = Server::start(lesson_14, pages)?;
    let url = server.url.clone();
    let k = IN_FLIGHT.to_string();
    let (mut command, codes): (Command, &[i32]) = match crawler {
        RUST_TASKS | RUST_POOL => {
            let mut command = Command::new(lesson_14);
            let which = if crawler == RUST_TASKS {
                "tasks"
            } else {
                "pool"
            };
            command.args(["--url", &url, "--crawler", which, "--max-in-flight", &k]);
            command.args(["--max-pages", "1000000"]);
            command.args(["--timeout-ms", &TIMEOUT_MS.to_string()]);
            // 1: the site has broken links, and the lesson says so as link checkers do.
            (command, &[0, 1])
        }
        PYTHON_ASYNCIO | PYTHON_THREADS => {
            let mut command = Command::new(course_support::python().unwrap_or("python3"));
            let mode = if crawler == PYTHON_ASYNCIO {
                "asyncio"
            } else {
                "threads"
            };
            command.arg(root.join("lessons/lesson-14/python/link_checker.py"));
            command.args(["--url", &url, "--mode", mode, "--workers", &k]);
            command.args(["--timeout", &format!("{}", TIMEOUT_MS as f64 / 1000.0)]);
            command.arg("--quiet");
            (command, &[0])
        }
        _ => (lychee_command(&url, pages), &[0, 2]),
    };
    let ran = run_watched(&mut command, codes)?;
    let counted = parse_served(&server.stop()?)?;
    let others_cores = before.and_then(super::CpuTicks::others_cores_until_now);
    let (checked, own_s) = match crawler {
        RUST_TASKS | RUST_POOL => (Some(parse_report(&ran.out)?), None),
        PYTHON_ASYNCIO | PYTHON_THREADS => {
            let (checked, s) = parse_python_quiet(&ran.out)?;
            (Some(checked), Some(s))
        }
        _ => (None, None),
    };
    Ok(CrawlRun {
        wall_s: ran.wall_s,
        own_s,
        peak_kib: ran.peak_kib,
        checked,
        served: counted,
        others_cores,
    })
}

/// lychee does not crawl: it checks the links of the inputs it is given (a recursive mode is
/// lycheeverse/lychee#78, open). So it is given every page of the site, and checks their links
/// with k at once, the same time-out (in whole seconds, its unit) and two retries.
fn lychee_command(url: &str, pages: usize) -> Command {
    let mut command = Command::new("lychee");
    command.args(["--no-progress", "--max-concurrency", &IN_FLIGHT.to_string()]);
    command.args(["--timeout", &TIMEOUT_MS.div_ceil(1000).to_string()]);
    command.args(["--max-retries", "2", "--max-redirects", "0", "--"]);
    let origin = url.trim_end_matches('/');
    command.arg(url);
    command.args((1..pages).map(|n| format!("{origin}/page/{n}")));
    command
}

/// `lychee 0.x.y`, or why it is not run.
fn lychee_version() -> Result<String, String> {
    match Command::new("lychee").arg("--version").output() {
        Ok(out) if out.status.success() => {
            Ok(String::from_utf8_lossy(&out.stdout).trim().to_string())
        }
        Ok(out) => Err(format!("lychee --version failed ({})", out.status)),
        Err(_) => Err("lychee is not installed (not on PATH): skipped".to_string()),
    }
}

/// `lesson-14 --serve`, with its output read on a thread so that no read waits for ever.
struct Server {
    child: Child,
    stdin: Option<ChildStdin>,
    lines: mpsc::Receiver<String>,
    url: String,
}

impl Server {
    fn start(lesson_14: &Path, pages: usize) -> Result<Server> {
        let mut child = Command::new(lesson_14)
            .args(["--serve", "--pages", &pages.to_string()])
            .args(["--latency-ms", &LATENCY_MS.to_string()])
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .with_context(|| format!("cannot start {} --serve", lesson_14.display()))?;
        let stdin = child.stdin.take();
        let stdout = child.stdout.take().context("stdout is piped")?;
        let (tell, lines) = mpsc::channel();
        std::thread::spawn(move || {
            for line in BufReader::new(stdout).lines().map_while(Result::ok) {
                if tell.send(line).is_err() {
                    break;
                }
            }
        });
        let first = lines
            .recv_timeout(SERVER_PATIENCE)
            .context("lesson-14 --serve did not say where it serves")?;
        let url = first
            .strip_prefix("serving a site of ")
            .and_then(|rest| rest.rsplit(' ').next())
            .with_context(|| format!("no address in {first:?}"))?
            .to_string();
        Ok(Server {
            child,
            stdin,
            lines,
            url,
        })
    }

    /// Closes its input, as Ctrl-D would, and returns what it printed then.
    fn stop(mut self) -> Result<String> {
        drop(self.stdin.take());
        let mut said = Vec::new();
        while let Ok(line) = self.lines.recv_timeout(SERVER_PATIENCE) {
            said.push(line);
        }
        let status = self.child.wait()?;
        if !status.success() {
            bail!("lesson-14 --serve failed ({status}): {}", said.join("\n"));
        }
        Ok(said.join("\n"))
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        // After `stop` the child has been waited for, and this does nothing.
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// What [`run_watched`] saw.
#[derive(Debug)]
struct Ran {
    out: String,
    wall_s: f64,
    peak_kib: Option<u64>,
}

/// Runs `command` to its end, timing it and watching its peak memory; fails on an exit code not
/// in `codes`, or after [`super::RUN_TIMEOUT`] (then it is killed).
fn run_watched(command: &mut Command, codes: &[i32]) -> Result<Ran> {
    let shown = format!("{command:?}");
    let shown: String = shown.chars().take(300).collect();
    let started = Instant::now();
    let mut child = command
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .with_context(|| format!("cannot start {shown}"))?;
    let read_all = |mut from: Box<dyn std::io::Read + Send>| {
        std::thread::spawn(move || {
            let mut text = String::new();
            let _ = from.read_to_string(&mut text);
            text
        })
    };
    let out = read_all(Box::new(child.stdout.take().context("stdout is piped")?));
    let err = read_all(Box::new(child.stderr.take().context("stderr is piped")?));
    let mut peak = PeakMemory::of(child.id());
    let status = loop {
        peak.look();
        if let Some(status) = child.try_wait()? {
            break status;
        }
        if started.elapsed() > super::RUN_TIMEOUT {
            let _ = child.kill();
            let _ = child.wait();
            bail!(
                "{shown} took longer than {:?} and was stopped",
                super::RUN_TIMEOUT
            );
        }
        std::thread::sleep(Duration::from_millis(2));
    };
    let wall_s = started.elapsed().as_secs_f64();
    let out = out.join().expect("the reader does not panic");
    let err = err.join().expect("the reader does not panic");
    if !status.code().is_some_and(|code| codes.contains(&code)) {
        bail!("{shown} failed ({status}):\n{err}{out}");
    }
    Ok(Ran {
        out,
        wall_s,
        peak_kib: peak.kib(),
    })
}

/// Another process's peak resident memory, looked at every 2 ms while it runs. Linux keeps the
/// peak itself (`VmHWM` in `/proc/PID/status`): only what it reaches in its last 2 ms can be
/// missed. Elsewhere, the largest resident memory seen (sysinfo).
struct PeakMemory {
    pid: u32,
    kib: Option<u64>,
    #[cfg(not(target_os = "linux"))]
    system: sysinfo::System,
}

impl PeakMemory {
    fn of(pid: u32) -> Self {
        PeakMemory {
            pid,
            kib: None,
            #[cfg(not(target_os = "linux"))]
            system: sysinfo::System::new(),
        }
    }

    fn look(&mut self) {
        if let Some(kib) = self.now() {
            self.kib = Some(self.kib.unwrap_or(0).max(kib));
        }
    }

    #[cfg(target_os = "linux")]
    fn now(&mut self) -> Option<u64> {
        let status = std::fs::read_to_string(format!("/proc/{}/status", self.pid)).ok()?;
        let line = status.lines().find(|line| line.starts_with("VmHWM:"))?;
        line.split_whitespace().nth(1)?.parse().ok()
    }

    #[cfg(not(target_os = "linux"))]
    fn now(&mut self) -> Option<u64> {
        use sysinfo::{ProcessRefreshKind, ProcessesToUpdate};
        let pid = sysinfo::Pid::from_u32(self.pid);
        self.system.refresh_processes_specifics(
            ProcessesToUpdate::Some(&[pid]),
            false,
            ProcessRefreshKind::nothing().with_memory(),
        );
        Some(self.system.process(pid)?.memory() / 1024)
    }

    fn kib(&self) -> Option<u64> {
        self.kib
    }
}

impl CrawlRow {
    fn wall_s(&self) -> f64 {
        median(self.runs.iter().map(|r| r.wall_s))
    }

    fn each_once(&self) -> bool {
        self.runs.iter().all(|r| r.served.each_once())
    }
}

impl Capstone {
    /// How many times each crawler crawled each site (the most of any row).
    pub fn runs(&self) -> usize {
        self.rows
            .iter()
            .map(|row| row.runs.len())
            .max()
            .unwrap_or(0)
    }

    /// The limit no crawl with k at once can beat: (N/k)·d, in seconds.
    pub fn limit_s(&self, pages: usize) -> f64 {
        pages as f64 / self.in_flight as f64 * self.latency_ms as f64 / 1000.0
    }

    pub fn table(&self, w: &mut String) {
        let _ = writeln!(
            w,
            "**The capstone: a link checker** (lesson 14 `--url` against `lesson-14 --serve`, a \
             fresh server each crawl: N pages, each answering after d/2 to 3d/2, d = {} ms; \
             k = {} requests at once; a time-out of {} for every request, which the page that \
             never answers costs every crawl; wall time from the crawler's start to its exit, \
             medians; memory: the crawler's peak; requests / addresses, the most at once, and \
             whether each page was fetched once, as the server counted them: a crawler that \
             retries asks the busy page three times, 503, 503, then 200; Python threads: a \
             `ThreadPoolExecutor`)\n",
            self.latency_ms,
            self.in_flight,
            seconds(self.timeout_ms as f64 / 1000.0)
        );
        let _ = writeln!(
            w,
            "| crawler | N | wall | (N/k)·d | ratio | memory | requests | at once | once |\n\
             |:--|--:|--:|--:|--:|--:|--:|--:|:--|"
        );
        let mut mistakes = Vec::new();
        for row in &self.rows {
            let limit = self.limit_s(row.pages);
            let wall = row.wall_s();
            let peak = median(
                row.runs
                    .iter()
                    .filter_map(|r| r.peak_kib.map(|kib| kib as f64 / 1024.0)),
            );
            let peak = if peak.is_nan() {
                "–".to_string()
            } else {
                format!("{peak:.0} MiB")
            };
            // The figures of the median run, by wall time (the server's counts are whole).
            let mut by_wall: Vec<&CrawlRun> = row.runs.iter().collect();
            by_wall.sort_by(|a, b| a.wall_s.total_cmp(&b.wall_s));
            let middle = &by_wall[by_wall.len() / 2].served;
            let once = if row.each_once() {
                "yes"
            } else {
                let first = row
                    .runs
                    .iter()
                    .find(|r| !r.served.each_once())
                    .and_then(|r| r.served.mistakes.first().cloned())
                    .unwrap_or_else(|| "the other host was fetched".to_string());
                mistakes.push(format!("{}, N = {}: {first}", row.crawler, row.pages));
                "NO"
            };
            let _ = writeln!(
                w,
                "| {} | {} | {} | {} | ×{:.2} | {peak} | {} / {} | {} | {once} |",
                row.crawler,
                row.pages,
                seconds(wall),
                seconds(limit),
                wall / limit,
                middle.requests,
                middle.addresses,
                middle.most_at_once,
            );
        }
        let mut notes = Vec::new();
        if !mistakes.is_empty() {
            notes.push(format!(
                "Not each page once, as the server saw it: {}.",
                mistakes.join("; ")
            ));
        }
        if let Some(note) = &self.python_note {
            notes.push(format!("Python not measured: {note}."));
        }
        if self.rows.iter().any(|row| row.crawler == LYCHEE) {
            notes.push(format!(
                "{}: it does not crawl, so it was given every page of the site.",
                self.lychee_note
            ));
        } else {
            notes.push(format!("lychee: {}.", self.lychee_note));
        }
        let _ = writeln!(w, "\n{}\n", notes.join(" "));
    }

    /// The target, for each of the lesson's crawlers at N = 10 000: wall time ≤ 1.2 ×
    /// (N/k)·d, each page fetched once. None where N = 10 000 was not measured (`--quick`).
    pub fn targets(&self) -> Vec<Target> {
        self.rows
            .iter()
            .filter(|row| row.pages == 10_000 && row.crawler.starts_with("Rust"))
            .map(|row| {
                let limit = self.limit_s(row.pages);
                let ratio = row.wall_s() / limit;
                let once = row.each_once();
                let others = median(row.runs.iter().filter_map(|r| r.others_cores));
                let others = if others.is_nan() {
                    String::new()
                } else {
                    format!("; other programs kept {others:.2} cores busy meanwhile")
                };
                Target {
                    passed: ratio <= 1.2 && once,
                    text: format!(
                        "link checker, {} pages, {}: wall time {} = ×{ratio:.3} (N/k)·d \
                         (k = {}, d = {} ms), each page once: {}; target ≤ ×1.20 and each page \
                         once{others}",
                        row.pages,
                        row.crawler,
                        seconds(row.wall_s()),
                        self.in_flight,
                        self.latency_ms,
                        if once { "yes" } else { "NO" }
                    ),
                }
            })
            .collect()
    }
}

#[cfg(test)]
#[allow(clippy::float_cmp)] // the figures are exactly the decimal ones written
pub(crate) mod tests {
    use super::*;

    /// What `lesson-14 --serve --pages 10000` printed after the lesson's tasks crawled it, and
    /// after its pool of threads (no retries) did.
    const SERVED_BY_TASKS: &str = "end of input: 10014 requests for 10012 addresses, at most 100 at once, 0 to the other host\n\
        every page and trap fetched exactly once (the busy page with its retries)\n";
    const SERVED_BY_POOL: &str = "end of input: 10012 requests for 10012 addresses, at most 100 at once, 0 to the other host\n\
        as a crawl with retries on 503 would not:\n\
        \x20 /busy: fetched 1 times, expected 3\n";

    #[test]
    fn the_server_s_last_lines_parse_and_a_busy_page_not_retried_is_no_mistake() {
        let tasks = parse_served(SERVED_BY_TASKS).unwrap();
        assert_eq!(
            tasks,
            Served {
                requests: 10_014,
                addresses: 10_012,
                most_at_once: 100,
                elsewhere: 0,
                mistakes: vec![],
            }
        );
        assert!(tasks.each_once());
        let pool = parse_served(SERVED_BY_POOL).unwrap();
        assert_eq!(pool.mistakes, ["/busy: fetched 1 times, expected 3"]);
        assert!(pool.each_once());
        let twice = SERVED_BY_POOL.replace(
            "/busy: fetched 1 times, expected 3",
            "/page/12: fetched 2 times, expected 1",
        );
        assert!(!parse_served(&twice).unwrap().each_once());
        let busy_too_often = SERVED_BY_POOL.replace("fetched 1 times", "fetched 4 times");
        assert!(!parse_served(&busy_too_often).unwrap().each_once());
        let never = SERVED_BY_POOL.replace("fetched 1 times", "fetched 0 times");
        assert!(!parse_served(&never).unwrap().each_once());
        assert!(parse_served("serving a site of 10 pages at http://127.0.0.1:1/\n").is_err());
    }

    /// The report's first line, as the lesson's snapshot holds it (part 6 prints the report
    /// `--url` prints).
    #[test]
    fn the_report_s_count_is_read_from_what_the_lesson_prints() {
        let path = course_support::snapshot_file(&crate::workspace_root(), "lesson-14");
        let snapshot = crate::chapters::snapshot_body(&path).unwrap();
        assert_eq!(parse_report(&snapshot).unwrap(), 42);
        assert!(parse_report("42 addresses checked in 1.5ms.\n").is_err());
        let quiet = "10012 addresses checked in 6.613 s\n";
        assert_eq!(parse_python_quiet(quiet).unwrap(), (10_012, 6.613));
        assert!(parse_python_quiet("10012 addresses checked: 3 pages\n").is_err());
    }

    pub(crate) fn sample() -> Capstone {
        let run = |wall_s, served: &str| CrawlRun {
            wall_s,
            own_s: None,
            peak_kib: Some(40 * 1024),
            checked: Some(10_012),
            served: parse_served(served).unwrap(),
            others_cores: None,
        };
        Capstone {
            in_flight: 100,
            latency_ms: 20,
            timeout_ms: 500,
            rows: vec![
                CrawlRow {
                    crawler: RUST_TASKS.into(),
                    pages: 10_000,
                    runs: vec![run(2.3, SERVED_BY_TASKS), run(2.2, SERVED_BY_TASKS)],
                },
                CrawlRow {
                    crawler: RUST_POOL.into(),
                    pages: 10_000,
                    runs: vec![run(2.6, SERVED_BY_POOL)],
                },
            ],
            python_note: Some("python3 not found".into()),
            lychee_note: "lychee is not installed (not on PATH): skipped".into(),
        }
    }

    #[test]
    fn the_table_and_the_targets_read_the_runs() {
        let capstone = sample();
        let mut md = String::new();
        capstone.table(&mut md);
        assert!(
            md.contains("| Rust tasks | 10000 | 2.25 s | 2.00 s | ×1.12 | 40 MiB | 10014 / 10012 | 100 | yes |"),
            "{md}"
        );
        assert!(
            md.contains("Python not measured: python3 not found."),
            "{md}"
        );
        assert!(md.contains("lychee: lychee is not installed"), "{md}");
        let targets: Vec<_> = capstone
            .targets()
            .into_iter()
            .map(|t| (t.passed, t.text))
            .collect();
        assert_eq!(
            targets,
            [
                (
                    true,
                    "link checker, 10000 pages, Rust tasks: wall time 2.25 s = ×1.125 (N/k)·d \
                     (k = 100, d = 20 ms), each page once: yes; target ≤ ×1.20 and each page once"
                        .to_string()
                ),
                (
                    false,
                    "link checker, 10000 pages, Rust pool: wall time 2.60 s = ×1.300 \
                     (N/k)·d (k = 100, d = 20 ms), each page once: yes; target ≤ ×1.20 and each \
                     page once"
                        .to_string()
                ),
            ]
        );
    }

    #[test]
    fn lychee_is_given_every_page() {
        let command = lychee_command("http://127.0.0.1:8000/", 12);
        let args: Vec<String> = command
            .get_args()
            .map(|a| a.to_string_lossy().into_owned())
            .collect();
        assert!(args.contains(&"http://127.0.0.1:8000/".to_string()));
        assert_eq!(args.last().unwrap(), "http://127.0.0.1:8000/page/11");
        assert_eq!(args.iter().filter(|a| a.contains("/page/")).count(), 11);
    }
}
