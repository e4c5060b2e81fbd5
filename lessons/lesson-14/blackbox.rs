//! Lesson 14 run as a learner runs it; its parts' output is compared exactly by the conventions
//! test (the site's server counts what each crawl did, so each line is the same on every run).
//! Here: `--url` against a site the test serves and counts, `--serve` against the Python twin,
//! `--json`, `--timeline`, Ctrl-C, and the lesson's own bad inputs.

use std::io::{BufRead, BufReader};
use std::process::{Child, Command, Stdio};
use std::sync::mpsc;
use std::thread;
use std::time::Duration;

use course_site::site::BUSY_TIMES;
use course_site::{Site, SiteOptions};
use course_tests::{lesson, lesson_binary, redact, run_ok, run_python, run_usage_error};

fn serve(pages: usize, latency_ms: u64) -> Site {
    Site::start(SiteOptions {
        pages,
        latency: Duration::from_millis(latency_ms),
    })
    .expect("the site starts")
}

/// `--url` checks a site it did not start: the server sees every page and trap asked exactly
/// once (the busy page with its two retries), nothing on the other host, and the report names
/// every trap; broken links make the exit code 1, as link checkers do.
#[test]
fn url_checks_any_site_once_per_page_and_reports_every_trap() {
    let site = serve(60, 2);
    let output = lesson(
        "lesson-14",
        &[
            "--url",
            &site.url(),
            "--timeout-ms",
            "1000",
            "--max-in-flight",
            "5",
        ],
    )
    .assert()
    .code(1)
    .get_output()
    .clone();
    let report = String::from_utf8(output.stdout).unwrap();
    assert_eq!(site.mistakes(BUSY_TIMES), Vec::<String>::new(), "{report}");
    assert!(site.seen().max_in_flight <= 5);
    for trap in [
        "/missing/1: 404 Not Found",
        "/missing/2: 404 Not Found",
        "/old/1 -> /old/2 -> /old/3 -> /page/7",
        "/loop/a -> /loop/b -> /loop/a (a loop)",
        "/slow: no answer within 1000 ms",
        "/big: more than 1 MiB; the rest was not read",
        "/busy: asked 3 times; then it answered",
        &format!("{}: another host", site.elsewhere_url()),
        "mailto:pages@example.com: not http://",
    ] {
        assert!(report.contains(trap), "{trap:?} is not in:\n{report}");
    }
    assert_eq!(
        site.server().open_connections_after(Duration::from_secs(5)),
        0
    );
}

/// `--max-pages` stops the crawl with a report that says so and lists what it did not check;
/// `--host` adds a host whose links are followed.
#[test]
fn max_pages_and_host_bound_the_crawl() {
    let site = serve(60, 1);
    let limited = lesson("lesson-14", &["--url", &site.url(), "--max-pages", "5"])
        .assert()
        .get_output()
        .clone();
    let report = String::from_utf8(limited.stdout).unwrap();
    assert!(report.contains("Stopped early (--max-pages 5)"), "{report}");
    assert!(report.starts_with("5 addresses checked"), "{report}");
    let addresses = site.seen().requests.len();
    assert!(
        addresses <= 5,
        "{addresses} addresses fetched with --max-pages 5"
    );

    let other = serve(60, 1);
    let elsewhere = other.elsewhere_url();
    let host = elsewhere
        .trim_start_matches("http://")
        .split('/')
        .next()
        .unwrap()
        .to_string();
    let _ = lesson(
        "lesson-14",
        &[
            "--url",
            &other.url(),
            "--host",
            &host,
            "--timeout-ms",
            "1000",
        ],
    )
    .assert()
    .get_output()
    .clone();
    // Its page, and the home page that page links to.
    assert_eq!(other.seen().elsewhere, 2, "--host {host} was not followed");
}

