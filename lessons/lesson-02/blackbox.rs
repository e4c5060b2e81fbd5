//! Lesson 02 run as a learner runs it, with a short latency; its output is compared exactly.
//! The failure tests start their own servers and point the lesson at them with `--url`.

use std::fs;
use std::io::{BufRead, BufReader, Write};
use std::net::{Ipv4Addr, TcpListener};
use std::path::Path;
use std::process::Command;
use std::thread;
use std::time::Duration;

use course_loopback::{FileServer, file_contents, sha256_hex};
use course_tests::{assert_lesson_snapshot, lesson, run_ok, run_usage_error, workspace_root};
use predicates::prelude::*;

/// An address where nothing listens: port 1 on loopback (tcpmux) is never served on a
/// developer machine or in CI, so connecting to it is refused at once.
const REFUSED: &str = "http://127.0.0.1:1/file2.zip";

#[test]
fn one_way_alone_with_more_files() {
    let output = run_ok(
        "lesson-02",
        &["--latency-ms", "20", "--files", "5", "--part", "threads"],
    );
    assert_lesson_snapshot!("lesson-02-part-threads", output);
}

/// The names of the files in `dir`, sorted.
fn names_in(dir: &Path) -> Vec<String> {
    let mut names: Vec<String> = fs::read_dir(dir)
        .unwrap()
        .map(|entry| entry.unwrap().file_name().into_string().unwrap())
        .collect();
    names.sort();
    names
}

fn stdout_of(output: &std::process::Output) -> String {
    String::from_utf8(output.stdout.clone()).unwrap()
}

/// That the threads overlap is seen by the server, which counts the downloads in flight at once;
/// how much faster that makes them is a figure for `cargo xtask bench`, not for a test, whose
/// timing a loaded machine (or wine) can stretch.
#[test]
fn threads_really_overlap_and_one_after_another_does_not() {
    let server = FileServer::start(Duration::from_millis(200)).unwrap();
    let urls: Vec<String> = (1..=3)
        .map(|n| server.url(&format!("file{n}.zip")))
        .collect();
    let mut args = vec!["--part", "sequential", "--url"];
    args.extend(urls.iter().map(String::as_str));
    run_ok("lesson-02", &args);
    assert_eq!(server.requests_served(), 3);
    assert_eq!(server.max_concurrent_requests(), 1, "sequential overlapped");

    for part in ["threads", "scoped"] {
        let server = FileServer::start(Duration::from_millis(200)).unwrap();
        let urls: Vec<String> = (1..=3)
            .map(|n| server.url(&format!("file{n}.zip")))
            .collect();
        let mut args = vec!["--part", part, "--url"];
        args.extend(urls.iter().map(String::as_str));
        run_ok("lesson-02", &args);
        assert_eq!(
            server.max_concurrent_requests(),
            3,
            "{part}: the three downloads were not all in flight at once"
        );
    }
}

#[test]
fn failed_downloads_are_reported_and_the_others_complete() {
    let server = FileServer::start(Duration::from_millis(5)).unwrap();
    let wrong_checksum = format!("{}#sha256={}", server.url("file4.zip"), "0".repeat(64));
    let (file1, missing) = (server.url("file1.zip"), server.url("missing.zip"));
    let output = lesson(
        "lesson-02",
        &[
            "--part",
            "scoped",
            "--url",
            &file1,
            &missing,
            REFUSED,
            &wrong_checksum,
        ],
    )
    .assert()
    .code(1)
    .stderr("error: 3 download(s) failed; see the lines above\n")
    .get_output()
    .clone();
    assert_lesson_snapshot!("lesson-02-failures", stdout_of(&output));
}

