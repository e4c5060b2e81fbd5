//! The checks of `graceful-shutdown`. `cargo xtask verify graceful-shutdown` runs them; they are
//! ignored by a plain `cargo test` so that the course's own test suite passes before you start.
//!
//! Each check draws its requests per run: clients connect to 127.0.0.1 and send how many
//! milliseconds of work they ask for before your server starts (they wait in the listener's
//! queue). Your server runs on a tokio runtime with one thread and a paused clock, so every time
//! below is exact. The checks' own `answer` notes when it starts, finishes, or is dropped
//! unfinished (aborted). At the shutdown a new client tries to connect: it must be refused.

use std::io::{Read, Write};
use std::net::{Ipv4Addr, SocketAddr};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, mpsc};
use std::thread;
use std::time::Duration;

use course_checks::seeded::Seeded;
use tokio::io::{AsyncBufReadExt, AsyncWriteExt, BufReader};
use tokio::net::{TcpListener, TcpStream};
use tokio_util::sync::CancellationToken;

use super::serve;

/// How long a check waits, in real time, for `serve` to return.
const PATIENCE: Duration = Duration::from_secs(10);

/// When the checks cancel the shutdown token, on tokio's clock.
const SHUTDOWN_AT: Duration = Duration::from_millis(50);

/// What the checks' answers saw.
#[derive(Debug, Default)]
struct Seen {
    running: AtomicUsize,
    finished: AtomicUsize,
    aborted: AtomicUsize,
}

/// Counts an answer as running until dropped; dropped unfinished, it counts as aborted.
struct Alive(Arc<Seen>, bool);

impl Drop for Alive {
    fn drop(&mut self) {
        self.0.running.fetch_sub(1, Ordering::SeqCst);
        if !self.1 {
            self.0.aborted.fetch_add(1, Ordering::SeqCst);
        }
    }
}

/// The checks' answer: reads a number of milliseconds, works that long, says `done`.
async fn answer(mut stream: TcpStream, seen: Arc<Seen>) {
    seen.running.fetch_add(1, Ordering::SeqCst);
    let mut alive = Alive(Arc::clone(&seen), false);
    let mut request = String::new();
    if BufReader::new(&mut stream)
        .read_line(&mut request)
        .await
        .is_err()
    {
        alive.1 = true;
        return;
    }
    let millis: u64 = request.trim().parse().unwrap_or(0);
    tokio::time::sleep(Duration::from_millis(millis)).await;
    let _ = stream.write_all(b"done\n").await;
    seen.finished.fetch_add(1, Ordering::SeqCst);
    alive.1 = true;
}

/// What a run saw.
#[derive(Debug)]
struct Outcome {
    /// When `serve` returned, on tokio's clock, since the start.
    returned_at: Duration,
    /// Whether the connection tried at the shutdown was refused.
    refused: bool,
    /// Answers still running when `serve` returned.
    running_at_return: usize,
    finished: usize,
    aborted: usize,
    /// What each client read, in the order of `works`.
    answers: Vec<String>,
}

fn run(works: &[u64], deadline: Duration) -> Outcome {
    let listener = std::net::TcpListener::bind((Ipv4Addr::LOCALHOST, 0)).expect("a listener");
    let address = listener.local_addr().expect("its address");
    let mut clients = Vec::new();
    for millis in works {
        let mut client = std::net::TcpStream::connect(address).expect("the queue takes it");
        client
            .set_read_timeout(Some(PATIENCE))
            .expect("a read time-out");
        writeln!(client, "{millis}").expect("the request is sent");
        clients.push(client);
    }
    let (done, outcome) = mpsc::channel();
    thread::Builder::new()
        .name("serve".to_string())
        .spawn(move || {
            let runtime = tokio::runtime::Builder::new_current_thread()
                .enable_all()
                .start_paused(true)
                .build()
                .expect("a tokio runtime");
            let outcome = runtime.block_on(async move {
                listener.set_nonblocking(true).expect("non-blocking");
                let listener = TcpListener::from_std(listener).expect("a tokio listener");
                let seen = Arc::new(Seen::default());
                let shutdown = CancellationToken::new();
                let start = tokio::time::Instant::now();
                let server = {
                    let seen = Arc::clone(&seen);
                    serve(listener, shutdown.clone(), deadline, move |stream| {
                        answer(stream, Arc::clone(&seen))
                    })
                };
                let probe = async {
                    tokio::time::sleep(SHUTDOWN_AT).await;
                    shutdown.cancel();
                    tokio::time::sleep(Duration::from_millis(1)).await;
                    refused(address).await
                };
                let ((), refused) = tokio::join!(server, probe);
                let returned_at = start.elapsed();
                Outcome {
                    returned_at,
                    refused,
                    running_at_return: seen.running.load(Ordering::SeqCst),
                    finished: seen.finished.load(Ordering::SeqCst),
                    aborted: seen.aborted.load(Ordering::SeqCst),
                    answers: Vec::new(),
                }
            });
            drop(runtime);
            let _ = done.send(outcome);
        })
        .expect("a thread");
    let mut outcome = match outcome.recv_timeout(PATIENCE) {
        Ok(outcome) => outcome,
        Err(mpsc::RecvTimeoutError::Timeout) => panic!(
            "serve did not return within {PATIENCE:?} of real time, though on the paused clock \
             even the longest request ends in seconds: it waits for something that never comes \
             (answers that never end?), or blocks the runtime's one thread, or never waits at \
             all, so that the paused clock never moves"
        ),
        Err(mpsc::RecvTimeoutError::Disconnected) => {
            panic!("serve panicked (see the message of thread 'serve')")
        }
    };
    outcome.answers = clients
        .into_iter()
        .map(|mut client| {
            let mut answer = String::new();
            let _ = client.read_to_string(&mut answer);
            answer
        })
        .collect();
    outcome
}

