//! The checks of `at-most-k-tasks`. `cargo xtask verify at-most-k-tasks` runs them; they are
//! ignored by a plain `cargo test` so that the course's own test suite passes before you start.
//!
//! The URLs point at loopback HTTP servers that run inside this test program: the course's
//! `course_loopback::FileServer`, and [`TimedServer`] below. Both serve `file1.zip`,
//! `file2.zip`, … (known bytes), answer `404 Not Found` to anything else, make every answer
//! wait a latency before it starts, and see how many requests were waiting at the same moment.
//! [`TimedServer`] gives each file a latency of its own, and notes when each request came.
//!
//! Your function runs on a tokio runtime with a single thread: tasks that wait for a permit must
//! give that thread back (`.await`), or no other task can run.

use std::collections::HashMap;
use std::io::{BufRead, BufReader, Write};
use std::net::{Ipv4Addr, Shutdown, SocketAddr, TcpListener, TcpStream};
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::{Arc, Mutex, PoisonError, mpsc};
use std::thread;
use std::time::{Duration, Instant};

use course_checks::cpu::{self, SLEEPING_WAIT};
use course_checks::downloads::assert_results_in_order;
use course_loopback::{FileServer, file_contents, file_number};

use super::download_with_at_most;

/// How long every answer waits before it starts: the tasks allowed at once are all seen waiting
/// together.
const LATENCY: Duration = Duration::from_millis(300);

/// The latency of the slow files of [`a_slow_download_does_not_hold_up_the_others`], and of the
/// fast ones: while one slow answer waits, a window that slides gets through many fast ones.
const SLOW: Duration = Duration::from_millis(1200);
const FAST: Duration = Duration::from_millis(100);

/// The most of its time the runtime's thread may spend running tasks while they wait for
/// permits: a wait that sleeps runs them only when something happens (well under 1%); one that
/// checks again and again runs them a third of the time or more, even on a busy machine.
const RUNNING_WHILE_WAITING: f64 = 0.1;

/// How long a check waits for `download_with_at_most` to return; the slowest needs about 1.5 s.
const PATIENCE: Duration = Duration::from_secs(6);

/// Set once a call has not returned: the checks after it do not wait for another.
static NEVER_RETURNED: AtomicBool = AtomicBool::new(false);

/// What a call of `download_with_at_most` gave, and how long the runtime's thread spent running
/// tasks (rather than waiting for something to happen) out of the time the call took.
#[derive(Debug)]
struct Called {
    results: Vec<Result<Vec<u8>, String>>,
    busy: Duration,
    wall: Duration,
}

/// Runs `download_with_at_most(k, urls)` on a one-thread tokio runtime, on a thread of its own,
/// and waits for it at most [`PATIENCE`], so that a program that never ends fails with a message.
fn call_with_patience(k: usize, urls: Vec<String>) -> Vec<Result<Vec<u8>, String>> {
    call(k, urls).results
}

/// [`call_with_patience`], with how busy the runtime's thread was.
fn call(k: usize, urls: Vec<String>) -> Called {
    assert!(
        !NEVER_RETURNED.load(Ordering::SeqCst),
        "not tried: download_with_at_most did not return in the first check that failed"
    );
    let (done, result) = mpsc::channel();
    let started = Instant::now();
    let last_beat = Arc::new(AtomicU64::new(0));
    thread::Builder::new()
        .name("download-caller".to_string())
        .spawn({
            let last_beat = Arc::clone(&last_beat);
            move || {
                let runtime = tokio::runtime::Builder::new_current_thread()
                    .enable_all()
                    .build()
                    .expect("a tokio runtime");
                let called = Instant::now();
                let results = runtime.block_on(async {
                    tokio::spawn(heartbeat(last_beat, started));
                    download_with_at_most(k, &urls).await
                });
                let _ = done.send(Called {
                    results,
                    busy: runtime.metrics().worker_total_busy_duration(0),
                    wall: called.elapsed(),
                });
            }
        })
        .unwrap();
    match result.recv_timeout(PATIENCE) {
        Ok(called) => called,
        Err(mpsc::RecvTimeoutError::Timeout) => {
            NEVER_RETURNED.store(true, Ordering::SeqCst);
            let beat = Duration::from_millis(last_beat.load(Ordering::SeqCst));
            let blocked = started.elapsed().saturating_sub(beat);
            assert!(
                blocked <= BLOCKED,
                "download_with_at_most did not return within {PATIENCE:?}: the runtime's only \
                     thread has been blocked for the last {blocked:.1?}, so no other task could \
                     run. A task that waits without `.await` (a std `Mutex` or `Condvar`, \
                     `thread::sleep`, a loop that never gives the thread back) keeps the thread, \
                     and the task it waits for never runs. Wait with `semaphore.acquire().await`"
            );
            panic!(
                "download_with_at_most did not return within {PATIENCE:?}, though each download \
                 takes well under 2 s, and the runtime's thread was free: tasks are still \
                 waiting for permits that nobody gives back. A permit goes back when it is \
                 dropped: keep it (`let _permit = …`) until the download is done, then let it go \
                 (do not `forget` it)"
            )
        }
        Err(mpsc::RecvTimeoutError::Disconnected) => {
            panic!("download_with_at_most panicked (see the message of thread 'download-caller')")
        }
    }
}

