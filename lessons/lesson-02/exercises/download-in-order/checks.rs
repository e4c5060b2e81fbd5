//! The checks of `download-in-order`. `cargo xtask verify download-in-order` runs them; they are
//! ignored by a plain `cargo test` so that the course's own test suite passes before you start.
//!
//! The URLs point at a loopback HTTP server that runs inside this test program
//! (`course_loopback::FileServer`): it serves `file1.zip`, `file2.zip`, … (known bytes),
//! answers `404 Not Found` to anything else, makes every answer wait a latency before it starts,
//! and counts how many requests were waiting at the same moment.

use std::time::{Duration, Instant};

use course_loopback::FileServer;

use super::download_all_at_once;

use course_checks::lesson_02::{TRAP, agent, assert_results_in_order};

/// How long every answer waits before it starts. Starting a few threads takes microseconds, so
/// downloads that really run at the same time are all seen waiting together.
const LATENCY: Duration = Duration::from_millis(300);

#[test]
#[ignore = "checked by cargo xtask verify"]
fn every_download_waits_for_the_server_at_the_same_time() {
    let server = FileServer::start(LATENCY).unwrap();
    let names = ["file1.zip", "file2.zip", "file3.zip", "file4.zip"];
    let urls: Vec<String> = names.iter().map(|name| server.url(name)).collect();
    let started = Instant::now();
    let results = download_all_at_once(&agent(), &urls);
    let took = started.elapsed();
    assert_results_in_order(&results, &names);
    // The server counted the requests that were waiting for their answer at the same moment.
    let together = server.max_concurrent_requests();
    assert!(
        together > 1,
        "the downloads ran one after another: the server never saw more than one request at a \
         time, and {} files took {took:.1?} where each answer waits {LATENCY:?}. Start a thread \
         for every URL before you join any of them. {TRAP}",
        names.len()
    );
    assert_eq!(
        together,
        names.len(),
        "only {together} of the {} downloads ran at the same time: start a thread for every URL \
         before you join any of them. {TRAP}",
        names.len()
    );
}

#[test]
#[ignore = "checked by cargo xtask verify"]
fn the_slowest_download_still_comes_first() {
    // The first URL is on a slow server, the others on a fast one: the first download finishes
    // last, by far, and its body must still come first.
    let slow = FileServer::start(Duration::from_millis(800)).unwrap();
    let fast = FileServer::start(Duration::from_millis(50)).unwrap();
    let names = ["file1.zip", "file2.zip", "file3.zip"];
    let urls = vec![
        slow.url("file1.zip"),
        fast.url("file2.zip"),
        fast.url("file3.zip"),
    ];
    let results = download_all_at_once(&agent(), &urls);
    assert_results_in_order(&results, &names);
}

#[test]
#[ignore = "checked by cargo xtask verify"]
fn a_failed_download_keeps_its_place() {
    let server = FileServer::start(Duration::from_millis(20)).unwrap();
    let names = ["file1.zip", "missing.zip", "file2.zip"];
    let urls: Vec<String> = names.iter().map(|name| server.url(name)).collect();
    let results = download_all_at_once(&agent(), &urls);
    assert_results_in_order(&results, &names);
}

#[test]
#[ignore = "checked by cargo xtask verify"]
fn no_urls_give_no_results() {
    assert!(download_all_at_once(&agent(), &[]).is_empty());
}
