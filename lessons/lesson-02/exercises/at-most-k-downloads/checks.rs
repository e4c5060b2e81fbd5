//! The checks of `at-most-k-downloads`. `cargo xtask verify at-most-k-downloads` runs them; they
//! are ignored by a plain `cargo test` so that the course's own test suite passes before you start.
//!
//! The URLs point at a loopback HTTP server that runs inside this test program
//! (`course_loopback::FileServer`): it serves `file1.zip`, `file2.zip`, … (known bytes),
//! answers `404 Not Found` to anything else, makes every answer wait a latency before it starts,
//! and counts how many requests were waiting at the same moment. One check reads your file
//! instead: a number taken from a shared counter in two steps cannot be caught by a run.

use std::collections::HashMap;
use std::fs;
use std::sync::{PoisonError, RwLock, mpsc};
use std::thread;
use std::time::{Duration, Instant};

use course_checks::source::counter_read_apart_from_its_update;
use course_loopback::FileServer;

use super::download_with_at_most;

use course_checks::lesson_02::{TRAP, agent, assert_results_in_order};

/// How long every answer waits before it starts. Starting a few threads takes microseconds, so
/// downloads that really run at the same time are all seen waiting together.
const LATENCY: Duration = Duration::from_millis(300);

/// How long a check waits for `download_with_at_most` to return; the slowest check needs about
/// one second.
const PATIENCE: Duration = Duration::from_secs(3);

/// The checks run side by side, except the one that counts this program's threads: it runs
/// alone, so that the only new threads it sees are those of `download_with_at_most`.
static THREAD_COUNT: RwLock<()> = RwLock::new(());

/// Calls `download_with_at_most(k, …, urls)` on a thread named `download-caller` and waits for it
/// at most [`PATIENCE`], so that a pool that never ends fails with a message instead of hanging.
fn call_with_patience(k: usize, urls: Vec<String>) -> Vec<Result<Vec<u8>, ureq::Error>> {
    let (done, result) = mpsc::channel();
    thread::Builder::new()
        .name("download-caller".to_string())
        .spawn(move || {
            let _ = done.send(download_with_at_most(k, &agent(), &urls));
        })
        .unwrap();
    match result.recv_timeout(PATIENCE) {
        Ok(results) => results,
        Err(mpsc::RecvTimeoutError::Timeout) => panic!(
            "download_with_at_most did not return within {PATIENCE:?}, though each download \
             takes well under a second: its threads are waiting for something that never comes. \
             Either the workers wait for a URL after the last one (drop the sending end of the \
             channel once every URL is in it: then `recv()` returns `Err` when the channel is \
             empty, and their loops end), or they wait for each other (a lock that one of them \
             never lets go, or one taken twice)"
        ),
        Err(mpsc::RecvTimeoutError::Disconnected) => {
            panic!("download_with_at_most panicked (see the message of thread 'download-caller')")
        }
    }
}

#[test]
#[ignore = "checked by cargo xtask verify"]
fn three_workers_download_three_files_at_a_time() {
    let _side_by_side = THREAD_COUNT.read().unwrap_or_else(PoisonError::into_inner);
    let server = FileServer::start(LATENCY).unwrap();
    let names: Vec<String> = (1..=8).map(|n| format!("file{n}.zip")).collect();
    let names: Vec<&str> = names.iter().map(String::as_str).collect();
    let urls = names.iter().map(|name| server.url(name)).collect();
    let results = call_with_patience(3, urls);
    assert_results_in_order(&results, &names);
    // A worker sends its next request only after the whole answer to its last one has arrived,
    // so 3 workers never have more than 3 requests waiting; and the 3 first requests all wait
    // out the latency together, so 3 workers are seen at work together.
    let together = server.max_concurrent_requests();
    assert!(
        together <= 3,
        "{together} downloads ran at once, the limit is 3: start 3 workers that share the URLs, \
         not a thread per URL"
    );
    assert!(
        together > 1,
        "only one download ran at a time, though the limit is 3. Either each worker is \
         joined before the next one starts ({TRAP}), or a worker holds the lock on the \
         receiver while it downloads: take the lock only to receive a URL (the guard of \
         `jobs.lock().unwrap().recv()` in a `let` statement of its own is dropped at the end \
         of that statement), then download"
    );
    assert_eq!(
        together, 3,
        "only {together} downloads ran at the same time, though the limit is 3 and there were 8 \
         URLs: start all 3 workers before you wait for any of them. {TRAP}"
    );
}