/// How long the runtime's thread may go without a beat of [`heartbeat`] before it counts as
/// blocked: its beats come every 20 ms while the thread is free.
const BLOCKED: Duration = Duration::from_secs(1);

/// Notes, every 20 ms, the time since `started` in `last_beat`: so long as the runtime's thread is
/// free to run its tasks. When the beats stop, something holds the thread.
async fn heartbeat(last_beat: Arc<AtomicU64>, started: Instant) {
    loop {
        let now = u64::try_from(started.elapsed().as_millis()).unwrap_or(u64::MAX);
        last_beat.store(now, Ordering::SeqCst);
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
}

fn names(count: u32) -> Vec<String> {
    (1..=count).map(|n| format!("file{n}.zip")).collect()
}

/// One request as [`TimedServer`] saw it: the file asked for, when the request came, and when
/// its answer started (after the file's latency).
#[derive(Debug, Clone)]
struct Visit {
    name: String,
    arrived: Instant,
    answered: Instant,
}

impl Visit {
    /// Whether the two requests were waiting for their answers at the same moment.
    fn overlaps(&self, other: &Visit) -> bool {
        self.arrived < other.answered && other.arrived < self.answered
    }
}

/// A loopback HTTP server, a thread per connection, that serves the course's files after a
/// latency of each file's own (`latencies`, or `otherwise`), and notes every request.
#[derive(Debug)]
struct TimedServer {
    address: SocketAddr,
    visits: Arc<Mutex<Vec<Visit>>>,
    stopped: Arc<AtomicBool>,
}

impl TimedServer {
    fn start(latencies: HashMap<String, Duration>, otherwise: Duration) -> TimedServer {
        let listener = TcpListener::bind((Ipv4Addr::LOCALHOST, 0)).unwrap();
        let address = listener.local_addr().unwrap();
        let visits = Arc::new(Mutex::new(Vec::new()));
        let stopped = Arc::new(AtomicBool::new(false));
        let latencies = Arc::new(latencies);
        thread::spawn({
            let (visits, stopped) = (Arc::clone(&visits), Arc::clone(&stopped));
            move || {
                for stream in listener.incoming() {
                    if stopped.load(Ordering::SeqCst) {
                        break;
                    }
                    let Ok(stream) = stream else { continue };
                    let (visits, latencies) = (Arc::clone(&visits), Arc::clone(&latencies));
                    thread::spawn(move || serve(&stream, &latencies, otherwise, &visits));
                }
            }
        });
        TimedServer {
            address,
            visits,
            stopped,
        }
    }

    fn url(&self, name: &str) -> String {
        format!("http://{}/{name}", self.address)
    }

    fn visits(&self) -> Vec<Visit> {
        self.visits
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .clone()
    }

    /// The most requests that were waiting for their answers at the same moment.
    fn max_concurrent_requests(&self) -> usize {
        let mut moments: Vec<(Instant, i32)> = Vec::new();
        for visit in self.visits() {
            moments.push((visit.arrived, 1));
            moments.push((visit.answered, -1));
        }
        // At the same instant, an answer that starts counts out before a request counts in.
        moments.sort();
        let (mut now, mut most) = (0, 0);
        for (_, step) in moments {
            now += step;
            most = most.max(now);
        }
        usize::try_from(most).unwrap_or(0)
    }
}

impl Drop for TimedServer {
    fn drop(&mut self) {
        self.stopped.store(true, Ordering::SeqCst);
        // `accept` waits for a client: connect once to wake it up.
        let _ = TcpStream::connect_timeout(&self.address, Duration::from_secs(1));
    }
}

/// Serves one request: reads its head, waits the file's latency, notes the visit, answers.
fn serve(
    stream: &TcpStream,
    latencies: &HashMap<String, Duration>,
    otherwise: Duration,
    visits: &Mutex<Vec<Visit>>,
) {
    let _ = stream.set_read_timeout(Some(Duration::from_secs(10)));
    let _ = stream.set_write_timeout(Some(Duration::from_secs(10)));
    let mut reader = BufReader::new(stream);
    let mut request_line = String::new();
    if reader.read_line(&mut request_line).unwrap_or(0) == 0 {
        return;
    }
    let mut line = String::new();
    while reader.read_line(&mut line).is_ok_and(|read| read > 2) {
        line.clear(); // the headers, up to the empty line
    }
    let arrived = Instant::now();
    let name = request_line
        .split_whitespace()
        .nth(1)
        .unwrap_or("")
        .trim_start_matches('/')
        .to_string();
    thread::sleep(latencies.get(&name).copied().unwrap_or(otherwise));
    let answered = Instant::now();
    let (status, body) = if file_number(&name).is_some() {
        ("200 OK", file_contents(&name))
    } else {
        ("404 Not Found", b"not found\n".to_vec())
    };
    visits
        .lock()
        .unwrap_or_else(PoisonError::into_inner)
        .push(Visit {
            name,
            arrived,
            answered,
        });
    let mut stream = stream;
    let head = format!(
        "HTTP/1.1 {status}\r\nContent-Length: {}\r\nConnection: close\r\n\r\n",
        body.len()
    );
    if stream.write_all(head.as_bytes()).is_ok() && stream.write_all(&body).is_ok() {
        let _ = stream.flush();
        let _ = stream.shutdown(Shutdown::Write);
    }
}

#[test]
#[ignore = "checked by cargo xtask verify"]
fn a_slow_download_does_not_hold_up_the_others() {
    // Two slow files, first and last, and fast ones between: a slot freed by a fast download
    // must go to the next URL at once, while the slow one still waits.
    let mut names = names(8);
    names.insert(7, "missing.zip".to_string());
    let slow = [names[0].clone(), names[8].clone()];
    let server = TimedServer::start(slow.iter().map(|name| (name.clone(), SLOW)).collect(), FAST);
    let urls = names.iter().map(|name| server.url(name)).collect();
    let results = call_with_patience(3, urls);
    let together = server.max_concurrent_requests();
    assert!(
        together <= 3,
        "{together} downloads ran at once, the limit is 3: a task may download only while it \
         holds one of the k permits"
    );
    assert_results_in_order(&results, &names, |_| true);
    assert_all_k_used(together, 3);
    let visits = server.visits();
    let (slowest, beside) = visits
        .iter()
        .filter(|visit| slow.contains(&visit.name))
        .map(|slow| {
            let others = visits
                .iter()
                .filter(|other| other.name != slow.name && other.overlaps(slow))
                .count();
            (slow.name.clone(), others)
        })
        .max_by_key(|(_, others)| *others)
        .expect("the server saw the slow downloads");
    assert!(
        beside >= 3,
        "while the slow download of {slowest} waited ({SLOW:?}), only {beside} other downloads \
         ran beside it, though the limit is 3 and each of the others takes {FAST:?}: the \
         downloads went in waves. A download must start as soon as any one of the 3 ends, not \
         when a whole group (or the oldest of the group) has ended. Let every task wait for a \
         permit of its own (`Semaphore`), or keep 3 going and start the next one each time \
         `join_next` gives one back"
    );
}

#[test]
#[ignore = "checked by cargo xtask verify"]
fn more_permits_than_urls_lets_every_download_go_at_once() {
    let server = FileServer::start(LATENCY).unwrap();
    let names = names(4);
    let urls = names.iter().map(|name| server.url(name)).collect();
    let results = call_with_patience(10, urls);
    assert_results_in_order(&results, &names, |_| true);
    let together = server.max_concurrent_requests();
    assert_eq!(
        together, 4,
        "{together} of the 4 downloads ran at once, though 10 are allowed: the tasks share \
         k permits (here 10), and each one may download as soon as it holds one"
    );
}

#[test]
#[ignore = "checked by cargo xtask verify"]
fn no_urls_give_no_results() {
    let results = call_with_patience(2, Vec::new());
    assert!(
        results.is_empty(),
        "no URLs must give no results, not {}",
        results.len()
    );
}

#[test]
#[ignore = "checked by cargo xtask verify"]
fn one_permit_means_one_download_at_a_time_and_the_others_sleep() {
    let server = FileServer::start(LATENCY).unwrap();
    let names = names(4);
    let urls = names.iter().map(|name| server.url(name)).collect();
    let (called, cost) = cpu::measure(|| call(1, urls));
    let together = server.max_concurrent_requests();
    assert_eq!(
        together, 1,
        "{together} downloads ran at once, the limit is 1"
    );
    // Two views of a wait that does not sleep: the CPU time it burns (which a busy machine
    // shares out), and the time the runtime's thread spends running tasks rather than waiting
    // for an event (which a busy machine does not shrink).
    let running = called.busy.as_secs_f64() / called.wall.as_secs_f64().max(1e-9);
    assert!(
        cost.cores_busy() < SLEEPING_WAIT && running < RUNNING_WHILE_WAITING,
        "while 3 tasks waited for their turn, the runtime's thread kept running tasks for {:.1?} \
         of {:.1?} ({:.0}%), and the program used {:?} of CPU time: a task that waits checks \
         again and again instead of sleeping. Wait with `permits.acquire().await`, which \
         sleeps until a permit is given back, not with a loop around `yield_now` (or any \
         other check of a counter)",
        called.busy,
        called.wall,
        running * 100.0,
        cost.cpu
    );
    let results = called.results;
    assert_results_in_order(&results, &names, |_| true);
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
    assert_results_in_order(&results, &names, |_| true);
    assert_all_k_used(together, 3);
}

/// Checks that `k` downloads ran at once at some moment, when `together` did.
fn assert_all_k_used(together: usize, k: usize) {
    assert_eq!(
        together, k,
        "the downloads ran only {together} at a time, though {k} are allowed: let {k} tasks \
         download together, each holding a permit, and give a permit back as soon as its \
         download is done (a lock held for a whole download lets only one go)"
    );
}