/// What the lesson refuses, with one line and exit code 2.
#[test]
fn bad_addresses_and_limits_are_usage_errors() {
    for (args, words) in [
        (
            &["--url", "https://example.org/"][..],
            "https:// is not supported",
        ),
        (&["--url", "example.org"][..], "not an address"),
        (
            &["--url", "ftp://example.org/"][..],
            "give an http:// address",
        ),
        (&["--max-in-flight", "0"][..], "from 1 to 1000"),
        (&["--pages", "9"][..], "from 10 to 10000"),
        (
            &["--url", "http://127.0.0.1:9/", "--max-pages", "0"][..],
            "from 1 to",
        ),
        (&["--host", "example.org"][..], "--url"),
    ] {
        let stderr = run_usage_error("lesson-14", args);
        assert!(stderr.contains(words), "{args:?}: {stderr}");
    }
}

/// `--json` prints the same report as text does, for another program to read.
#[test]
fn the_report_as_json() {
    let output = run_ok(
        "lesson-14",
        &[
            "--part",
            "report",
            "--pages",
            "20",
            "--latency-ms",
            "1",
            "--timeout-ms",
            "1000",
            "--json",
        ],
    );
    let json = &output[output.find('{').expect("a JSON object")..];
    let report: serde_json::Value = serde_json::from_str(json).expect("valid JSON");
    let broken: Vec<&str> = report["broken"]
        .as_array()
        .unwrap()
        .iter()
        .map(|problem| problem["address"].as_str().unwrap())
        .collect();
    assert_eq!(broken, ["/missing/1", "/missing/2"]);
    assert_eq!(report["redirects"].as_array().unwrap().len(), 2);
    assert_eq!(report["timed_out"][0]["address"], "/slow");
    assert_eq!(report["checked"], 32);
}

/// `--timeline FILE.tsv`: one row per worker of the pool and per task of the crawl with tasks,
/// never more than k of either.
#[test]
fn the_timeline_has_a_row_per_worker_and_task() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("crawls.tsv");
    let output = run_ok(
        "lesson-14",
        &[
            "--part",
            "pool",
            "--pages",
            "40",
            "--latency-ms",
            "5",
            "--timeout-ms",
            "100",
            "--max-in-flight",
            "3",
            "--timeline",
            file.to_str().unwrap(),
        ],
    );
    assert!(output.contains("Timeline written to"), "{output}");
    let spans = course_support::timeline::parse_tsv(&std::fs::read_to_string(&file).unwrap())
        .expect("the figures parse");
    let rows: std::collections::BTreeSet<&str> = spans.iter().map(|s| s.row.as_str()).collect();
    assert!(!rows.is_empty() && rows.len() <= 3, "{rows:?}");
    assert!(rows.iter().all(|row| row.starts_with("worker")), "{rows:?}");
    // As many spans as the crawl's own count, which the server's latency decides: a page that
    // misses the 100 ms time-out (a loaded machine, wine) hides the pages only it links to.
    let checked: usize = output
        .lines()
        .find_map(|line| line.split_once(" addresses checked")?.0.rsplit(' ').next())
        .and_then(|count| count.parse().ok())
        .unwrap_or_else(|| panic!("no count of addresses checked:\n{output}"));
    assert!(checked > 1, "{output}");
    assert_eq!(spans.len(), checked, "one span per address checked");
}

/// `lesson-14 --serve`, with what it prints read on a thread, so that no read waits for ever.
struct Served {
    child: Child,
    lines: mpsc::Receiver<String>,
    url: String,
}

impl Served {
    fn start(pages: &str) -> Served {
        let mut child = Command::new(lesson_binary("lesson-14"))
            .args(["--serve", "--pages", pages, "--latency-ms", "2"])
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .expect("the lesson starts");
        let stdout = child.stdout.take().expect("piped");
        let (tell, lines) = mpsc::channel();
        thread::spawn(move || {
            for line in BufReader::new(stdout).lines().map_while(Result::ok) {
                if tell.send(line).is_err() {
                    break;
                }
            }
        });
        let first = lines
            .recv_timeout(Duration::from_secs(30))
            .expect("--serve says where it serves");
        let url = first.rsplit(' ').next().unwrap().to_string();
        Served { child, lines, url }
    }

