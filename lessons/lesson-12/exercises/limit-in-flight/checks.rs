//! The checks of `limit-in-flight`. `cargo xtask verify limit-in-flight` runs them; they are
//! ignored by a plain `cargo test` so that the course's own test suite passes before you start.
//!
//! The server is [`HeldServer`], on `127.0.0.1` inside the test program, a thread per
//! connection. It holds every answer back, and decides when each goes: once it sees as many
//! requests in flight as the limit allows (or as are left), it lets one go, never the oldest
//! when there are several, and waits to see that many again. It notes the most requests that
//! were ever in flight at once, and counts its open connections: a request is in flight from
//! its connection on. When what it waits for does not happen within [`STEP`], it
//! notes why, and answers everything at once, so your function still returns.
//!
//! Your function runs on a tokio runtime with a single thread: a task that waits for its turn
//! must give that thread back (`.await`), or no other task can run. While the server holds the
//! first requests, nothing happens: the server counts how often that thread went to sleep and
//! woke up meanwhile (`RuntimeMetrics::worker_park_count`), once for a wait that sleeps until a
//! place is free, hundreds of times for one that sleeps a little and looks again. Limits, counts and the
//! server's token are drawn anew on every run; the seed is in the messages, and
//! `COURSE_SEED=<seed>` draws them again.

use std::collections::HashSet;
use std::io::{BufRead, BufReader, Write};
use std::net::{Ipv4Addr, SocketAddr, TcpListener, TcpStream};
use std::sync::{Arc, Condvar, Mutex, MutexGuard, PoisonError, mpsc};
use std::thread;
use std::time::{Duration, Instant};

use course_checks::seeded::Seeded;
use tokio::runtime::RuntimeMetrics;

use super::ask_all;

/// How long the server waits for the requests it expects; a right answer sends them within
/// milliseconds.
const STEP: Duration = Duration::from_secs(1);

/// How long the server holds the first `k` requests before it lets any go: a time in which the
/// runtime has nothing to do but wait.
const HOLD: Duration = Duration::from_millis(300);

/// The most times the runtime's thread may go to sleep during [`HOLD`]: once, when every task
/// waits, and a little more for a request still settling in; a wait that sleeps 75 ms or less
/// and looks again sleeps 4 times or more.
const MOST_SLEEPS_WHILE_HELD: u64 = 3;

/// How long a check waits for `ask_all` to return.
const PATIENCE: Duration = Duration::from_secs(10);

/// The most of its time the runtime's thread may spend running tasks during a call: waiting
/// tasks that sleep run only when something happens; a loop that checks a counter again and
/// again runs all the time, even on a busy machine.
const RUNNING_WHILE_WAITING: f64 = 0.4;

#[derive(Debug, Default)]
struct State {
    /// The requests in flight, in the order they arrived.
    waiting: Vec<usize>,
    released: HashSet<usize>,
    /// Every request that came, to see one asked twice.
    came: HashSet<usize>,
    /// The connections accepted and not yet answered (counted down before the answer is
    /// written, so that a connection made after an answer came is never counted with it).
    open: usize,
    most: usize,
    /// What went wrong, once something did: then every request is answered at once.
    problem: Option<String>,
    /// The metrics of the runtime that runs `ask_all`, once it is built.
    metrics: Option<RuntimeMetrics>,
}

/// The server's state, shared by its threads.
#[derive(Debug, Default)]
struct Shared {
    state: Mutex<State>,
    changed: Condvar,
}

impl Shared {
    /// Notes a connection accepted: more than `k` open at once is a problem.
    fn connected(&self, k: usize) {
        let mut state = self.lock();
        state.open += 1;
        if state.open > k && state.problem.is_none() {
            state.problem = Some(format!(
                "{} connections were open at once, the limit is {k}: a request is in flight \
                 from the moment its connection is made, so connect only once it holds one of \
                 the k places",
                state.open
            ));
        }
        self.changed.notify_all();
    }

    /// Notes a connection done with (answered, or closed without a request).
    fn done_with_one(&self) {
        self.lock().open -= 1;
    }

    fn lock(&self) -> MutexGuard<'_, State> {
        self.state.lock().unwrap_or_else(PoisonError::into_inner)
    }

    /// Waits until `done` holds, at most `bound`; the guard, and whether it holds.
    fn wait_until<'a>(
        &self,
        guard: MutexGuard<'a, State>,
        bound: Duration,
        done: impl Fn(&State) -> bool,
    ) -> (MutexGuard<'a, State>, bool) {
        let (guard, _) = self
            .changed
            .wait_timeout_while(guard, bound, |state| !done(state))
            .unwrap_or_else(PoisonError::into_inner);
        let held = done(&guard);
        (guard, held)
    }
}

/// A loopback server that answers `request N` with `answer N <token>`, when it decides to.
struct HeldServer {
    address: SocketAddr,
    shared: Arc<Shared>,
}