#[test]
fn a_failed_download_leaves_no_file_behind_and_good_ones_are_complete() {
    let server = FileServer::start(Duration::from_millis(5)).unwrap();
    let out = tempfile::tempdir().unwrap();
    let good_checksum = sha256_hex(&file_contents("file3.zip"));
    let urls = [
        server.url("file1.zip"),
        server.url("missing.zip"),
        format!("{}#sha256={good_checksum}", server.url("file3.zip")),
        format!("{}#sha256={}", server.url("file4.zip"), "ab".repeat(32)),
        REFUSED.to_string(),
    ];
    let mut args = vec!["--out", out.path().to_str().unwrap(), "--url"];
    args.extend(urls.iter().map(String::as_str));
    lesson("lesson-02", &args).assert().code(1);
    // No `missing.zip`, no `file2.zip`, no `file4.zip`, and no temporary `.part` file.
    assert_eq!(names_in(out.path()), ["file1.zip", "file3.zip"]);
    for name in ["file1.zip", "file3.zip"] {
        assert_eq!(
            fs::read(out.path().join(name)).unwrap(),
            file_contents(name),
            "{name} is incomplete or damaged"
        );
    }
}

/// A server for the tests below: answers every connection with the bytes `answer` returns for
/// the request's path, then closes it. Its thread ends with the test process.
fn serve_raw(answer: fn(&str) -> Vec<u8>) -> String {
    let listener = TcpListener::bind((Ipv4Addr::LOCALHOST, 0)).unwrap();
    let address = listener.local_addr().unwrap();
    thread::spawn(move || {
        for stream in listener.incoming().flatten() {
            let _ = stream.set_read_timeout(Some(Duration::from_secs(10)));
            let mut reader = BufReader::new(&stream);
            let mut request_line = String::new();
            if reader.read_line(&mut request_line).is_err() {
                continue;
            }
            let mut header = String::new();
            while reader.read_line(&mut header).is_ok_and(|read| read > 2) {
                header.clear();
            }
            let path = request_line.split_whitespace().nth(1).unwrap_or("/");
            let _ = (&stream).write_all(&answer(path));
        }
    });
    format!("http://{address}")
}

#[test]
fn a_download_cut_short_leaves_no_partial_file() {
    // The server promises 100 000 bytes, sends 1 000, and closes the connection.
    let base = serve_raw(|_| {
        let mut answer =
            b"HTTP/1.1 200 OK\r\nContent-Length: 100000\r\nConnection: close\r\n\r\n".to_vec();
        answer.extend([7; 1000]);
        answer
    });
    let out = tempfile::tempdir().unwrap();
    let url = format!("{base}/file1.zip");
    let output = lesson(
        "lesson-02",
        &[
            "--part",
            "threads",
            "--out",
            out.path().to_str().unwrap(),
            "--url",
            &url,
        ],
    )
    .assert()
    .code(1)
    .get_output()
    .clone();
    let stdout = stdout_of(&output);
    assert!(
        stdout.contains(
            "Failed to download file1.zip: the connection closed before the whole file arrived\n"
        ),
        "{stdout}"
    );
    assert_eq!(names_in(out.path()), Vec::<String>::new());
}

#[test]
fn hostile_url_file_names_stay_inside_the_output_folder() {
    let base = serve_raw(|path| {
        format!(
            "HTTP/1.1 200 OK\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{path}",
            path.len()
        )
        .into_bytes()
    });
    let parent = tempfile::tempdir().unwrap();
    let out = parent.path().join("out");
    let paths = [
        "/..%2F..%2Fescape.zip",
        "/%2e%2e",
        "/a/%2E%2E%2F%2E%2E%2Fetc%2Fpasswd",
        "/.hidden",
        "/..%5Cwindows.zip",
        "/ok.zip",
        "/b/ok.zip",
        "/",
    ];
    let urls: Vec<String> = paths.iter().map(|path| format!("{base}{path}")).collect();
    let mut args = vec![
        "--part",
        "sequential",
        "--out",
        out.to_str().unwrap(),
        "--url",
    ];
    args.extend(urls.iter().map(String::as_str));
    let output = lesson("lesson-02", &args)
        .assert()
        .success()
        .get_output()
        .clone();
    let stdout = stdout_of(&output);

    assert_eq!(
        names_in(parent.path()),
        ["out"],
        "something escaped:\n{stdout}"
    );
    assert_eq!(
        names_in(&out),
        [
            "_.._escape.zip",
            "_.._etc_passwd",
            "_windows.zip",
            "download",
            "download-2",
            "hidden",
            "ok-2.zip",
            "ok.zip",
        ]
    );
    // Each file holds the path it was downloaded from: the names map to the right URLs.
    assert_eq!(
        fs::read_to_string(out.join("ok-2.zip")).unwrap(),
        "/b/ok.zip"
    );
    assert_eq!(
        fs::read_to_string(out.join("_.._escape.zip")).unwrap(),
        "/..%2F..%2Fescape.zip"
    );
    assert!(
        stdout.contains("Starting download of _.._escape.zip...\n"),
        "{stdout}"
    );
}