#[test]
#[ignore = "checked by cargo xtask verify"]
fn the_results_keep_the_order_of_the_urls() {
    let _side_by_side = THREAD_COUNT.read().unwrap_or_else(PoisonError::into_inner);
    // The first URL is on a slow server, the others on a fast one: while one worker waits for
    // the first file, the other downloads all the rest, and the first body arrives last.
    let slow = FileServer::start(Duration::from_millis(800)).unwrap();
    let fast = FileServer::start(Duration::from_millis(50)).unwrap();
    let names = ["file1.zip", "file2.zip", "file3.zip", "file4.zip"];
    let urls = names
        .iter()
        .enumerate()
        .map(|(index, name)| {
            if index == 0 {
                slow.url(name)
            } else {
                fast.url(name)
            }
        })
        .collect();
    let results = call_with_patience(2, urls);
    assert_results_in_order(&results, &names);
}

#[test]
#[ignore = "checked by cargo xtask verify"]
fn a_failed_download_keeps_its_place() {
    let _side_by_side = THREAD_COUNT.read().unwrap_or_else(PoisonError::into_inner);
    let server = FileServer::start(Duration::from_millis(20)).unwrap();
    let names = ["file1.zip", "missing.zip", "file2.zip", "file3.zip"];
    let urls = names.iter().map(|name| server.url(name)).collect();
    let results = call_with_patience(2, urls);
    assert_results_in_order(&results, &names);
}

#[test]
#[ignore = "checked by cargo xtask verify"]
fn no_urls_give_no_results() {
    let _side_by_side = THREAD_COUNT.read().unwrap_or_else(PoisonError::into_inner);
    assert!(call_with_patience(3, Vec::new()).is_empty());
}

#[test]
#[ignore = "checked by cargo xtask verify"]
fn every_worker_has_ended_when_the_function_returns() {
    let _alone = THREAD_COUNT.write().unwrap_or_else(PoisonError::into_inner);
    let server = FileServer::start(Duration::from_millis(50)).unwrap();
    let names = ["file1.zip", "file2.zip", "file3.zip", "file4.zip"];
    let urls = names.iter().map(|name| server.url(name)).collect();
    let before = threads();
    let results = call_with_patience(3, urls);
    assert_results_in_order(&results, &names);
    let Some(before) = before else {
        return; // No `/proc/self/task` on this system: the threads cannot be counted here.
    };
    // A thread that was joined can stay listed for a moment while the system removes it, so
    // allow a little time; a worker that is still running after that will not end.
    let linger = Duration::from_secs(2);
    let deadline = Instant::now() + linger;
    loop {
        let left: Vec<String> = threads()
            .unwrap_or_default()
            .into_iter()
            .filter(|(id, name)| {
                !before.contains_key(id)
                    // The test threads of this program, and the server's.
                    && !name.starts_with("checks::")
                    && !name.starts_with("loopback-")
            })
            .map(|(id, name)| format!("{name} ({id})"))
            .collect();
        if left.is_empty() {
            break;
        }
        assert!(
            Instant::now() < deadline,
            "{} thread(s) started by download_with_at_most were still running {linger:?} after \
             it returned: {}. Join every worker before you return (a `thread::scope` does it for \
             you), and make sure each worker's loop ends when the channel is empty",
            left.len(),
            left.join(", ")
        );
        thread::sleep(Duration::from_millis(10));
    }
}

#[test]
#[ignore = "checked by cargo xtask verify"]
fn each_worker_takes_its_number_in_one_step() {
    // Workers that share a counter of the next URL must each get a number no other gets. Add
    // one, then read the counter, and two workers can read the same number; but the moment
    // between the two steps is too short for the server to hold open, so the file is read.
    let file = course_checks::file_under_check!();
    if let Some(two_steps) = counter_read_apart_from_its_update(&file.text) {
        panic!("{}", two_steps.explain(&file.path));
    }
}

/// The threads of this program, by id, with their names (on Linux, `/proc/self/task`); `None`
/// on a system without it. An unnamed thread has the name of the thread that started it.
fn threads() -> Option<HashMap<u32, String>> {
    let tasks = fs::read_dir("/proc/self/task").ok()?;
    Some(
        tasks
            .filter_map(Result::ok)
            .filter_map(|task| {
                let id = task.file_name().to_str()?.parse().ok()?;
                let name = fs::read_to_string(task.path().join("comm")).ok()?;
                Some((id, name.trim_end().to_string()))
            })
            .collect(),
    )
}