impl HeldServer {
    fn start(k: usize, count: usize, token: u64, seeded: Seeded) -> HeldServer {
        let listener = TcpListener::bind((Ipv4Addr::LOCALHOST, 0)).unwrap();
        let address = listener.local_addr().unwrap();
        let shared = Arc::new(Shared::default());
        thread::spawn({
            let shared = Arc::clone(&shared);
            move || {
                for stream in listener.incoming() {
                    let Ok(stream) = stream else { continue };
                    let shared = Arc::clone(&shared);
                    shared.connected(k);
                    thread::spawn(move || answer(&stream, k, token, &shared));
                }
            }
        });
        thread::spawn({
            let shared = Arc::clone(&shared);
            move || decide(k, count, &shared, seeded)
        });
        HeldServer { address, shared }
    }

    fn outcome(&self) -> (usize, Option<String>) {
        let state = self.shared.lock();
        (state.most, state.problem.clone())
    }
}

/// One connection: notes the request in flight, waits until it is let go, answers.
fn answer(stream: &TcpStream, k: usize, token: u64, shared: &Shared) {
    let _ = stream.set_read_timeout(Some(PATIENCE));
    let mut line = String::new();
    if BufReader::new(stream).read_line(&mut line).is_err() {
        shared.done_with_one();
        return;
    }
    let Some(id) = line
        .trim()
        .strip_prefix("request ")
        .and_then(|n| n.parse::<usize>().ok())
    else {
        shared.done_with_one();
        let _ = (&*stream).write_all(b"not a request\n");
        return;
    };
    let mut state = shared.lock();
    if !state.came.insert(id) && state.problem.is_none() {
        state.problem = Some(format!(
            "request {id} was asked twice: ask each request once, and keep its answer"
        ));
    }
    state.waiting.push(id);
    state.most = state.most.max(state.waiting.len());
    if state.waiting.len() > k && state.problem.is_none() {
        state.problem = Some(format!(
            "{} requests were in flight at once, the limit is {k}: a request may go out only \
             while it holds one of the k places, until its answer is in",
            state.waiting.len()
        ));
    }
    shared.changed.notify_all();
    let (mut state, _) = shared.wait_until(state, PATIENCE, |s| {
        s.problem.is_some() || s.released.contains(&id)
    });
    state.waiting.retain(|&w| w != id);
    state.open -= 1;
    shared.changed.notify_all();
    drop(state);
    let _ = (&*stream).write_all(format!("answer {id} {token}\n").as_bytes());
}

/// The schedule: wait for the requests in flight to reach the limit (or what is left), let one
/// go (never the oldest of several), wait for its answer to leave, again.
fn decide(k: usize, count: usize, shared: &Shared, mut seeded: Seeded) {
    for answered in 0..count {
        let full = k.min(count - answered);
        let state = shared.lock();
        let (mut state, held) = shared.wait_until(state, STEP, |s| {
            s.problem.is_some() || s.waiting.len() >= full
        });
        if state.problem.is_some() {
            break;
        }
        if !held {
            let now = state.waiting.len();
            state.problem = Some(if answered == 0 {
                format!(
                    "only {now} requests were in flight at once, though {k} are allowed and \
                     {count} were asked: let k requests go out at the same time"
                )
            } else {
                format!(
                    "after an answer came back, no new request went out for {STEP:?}, while \
                     {now} were still in flight and {} were left to ask: the requests went in \
                     waves. The next request must go out as soon as any answer comes back, not \
                     when a whole group is done",
                    count - answered - now
                )
            });
            shared.changed.notify_all();
            break;
        }
        if answered == 0 {
            let parks = |state: &State| {
                state
                    .metrics
                    .as_ref()
                    .map(|metrics| metrics.worker_park_count(0))
            };
            let parked_before = parks(&state);
            drop(state);
            thread::sleep(HOLD);
            state = shared.lock();
            if let (Some(before), Some(after)) = (parked_before, parks(&state)) {
                let times = after.saturating_sub(before);
                if times > MOST_SLEEPS_WHILE_HELD && state.problem.is_none() {
                    state.problem = Some(format!(
                        "while the server held the first {full} requests for {HOLD:?} and \
                         nothing else happened, the runtime's thread went to sleep and woke up \
                         {times} times: a task that waits for a place checks again and again, \
                         sleeping a little in between (`tokio::time::sleep` in a loop), instead \
                         of sleeping until a place is free. Wait with `permits.acquire().await`"
                    ));
                    shared.changed.notify_all();
                    break;
                }
            }
        }
        let choices = state.waiting.len();
        let pick = if choices > 1 {
            state.waiting[seeded.size(1, choices - 1)]
        } else {
            state.waiting[0]
        };
        state.released.insert(pick);
        shared.changed.notify_all();
        let (state, _) = shared.wait_until(state, STEP, |s| {
            s.problem.is_some() || !s.waiting.contains(&pick)
        });
        drop(state);
    }
}

/// What a call of `ask_all` gave, and how busy the runtime's thread was during it.
struct Called {
    answers: Vec<Result<String, String>>,
    busy: Duration,
    wall: Duration,
}

