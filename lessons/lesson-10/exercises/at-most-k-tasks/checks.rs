//! The checks of `at-most-k-tasks`. `cargo xtask verify at-most-k-tasks` runs them; they are
//! ignored by a plain `cargo test` so that the course's own test suite passes before you start.
//!
//! The URLs point at a loopback HTTP server that runs inside this test program
//! (`course_loopback::FileServer`): it serves `file1.zip`, `file2.zip`, … (known bytes), answers
//! `404 Not Found` to anything else, makes every answer wait a latency before it starts, and
//! counts how many requests were waiting at the same moment.
//!
//! Your function runs on a tokio runtime with a single thread: tasks that wait for a permit must
//! give that thread back (`.await`), or no other task can run.

use std::sync::mpsc;
use std::thread;
use std::time::Duration;

use course_loopback::{FileServer, file_contents, file_number};

use super::download_with_at_most;

/// How long every answer waits before it starts: the tasks allowed at once are all seen waiting
/// together.
const LATENCY: Duration = Duration::from_millis(300);

/// How long a check waits for `download_with_at_most` to return; the slowest needs about one
/// second.
const PATIENCE: Duration = Duration::from_secs(5);

/// Runs `download_with_at_most(k, urls)` on a one-thread tokio runtime, on a thread of its own,
/// and waits for it at most [`PATIENCE`], so that a program that never ends fails with a message.
fn call_with_patience(k: usize, urls: Vec<String>) -> Vec<Result<Vec<u8>, String>> {
    let (done, result) = mpsc::channel();
    thread::Builder::new()
        .name("download-caller".to_string())
        .spawn(move || {
            let runtime = tokio::runtime::Builder::new_current_thread()
                .enable_all()
                .build()
                .expect("a tokio runtime");
            let _ = done.send(runtime.block_on(download_with_at_most(k, &urls)));
        })
        .unwrap();
    match result.recv_timeout(PATIENCE) {
        Ok(results) => results,
        Err(mpsc::RecvTimeoutError::Timeout) => panic!(
            "download_with_at_most did not return within {PATIENCE:?}, though each download takes \
             well under a second. On a runtime with one thread, a task that waits without \
             `.await` (a std `Mutex` or `Condvar`, `thread::sleep`, a loop that checks a counter) \
             keeps the thread, and the task it waits for can never run. Wait with \
             `semaphore.acquire().await`, and make sure every permit is given back (dropped) when \
             its download is done"
        ),
        Err(mpsc::RecvTimeoutError::Disconnected) => {
            panic!("download_with_at_most panicked (see the message of thread 'download-caller')")
        }
    }
}

/// Checks that `results` hold, in order, the body of each name, or an error for a name the
/// server does not serve.
fn assert_results_in_order(results: &[Result<Vec<u8>, String>], names: &[String]) {
    assert_eq!(
        results.len(),
        names.len(),
        "{} URLs must give {} results",
        names.len(),
        names.len()
    );
    for (number, (result, name)) in results.iter().zip(names).enumerate() {
        let served = file_number(name).is_some();
        let right = match result {
            Ok(body) => served && *body == file_contents(name),
            Err(_) => !served,
        };
        assert!(
            right,
            "result {number} should be {}, but it is {}: the results must be in the order of the \
             URLs, whatever order the downloads finish in",
            if served {
                format!("the body of {name}")
            } else {
                format!("an error (the server has no {name})")
            },
            match result {
                Ok(body) => format!("{} bytes", body.len()),
                Err(error) => format!("an error ({error})"),
            }
        );
    }
}

fn names(count: u32) -> Vec<String> {
    (1..=count).map(|n| format!("file{n}.zip")).collect()
}

#[test]
#[ignore = "checked by cargo xtask verify"]
fn three_at_a_time_in_the_order_of_the_urls() {
    let server = FileServer::start(LATENCY).unwrap();
    let mut names = names(7);
    names.insert(4, "missing.zip".to_string());
    let urls = names.iter().map(|name| server.url(name)).collect();
    let results = call_with_patience(3, urls);
    let together = server.max_concurrent_requests();
    assert!(
        together <= 3,
        "{together} downloads ran at once, the limit is 3: a task may download only while it \
         holds one of the k permits"
    );
    assert_results_in_order(&results, &names);
    assert_eq!(
        together, 3,
        "at most {together} downloads ran at once, though 3 are allowed: let 3 tasks download \
         together, each holding a permit, and give a permit back as soon as its download is done"
    );
}

#[test]
#[ignore = "checked by cargo xtask verify"]
fn one_permit_means_one_download_at_a_time() {
    let server = FileServer::start(LATENCY / 3).unwrap();
    let names = names(4);
    let urls = names.iter().map(|name| server.url(name)).collect();
    let results = call_with_patience(1, urls);
    let together = server.max_concurrent_requests();
    assert_eq!(
        together, 1,
        "{together} downloads ran at once, the limit is 1"
    );
    assert_results_in_order(&results, &names);
}

#[test]
#[ignore = "checked by cargo xtask verify"]
fn more_permits_than_urls_lets_every_download_go_at_once() {
    let server = FileServer::start(LATENCY).unwrap();
    let names = names(4);
    let urls = names.iter().map(|name| server.url(name)).collect();
    let results = call_with_patience(10, urls);
    assert_results_in_order(&results, &names);
    let together = server.max_concurrent_requests();
    assert_eq!(
        together, 4,
        "{together} of the 4 downloads ran at once, though 10 are allowed"
    );
}