#[test]
fn help_explains_every_flag() {
    lesson("lesson-02", &["--help"])
        .assert()
        .success()
        .stdout(predicate::str::contains("--files <N>"))
        .stdout(predicate::str::contains("--latency-ms <MS>"))
        .stdout(predicate::str::contains("--url <URL>..."))
        .stdout(predicate::str::contains("--out <DIR>"))
        .stdout(predicate::str::contains("--part <PART>"))
        .stdout(predicate::str::contains("sha256="))
        .stdout(predicate::str::contains("scoped"));
}

#[test]
fn bad_file_counts_are_usage_errors() {
    for (value, expected) in [
        ("0", "out of range"),
        ("100000", "out of range"),
        ("abc", "whole number of files"),
        ("-3", "whole number of files"),
    ] {
        let stderr = run_usage_error("lesson-02", &["--files", value]);
        assert!(stderr.contains(expected), "--files {value}: {stderr}");
    }
}

#[test]
fn bad_latencies_are_usage_errors() {
    for (value, expected) in [
        ("abc", "whole number of milliseconds"),
        ("-5", "cannot be negative"),
        ("99999999999", "too long"),
    ] {
        let stderr = run_usage_error("lesson-02", &["--latency-ms", value]);
        assert!(stderr.contains(expected), "--latency-ms {value}: {stderr}");
    }
}

#[test]
fn malformed_urls_are_usage_errors() {
    for (value, expected) in [
        ("not a url", "http:// or https://"),
        ("http://exa mple.com/a.zip", "not a valid address"),
        ("ftp://example.com/a.zip", "http:// or https://"),
        ("example.com/a.zip", "http:// or https://"),
        (
            "http://example.com/a.zip#sha256=123",
            "64 hexadecimal digits",
        ),
        ("http://example.com/a.zip#md5=123", "sha256="),
        // The tests build lesson 02 without its feature `https`.
        ("https://example.com/a.zip", "--features https"),
    ] {
        let stderr = run_usage_error("lesson-02", &["--url", value]);
        assert!(stderr.contains(expected), "--url {value}: {stderr}");
    }
}

#[test]
fn url_does_not_mix_with_the_loopback_flags() {
    let stderr = run_usage_error(
        "lesson-02",
        &["--url", "http://127.0.0.1:1/a.zip", "--files", "4"],
    );
    assert!(stderr.contains("cannot be used with"), "{stderr}");
}

#[test]
fn out_keeps_the_verified_files() {
    let parent = tempfile::tempdir().unwrap();
    let out = parent.path().join("new").join("folder");
    let output = run_ok(
        "lesson-02",
        &[
            "--latency-ms",
            "1",
            "--files",
            "4",
            "--part",
            "scoped",
            "--out",
            out.to_str().unwrap(),
        ],
    );
    assert!(
        output.contains(&format!("Files are saved to {}.\n", out.display())),
        "{output}"
    );
    assert_eq!(
        names_in(&out),
        ["file1.zip", "file2.zip", "file3.zip", "file4.zip"]
    );
    for name in names_in(&out) {
        assert_eq!(fs::read(out.join(&name)).unwrap(), file_contents(&name));
    }
}