/// Runs `ask_all(server, k, requests)` on a one-thread runtime, on a thread of its own, and waits
/// for it at most [`PATIENCE`].
fn call(
    server: SocketAddr,
    k: usize,
    requests: Vec<String>,
    built: impl FnOnce(RuntimeMetrics) + Send + 'static,
) -> Called {
    let (done, result) = mpsc::channel();
    thread::Builder::new()
        .name("ask-all-caller".to_string())
        .spawn(move || {
            let runtime = tokio::runtime::Builder::new_current_thread()
                .enable_all()
                .build()
                .expect("a tokio runtime");
            built(runtime.metrics());
            let started = Instant::now();
            let answers = runtime.block_on(ask_all(server, k, &requests));
            let _ = done.send(Called {
                answers: answers
                    .into_iter()
                    .map(|a| a.map_err(|e| e.to_string()))
                    .collect(),
                busy: runtime.metrics().worker_total_busy_duration(0),
                wall: started.elapsed(),
            });
        })
        .unwrap();
    match result.recv_timeout(PATIENCE) {
        Ok(called) => called,
        Err(mpsc::RecvTimeoutError::Timeout) => panic!(
            "ask_all did not return within {PATIENCE:?}, though the server answers everything \
             within a few seconds: a task waits for a turn that never comes, or blocks the \
             runtime's only thread (a std `Mutex` or `Condvar`, `thread::sleep`) so that the \
             task it waits for never runs. Wait with `.await` (a `Semaphore`'s `acquire`)"
        ),
        Err(mpsc::RecvTimeoutError::Disconnected) => {
            panic!("ask_all panicked (see the message of thread 'ask-all-caller')")
        }
    }
}

/// Asks `count` requests with limit `k` of a fresh [`HeldServer`], and checks everything the
/// server and the answers say.
fn ask_and_check(k: usize, count: usize, seeded: &mut Seeded) -> Called {
    let seed = seeded.seed();
    let token = seeded.next_u64();
    let server = HeldServer::start(k, count, token, Seeded::from_seed(seeded.next_u64()));
    let requests: Vec<String> = (0..count).map(|n| format!("request {n}")).collect();
    let shared = Arc::clone(&server.shared);
    let called = call(server.address, k, requests, move |metrics| {
        shared.lock().metrics = Some(metrics);
    });
    let (most, problem) = server.outcome();
    if let Some(problem) = problem {
        panic!("{problem} (k = {k}, {count} requests, seed {seed})");
    }
    assert_eq!(
        called.answers.len(),
        count,
        "{count} requests must give {count} answers, not {} (seed {seed})",
        called.answers.len()
    );
    for (n, got) in called.answers.iter().enumerate() {
        let expected = format!("answer {n} {token}");
        assert!(
            got.as_ref() == Ok(&expected),
            "the answer to request {n} is {got:?}, where {expected:?} was sent: the answers \
             must come in the order of the requests, though the server let them go in another \
             order (seed {seed})"
        );
    }
    assert_eq!(
        most,
        k.min(count),
        "at most {most} requests were in flight at once, where {} were expected (seed {seed})",
        k.min(count)
    );
    called
}

#[test]
#[ignore = "checked by cargo xtask verify"]
fn k_in_flight_and_the_next_as_soon_as_one_answers() {
    let mut seeded = Seeded::new();
    let first = seeded.size(2, 5);
    let second = if first == 2 { 6 } else { first - 1 };
    for k in [first, second] {
        let count = 2 * k + seeded.size(1, k);
        let called = ask_and_check(k, count, &mut seeded);
        let running = called.busy.as_secs_f64() / called.wall.as_secs_f64().max(1e-9);
        assert!(
            running < RUNNING_WHILE_WAITING,
            "while requests waited for their turn, the runtime's thread kept running tasks for \
             {:.1?} of {:.1?} ({:.0}%): a task that waits checks again and again instead of \
             sleeping. Wait with `permits.acquire().await`, which sleeps until a place is free, \
             not with a loop around `yield_now` (or any other check of a counter)",
            called.busy,
            called.wall,
            running * 100.0
        );
    }
}

#[test]
#[ignore = "checked by cargo xtask verify"]
fn a_large_limit_is_used_whole() {
    let mut seeded = Seeded::new();
    let k = seeded.size(17, 24);
    let count = k + seeded.size(1, k);
    ask_and_check(k, count, &mut seeded);
}

#[test]
#[ignore = "checked by cargo xtask verify"]
fn a_limit_of_one_asks_one_at_a_time() {
    let mut seeded = Seeded::new();
    ask_and_check(1, 4, &mut seeded);
}

#[test]
#[ignore = "checked by cargo xtask verify"]
fn a_limit_above_the_count_asks_everything_at_once() {
    let mut seeded = Seeded::new();
    let count = seeded.size(2, 5);
    ask_and_check(count + seeded.size(1, 4), count, &mut seeded);
}

#[test]
#[ignore = "checked by cargo xtask verify"]
fn no_requests_give_no_answers() {
    let listener = TcpListener::bind((Ipv4Addr::LOCALHOST, 0)).unwrap();
    let called = call(listener.local_addr().unwrap(), 3, Vec::new(), |_| {});
    assert!(
        called.answers.is_empty(),
        "no requests must give no answers, not {}",
        called.answers.len()
    );
}
