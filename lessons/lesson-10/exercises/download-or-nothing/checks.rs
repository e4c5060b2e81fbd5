//! The checks of `download-or-nothing`. `cargo xtask verify download-or-nothing` runs them; they
//! are ignored by a plain `cargo test` so that the course's own test suite passes before you start.
//!
//! Two servers run inside this test program: the course's loopback HTTP server
//! (`course_loopback::FileServer`, which serves `file1.zip`, … after a short latency and answers
//! `404 Not Found` to anything else), and one that sends the first half of `file1.zip` at once,
//! then stalls for [`STALL`] before it sends the rest.

use std::fs;
use std::io::{BufRead, BufReader, Write};
use std::net::{Ipv4Addr, TcpListener};
use std::path::{Path, PathBuf};
use std::sync::mpsc;
use std::thread;
use std::time::{Duration, Instant};

use course_loopback::{FileServer, file_contents};

use super::download_or_nothing;

/// How long the stalling server waits before it sends the second half.
const STALL: Duration = Duration::from_secs(3);

/// The deadline the checks give a download that stalls.
const DEADLINE: Duration = Duration::from_millis(300);

/// How long a check waits for `download_or_nothing` to return.
const PATIENCE: Duration = Duration::from_millis(1500);

/// Runs `download_or_nothing(url, dir, name, deadline)` on a one-thread tokio runtime, on a
/// thread of its own; `None` if it has not returned within `patience`.
fn call(
    url: String,
    dir: PathBuf,
    deadline: Duration,
    patience: Duration,
) -> Option<Result<(), String>> {
    let (done, result) = mpsc::channel();
    thread::Builder::new()
        .name("download-caller".to_string())
        .spawn(move || {
            let runtime = tokio::runtime::Builder::new_current_thread()
                .enable_all()
                .build()
                .expect("a tokio runtime");
            let downloaded =
                runtime.block_on(download_or_nothing(&url, &dir, "file1.zip", deadline));
            let _ = done.send(downloaded);
        })
        .unwrap();
    match result.recv_timeout(patience) {
        Ok(downloaded) => Some(downloaded),
        Err(mpsc::RecvTimeoutError::Timeout) => None,
        Err(mpsc::RecvTimeoutError::Disconnected) => {
            panic!("download_or_nothing panicked (see the message of thread 'download-caller')")
        }
    }
}

/// What is in `dir`, in words: "nothing", or the names with their sizes.
fn left_in(dir: &Path) -> String {
    let mut names: Vec<String> = fs::read_dir(dir)
        .unwrap()
        .map(|entry| {
            let entry = entry.unwrap();
            let size = entry.metadata().map_or(0, |metadata| metadata.len());
            format!("{} ({size} bytes)", entry.file_name().to_string_lossy())
        })
        .collect();
    names.sort();
    if names.is_empty() {
        "nothing".to_string()
    } else {
        names.join(", ")
    }
}

/// A server that answers one request for `file1.zip` with its first half, then, after
/// [`STALL`], the rest. Returns its URL.
fn start_stalling_server() -> String {
    let listener = TcpListener::bind((Ipv4Addr::LOCALHOST, 0)).unwrap();
    let url = format!("http://{}/file1.zip", listener.local_addr().unwrap());
    thread::spawn(move || {
        let Ok((stream, _)) = listener.accept() else {
            return;
        };
        let mut reader = BufReader::new(stream.try_clone().unwrap());
        let mut line = String::new();
        while reader.read_line(&mut line).is_ok_and(|read| read > 2) {
            line.clear(); // the request line and headers, up to the empty line
        }
        let body = file_contents("file1.zip");
        let mut stream = stream;
        let head = format!(
            "HTTP/1.1 200 OK\r\nContent-Length: {}\r\nConnection: close\r\n\r\n",
            body.len()
        );
        let (first, second) = body.split_at(body.len() / 2);
        if stream.write_all(head.as_bytes()).is_err() || stream.write_all(first).is_err() {
            return;
        }
        let _ = stream.flush();
        thread::sleep(STALL);
        let _ = stream.write_all(second);
    });
    url
}

#[test]
#[ignore = "checked by cargo xtask verify"]
fn a_download_in_time_is_whole_under_its_name() {
    let server = FileServer::start(Duration::from_millis(50)).unwrap();
    let dir = tempfile::tempdir().unwrap();
    let downloaded = call(
        server.url("file1.zip"),
        dir.path().to_path_buf(),
        Duration::from_secs(5),
        Duration::from_secs(5),
    )
    .expect("download_or_nothing did not return within 5 s, though the file comes in 50 ms");
    assert_eq!(
        downloaded,
        Ok(()),
        "the file comes in 50 ms and the deadline is 5 s: the download must succeed"
    );
    let bytes = fs::read(dir.path().join("file1.zip")).unwrap_or_default();
    assert!(
        bytes == file_contents("file1.zip"),
        "after a download in time, the folder must hold the whole file1.zip; it holds: {}",
        left_in(dir.path())
    );
    assert_eq!(
        left_in(dir.path()),
        format!("file1.zip ({} bytes)", bytes.len()),
        "after a download in time, the folder must hold file1.zip and nothing else"
    );
}

#[test]
#[ignore = "checked by cargo xtask verify"]
fn a_stalled_download_is_given_up_at_its_deadline_and_leaves_nothing() {
    let url = start_stalling_server();
    let dir = tempfile::tempdir().unwrap();
    let started = Instant::now();
    let Some(downloaded) = call(url, dir.path().to_path_buf(), DEADLINE, PATIENCE) else {
        panic!(
            "the download did not give up: the server stalled half way, the deadline was \
             {DEADLINE:?}, and download_or_nothing had not returned after {PATIENCE:?}. Wrap the \
             whole download (the request and every chunk) in `tokio::time::timeout(deadline, …)`"
        );
    };
    assert!(
        downloaded.is_err(),
        "a download given up at its deadline must return an error, not Ok (after {:?})",
        started.elapsed()
    );
    assert_eq!(
        left_in(dir.path()),
        "nothing",
        "a download given up must leave nothing behind. Write into a temporary file in the same \
         folder (`tempfile::NamedTempFile::new_in(dir)`), which deletes itself when it is dropped \
         (a cancelled future drops everything it holds), and `persist` it under its name only \
         once the whole file is in"
    );
}

#[test]
#[ignore = "checked by cargo xtask verify"]
fn a_failed_download_leaves_nothing() {
    let server = FileServer::start(Duration::from_millis(50)).unwrap();
    let dir = tempfile::tempdir().unwrap();
    let downloaded = call(
        server.url("missing.zip"),
        dir.path().to_path_buf(),
        Duration::from_secs(5),
        Duration::from_secs(5),
    )
    .expect("download_or_nothing did not return within 5 s, though the server answers in 50 ms");
    assert!(
        downloaded.is_err(),
        "the server answers 404 Not Found: the download must return an error"
    );
    assert_eq!(
        left_in(dir.path()),
        "nothing",
        "a download that fails must leave nothing behind: create the file only once the server \
         has answered, or better, write into a temporary file that is named only when whole"
    );
}