/// Whether a new connection to `address` is refused.
async fn refused(address: SocketAddr) -> bool {
    TcpStream::connect(address).await.is_err()
}

fn seconds(duration: Duration) -> String {
    format!("{:.3} s", duration.as_secs_f64())
}

/// What every run must get right.
fn assert_common(outcome: &Outcome, works: &[u64], seed: u64) {
    assert!(
        outcome.running_at_return == 0,
        "{} answers were still running when serve returned: a task outlived serve. Tasks of \
         `tokio::spawn` go on when their handle is dropped; keep them in a `JoinSet`, and abort \
         and wait for the rest at the deadline (`JoinSet::shutdown().await`) (seed {seed}; \
         requests: {works:?} ms)",
        outcome.running_at_return
    );
    assert!(
        outcome.refused,
        "a connection made at the shutdown was not refused: the listener was still open. Stop \
         accepting at once: `drop(listener)` when the shutdown comes (seed {seed})"
    );
}

#[test]
#[ignore = "checked by cargo xtask verify"]
fn every_request_in_flight_finishes() {
    let mut random = Seeded::new();
    let seed = random.seed();
    let works: Vec<u64> = (0..random.size(2, 5))
        .map(|_| random.between(100, 2000))
        .collect();
    let deadline = Duration::from_millis(random.between(3000, 6000));
    let outcome = run(&works, deadline);
    assert_common(&outcome, &works, seed);
    for (millis, answer) in works.iter().zip(&outcome.answers) {
        assert_eq!(
            answer,
            "done\n",
            "the request of {millis} ms, in flight at the shutdown (at {}), was cut off: \
             requests in flight must finish, within the deadline of {} (seed {seed}; requests: \
             {works:?} ms)",
            seconds(SHUTDOWN_AT),
            seconds(deadline)
        );
    }
    let last = Duration::from_millis(works.iter().copied().max().unwrap_or(0));
    assert!(
        outcome.returned_at <= last.max(SHUTDOWN_AT) + Duration::from_millis(2),
        "serve returned at {} on tokio's clock, though the last request finished at {}: it \
         waited the whole deadline (or slept) instead of returning when the last answer had \
         finished (seed {seed}; requests: {works:?} ms)",
        seconds(outcome.returned_at),
        seconds(last)
    );
}

#[test]
#[ignore = "checked by cargo xtask verify"]
fn the_deadline_holds() {
    let mut random = Seeded::new();
    let seed = random.seed();
    let deadline = Duration::from_millis(random.between(300, 1500));
    let cut = u64::try_from((SHUTDOWN_AT + deadline).as_millis()).unwrap_or(u64::MAX);
    let mut works: Vec<u64> = (0..random.size(1, 3))
        .map(|_| random.between(100, cut - 10))
        .collect();
    let long = random.size(1, 2);
    works.extend((0..long).map(|_| cut + random.between(500, 60_000)));
    random.shuffle(&mut works);
    let outcome = run(&works, deadline);
    assert_common(&outcome, &works, seed);
    let want = SHUTDOWN_AT + deadline;
    assert!(
        outcome.returned_at <= want + Duration::from_millis(2),
        "serve returned at {} on tokio's clock, but the shutdown came at {} with a deadline of \
         {}: the deadline did not hold. Wait for the answers in flight with \
         `tokio::time::timeout(deadline, …)`, and abort the rest when it runs out (seed {seed}; \
         requests: {works:?} ms)",
        seconds(outcome.returned_at),
        seconds(SHUTDOWN_AT),
        seconds(deadline)
    );
    // Returned at `deadline` on tokio's clock, with the shutdown at `SHUTDOWN_AT`: the deadline
    // was counted from the start of `serve`.
    let from_the_start = outcome.returned_at.abs_diff(deadline) <= Duration::from_millis(2);
    for (millis, answer) in works.iter().zip(&outcome.answers) {
        let fits = *millis < cut;
        if fits && from_the_start {
            assert_eq!(
                answer,
                "done\n",
                "the request of {millis} ms would have finished within the deadline (at {}), \
                 but it was cut off at {}, the deadline after the start of serve: the deadline \
                 counts from the shutdown (at {}), not from the start (seed {seed}; requests: \
                 {works:?} ms)",
                seconds(want),
                seconds(outcome.returned_at),
                seconds(SHUTDOWN_AT)
            );
        }
        if fits {
            assert_eq!(
                answer,
                "done\n",
                "the request of {millis} ms would have finished within the deadline (at {}), \
                 but it was cut off: requests in flight must be let finish until the deadline \
                 (seed {seed}; requests: {works:?} ms)",
                seconds(want)
            );
        } else {
            assert_eq!(
                answer, "",
                "the request of {millis} ms was answered, after the deadline (seed {seed})"
            );
        }
    }
    assert!(
        outcome.returned_at + Duration::from_millis(2) >= want,
        "serve returned at {} on tokio's clock, before the deadline ({} after the shutdown at \
         {}), with requests still in flight that needed longer: the deadline counts from the \
         shutdown, and the answers in flight get all of it (seed {seed}; requests: {works:?} \
         ms)",
        seconds(outcome.returned_at),
        seconds(deadline),
        seconds(SHUTDOWN_AT)
    );
    assert_eq!(
        (outcome.finished, outcome.aborted),
        (works.len() - long, long),
        "of {} requests, {} should have finished and {long} been aborted at the deadline \
         (seed {seed}; requests: {works:?} ms)",
        works.len(),
        works.len() - long
    );
}