#[test]
fn the_python_program_prints_the_article_lines() {
    let Some(python) = course_tests::python("lessons/lesson-02/python/downloads.py") else {
        return;
    };
    let script = workspace_root().join("lessons/lesson-02/python/downloads.py");
    let output = Command::new(python)
        .arg(&script)
        .args(["--latency", "0.05"])
        .output()
        .unwrap();
    assert!(output.status.success(), "{output:?}");
    let stdout = stdout_of(&output);
    let mut lines: Vec<&str> = stdout.lines().collect();
    // Python's threads print for themselves, so the scheduler decides the order of these six
    // lines; only the last two, printed by the main thread after every join, are fixed.
    assert_eq!(lines.len(), 8, "{stdout}");
    assert!(lines.pop().unwrap().starts_with("Wall time: "), "{stdout}");
    assert_eq!(lines.pop(), Some("All files have been downloaded."));
    lines.sort_unstable();
    assert_eq!(
        lines,
        [
            "Finished downloading file1.zip",
            "Finished downloading file2.zip",
            "Finished downloading file3.zip",
            "Starting download of file1.zip...",
            "Starting download of file2.zip...",
            "Starting download of file3.zip...",
        ]
    );
}

/// `--timeline`: every download waits for the server (at least the latency: the server holds each
/// answer that long) and then transfers; one after another, each wait starts only when the
/// previous download is done. The figures vary from run to run, so no snapshot holds them.
#[test]
fn the_timeline_shows_every_download_wait_then_transfer() {
    use course_support::timeline::{Activity, parse_tsv};
    let dir = tempfile::tempdir().unwrap();
    let figures = dir.path().join("timeline.tsv");
    let output = run_ok(
        "lesson-02",
        &[
            "--latency-ms",
            "30",
            "--timeline",
            figures.to_str().unwrap(),
        ],
    );
    assert_eq!(
        output
            .matches("Timeline (· waiting for the server, █ transferring):")
            .count(),
        3,
        "{output}"
    );
    // The file is rewritten after each part, and each time the lesson says where.
    let written = format!("Timeline written to {}\n", figures.display());
    assert_eq!(output.matches(&written).count(), 3, "{output}");
    let spans = parse_tsv(&fs::read_to_string(&figures).unwrap()).unwrap();
    let parts = [
        "one file after another",
        "one thread per file",
        "scoped threads return each result through the JoinHandle",
    ];
    for part in parts {
        let mut previous_end = 0.0;
        for file in ["file1.zip", "file2.zip", "file3.zip"] {
            let of = |activity| {
                let found: Vec<_> = spans
                    .iter()
                    .filter(|s| s.part == part && s.row == file && s.activity == activity)
                    .collect();
                assert_eq!(found.len(), 1, "{part}, {file}: {spans:?}");
                found[0].clone()
            };
            let (wait, work) = (of(Activity::Waiting), of(Activity::Working));
            assert!(
                wait.to - wait.from >= 0.030,
                "{part}, {file} waited less than the latency"
            );
            assert!(
                wait.to <= work.from && work.from <= work.to,
                "{part}, {file}: {spans:?}"
            );
            if part == parts[0] {
                assert!(
                    wait.from >= previous_end,
                    "one after another overlapped: {spans:?}"
                );
                previous_end = work.to;
            }
        }
    }
    let picture = dir.path().join("timeline.svg");
    run_ok(
        "lesson-02",
        &[
            "--latency-ms",
            "5",
            "--part",
            "threads",
            "--timeline",
            picture.to_str().unwrap(),
        ],
    );
    let svg = fs::read_to_string(&picture).unwrap();
    assert!(
        svg.starts_with("<svg") && svg.contains("one thread per file"),
        "{svg}"
    );
    assert_eq!(svg.matches(r#"class="row">file"#).count(), 3, "{svg}");
}

#[test]
fn a_timeline_file_that_is_neither_svg_nor_tsv_is_a_usage_error() {
    let message = run_usage_error("lesson-02", &["--timeline", "timeline.png"]);
    assert!(
        message.contains(".svg") && message.contains(".tsv"),
        "{message}"
    );
    let message = run_usage_error("lesson-02", &["--timeline", "/no/such/folder/t.svg"]);
    assert!(message.contains("does not exist"), "{message}");
}