    /// Closes its input (as Ctrl-D would) and returns what it printed then.
    fn stop(mut self) -> String {
        drop(self.child.stdin.take());
        let mut said = Vec::new();
        while let Ok(line) = self.lines.recv_timeout(Duration::from_secs(30)) {
            said.push(line);
        }
        let status = self.child.wait().unwrap();
        assert!(status.success(), "{said:?}");
        said.join("\n")
    }
}

/// The Python twin crawls the lesson's site with a pool of threads and with asyncio: with
/// asyncio (which retries the busy page) it prints the report the lesson prints, word for word,
/// and the server saw every page once; with threads (no retries) it reports the busy page as
/// broken.
#[test]
fn the_python_twin_checks_the_site_as_the_lesson_does() {
    let python_script = "lessons/lesson-14/python/link_checker.py";
    let served = Served::start("30");
    let Some(python) = run_python(
        python_script,
        &["--url", &served.url, "--mode", "asyncio", "--timeout", "1"],
    ) else {
        served.stop();
        return;
    };
    let seen = served.stop();
    assert!(
        seen.contains("every page and trap fetched exactly once"),
        "{seen}"
    );

    let served = Served::start("30");
    let rust = lesson("lesson-14", &["--url", &served.url, "--timeout-ms", "1000"])
        .assert()
        .code(1)
        .get_output()
        .clone();
    let rust = String::from_utf8(rust.stdout).unwrap();
    served.stop();
    assert_eq!(redact(&python).trim_end(), redact(&rust).trim_end());

    let served = Served::start("30");
    let threads = run_python(
        python_script,
        &[
            "--url",
            &served.url,
            "--mode",
            "threads",
            "--workers",
            "4",
            "--timeout",
            "1",
        ],
    )
    .expect("Python was there a moment ago");
    let seen = served.stop();
    assert!(
        threads.contains("/busy: 503 Service Unavailable"),
        "{threads}"
    );
    assert!(
        seen.contains("/busy: fetched 1 times, expected 3"),
        "{seen}"
    );
}

/// Ctrl-C (the signal it sends, SIGINT) stops a crawl of `--url` with the report so far, and
/// nothing is left open at the server. Unix only: a test cannot send Ctrl-C to one program on
/// Windows; `tokio::signal::ctrl_c` is the same call there.
#[cfg(unix)]
#[test]
fn ctrl_c_stops_the_crawl_with_the_report_so_far() {
    let site = serve(1000, 200);
    let mut child = Command::new(lesson_binary("lesson-14"))
        .args(["--url", &site.url(), "--max-in-flight", "2"])
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    // Once the first page is in, the crawl is well under way (and its Ctrl-C handler set).
    let deadline = std::time::Instant::now() + Duration::from_secs(30);
    while site.seen().requests.len() < 3 {
        assert!(
            std::time::Instant::now() < deadline,
            "the crawl never started"
        );
        thread::sleep(Duration::from_millis(10));
    }
    let sent = Command::new("kill")
        .args(["-INT", &child.id().to_string()])
        .status()
        .unwrap();
    assert!(sent.success());
    let output = wait_timeout::ChildExt::wait_timeout(&mut child, Duration::from_secs(30))
        .unwrap()
        .expect("the lesson ended after Ctrl-C");
    let mut report = String::new();
    std::io::Read::read_to_string(&mut child.stdout.take().unwrap(), &mut report).unwrap();
    assert!(
        output.code().is_some(),
        "ended by the signal, not by the lesson: {output}"
    );
    assert!(report.contains("Stopped early (Ctrl-C)"), "{report}");
    assert_eq!(
        site.server().open_connections_after(Duration::from_secs(5)),
        0
    );
}
