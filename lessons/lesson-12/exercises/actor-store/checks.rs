//! The checks of `actor-store`. `cargo xtask verify actor-store` runs them; they are ignored by a
//! plain `cargo test` so that the course's own test suite passes before you start.
//!
//! Each check runs your store on a tokio runtime with one thread, on a thread of its own, and
//! gives up after [`PATIENCE`]. They see what a runtime sees: how many tasks are alive
//! (`RuntimeMetrics::num_alive_tasks`), how long its thread spent running tasks, and whether a
//! future of your handle can finish while no task runs at all (the checks poll it by hand, with
//! the runtime standing still). Keys and values are drawn anew on every run; the seed is in the
//! messages, and `COURSE_SEED=<seed>` draws the same again.

use std::collections::BTreeSet;
use std::pin::pin;
use std::sync::mpsc;
use std::task::{Context, Waker};
use std::thread;
use std::time::{Duration, Instant};

use course_checks::seeded::Seeded;
use tokio::runtime::Runtime;

use super::Store;

/// How long a check waits for your store; each one needs well under a second.
const PATIENCE: Duration = Duration::from_secs(10);

/// How long the checks wait, once every handle is dropped, for the store's task to end.
const ENDING: Duration = Duration::from_secs(2);

/// How long the store is left with nothing to do while the checks watch the runtime's thread.
const IDLE: Duration = Duration::from_millis(300);

/// The most of that time the runtime's thread may spend running tasks: a store that waits with
/// `recv().await` runs only when a request comes (well under 1%); one that checks its inbox
/// again and again runs all the time, even on a busy machine.
const RUNNING_WHILE_IDLE: f64 = 0.2;

/// The most times the runtime's thread may go to sleep (park) during [`IDLE`]: once for the
/// check's own sleep, and a little more; a store that sleeps 75 ms or less and looks into its
/// inbox again parks 4 times or more.
const MOST_SLEEPS_WHILE_IDLE: u64 = 3;

/// A handle must be shared by tasks on any thread.
const fn is_a_handle<T: Clone + Send + Sync + 'static>() {}
const _: () = is_a_handle::<Store>();

fn runtime() -> Runtime {
    tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .expect("a tokio runtime")
}

/// Runs `check` on a thread of its own and waits for it at most [`PATIENCE`], so that a store
/// that never answers fails with a message instead of hanging.
fn with_patience<T: Send + 'static>(what: &str, check: impl FnOnce() -> T + Send + 'static) -> T {
    let (done, result) = mpsc::channel();
    thread::Builder::new()
        .name("store-check".to_string())
        .spawn(move || {
            let _ = done.send(check());
        })
        .unwrap();
    match result.recv_timeout(PATIENCE) {
        Ok(value) => value,
        Err(mpsc::RecvTimeoutError::Timeout) => panic!(
            "{what} did not finish within {PATIENCE:?}, though it needs well under a second: a \
             request is still waiting for its answer. Does the store's task run (started with \
             `tokio::spawn` in `Store::start`), and does it send an answer on every request's \
             `oneshot`?"
        ),
        Err(mpsc::RecvTimeoutError::Disconnected) => {
            panic!("{what} panicked (see the message of thread 'store-check')")
        }
    }
}

/// Draws `count` distinct keys.
fn keys(seeded: &mut Seeded, count: usize) -> Vec<String> {
    let mut keys = BTreeSet::new();
    while keys.len() < count {
        keys.insert(format!("key-{}", seeded.between(0, 1_000_000)));
    }
    let mut keys: Vec<String> = keys.into_iter().collect();
    seeded.shuffle(&mut keys);
    keys
}

#[test]
#[ignore = "checked by cargo xtask verify"]
fn start_runs_one_task_that_owns_the_map() {
    let alive = with_patience("Store::start", || {
        let runtime = runtime();
        let store = {
            let _inside = runtime.enter();
            Store::start()
        };
        let alive = runtime.metrics().num_alive_tasks();
        drop(store);
        alive
    });
    assert!(
        alive != 0,
        "Store::start started no task: the store must be a task of its own (an actor) that owns \
         the map and serves requests; a handle only sends it requests (`tokio::spawn` it in \
         `Store::start`)"
    );
    assert_eq!(
        alive, 1,
        "Store::start started {alive} tasks: one task, the store's, owns the map and serves \
         every request"
    );
}

/// What polling a future of the handle by hand, with the runtime standing still, gave.
#[derive(Debug)]
struct StoodStill {
    /// Which call answered while no task could run, if one did.
    answered: Option<&'static str>,
    /// How many tasks were alive while 50 requests waited.
    alive_with_requests_waiting: usize,
    /// What the calls gave once the runtime ran: set, get, add, and the value of the other key.
    once_running: (Option<u64>, Option<u64>, u64, Option<u64>),
}

#[test]
#[ignore = "checked by cargo xtask verify"]
fn every_answer_comes_from_the_store_task() {
    let mut seeded = Seeded::new();
    let seed = seeded.seed();
    let keys = keys(&mut seeded, 2);
    let (value, by) = (seeded.between(1, 1_000), seeded.between(1, 1_000));
    let (key, other) = (keys[0].clone(), keys[1].clone());
    let stood = with_patience("a call of the handle", move || {
        let runtime = runtime();
        let store = {
            let _inside = runtime.enter();
            Store::start()
        };
        let mut cx = Context::from_waker(Waker::noop());
        // The runtime is entered (so that the handle may use tokio) but never run here: no
        // task runs meanwhile, the store's neither. A call that finishes anyway is not awaited
        // again.
        let _inside = runtime.enter();
        let answered_at_once = |call: &'static str| StoodStill {
            answered: Some(call),
            alive_with_requests_waiting: 0,
            once_running: (None, None, 0, None),
        };
        let mut set = pin!(store.set(&key, value));
        if (0..3).any(|_| set.as_mut().poll(&mut cx).is_ready()) {
            return answered_at_once("Store::set");
        }
        let mut get = pin!(store.get(&key));
        if (0..3).any(|_| get.as_mut().poll(&mut cx).is_ready()) {
            return answered_at_once("Store::get");
        }
        let mut add = pin!(store.add(&key, by));
        if (0..3).any(|_| add.as_mut().poll(&mut cx).is_ready()) {
            return answered_at_once("Store::add");
        }
        let mut waiting: Vec<_> = (0..50).map(|_| Box::pin(store.get(&other))).collect();
        for request in &mut waiting {
            let _ = request.as_mut().poll(&mut cx);
        }
        let alive_with_requests_waiting = runtime.metrics().num_alive_tasks();
        let once_running = runtime.block_on(async {
            let set = set.await;
            let get = get.await;
            let add = add.await;
            let mut other = None;
            for request in waiting {
                other = request.await;
            }
            (set, get, add, other)
        });
        StoodStill {
            answered: None,
            alive_with_requests_waiting,
            once_running,
        }
    });
    if let Some(call) = stood.answered {
        panic!(
            "{call} answered while no task could run, the store's task neither: the answer came \
             from state the handle reaches by itself (a lock behind the handle), not from the \
             store's task. Send the store a request with a `oneshot` sender, and await the \
             answer it sends back"
        );
    }
    assert!(
        stood.alive_with_requests_waiting <= 1,
        "with 53 requests waiting, {} tasks were alive: a task per request shares the map \
         behind a lock. One task, the store's, must serve every request, one at a time",
        stood.alive_with_requests_waiting
    );
    let expected = (None, Some(value), value + by, None);
    assert_eq!(
        stood.once_running, expected,
        "on an empty store, set(k, {value}), get(k), add(k, {by}) and get of another key must \
         give {expected:?} (seed {seed})"
    );
}

#[test]
#[ignore = "checked by cargo xtask verify"]
fn many_tasks_add_without_losing_one() {
    let mut seeded = Seeded::new();
    let seed = seeded.seed();
    let key = keys(&mut seeded, 1).remove(0);
    let tasks = seeded.between(40, 160);
    let (answers, total) = with_patience("adding from many tasks", {
        let key = key.clone();
        move || {
            runtime().block_on(async {
                let store = Store::start();
                let adders: Vec<_> = (0..tasks)
                    .map(|_| {
                        let (store, key) = (store.clone(), key.clone());
                        tokio::spawn(async move { store.add(&key, 1).await })
                    })
                    .collect();
                let mut answers = Vec::new();
                for adder in adders {
                    answers.push(adder.await.expect("a task that called add panicked"));
                }
                (answers, store.get(&key).await)
            })
        }
    });
    assert_eq!(
        total,
        Some(tasks),
        "{tasks} tasks each called add(\"{key}\", 1) at once, and the store holds {total:?}: \
         additions were lost. `add` must be one request, done whole by the store's task; a get \
         followed by a set lets two tasks read the same value and write the same sum (seed \
         {seed})"
    );
    let mut sorted = answers.clone();
    sorted.sort_unstable();
    assert_eq!(
        sorted,
        (1..=tasks).collect::<Vec<_>>(),
        "{tasks} tasks each added 1 at once: their calls of add must return 1, 2, … {tasks}, \
         each once (the value each addition made), not {answers:?} (seed {seed})"
    );
}

#[test]
#[ignore = "checked by cargo xtask verify"]
fn set_get_and_add_keep_every_key_apart() {
    let mut seeded = Seeded::new();
    let seed = seeded.seed();
    let count = seeded.size(3, 8);
    let keys = keys(&mut seeded, count);
    let values: Vec<u64> = (0..count).map(|_| seeded.between(0, 1 << 40)).collect();
    let later: Vec<u64> = (0..count).map(|_| seeded.between(0, 1 << 40)).collect();
    let missing = format!("{}-never-set", keys[0]);
    let (first, second, latest, added, absent) = with_patience("set, get and add", {
        let (keys, values, later, missing) =
            (keys.clone(), values.clone(), later.clone(), missing.clone());
        move || {
            runtime().block_on(async {
                let store = Store::start();
                let other_handle = store.clone();
                let mut first = Vec::new();
                for (key, value) in keys.iter().zip(&values) {
                    first.push(store.set(key, *value).await);
                }
                let mut second = Vec::new();
                for (key, value) in keys.iter().zip(&later) {
                    second.push(other_handle.set(key, *value).await);
                }
                let mut latest = Vec::new();
                for key in &keys {
                    latest.push(store.get(key).await);
                }
                let added = (store.add(&keys[0], 7).await, store.add(&missing, 5).await);
                let absent = other_handle.get(&format!("{missing}-too")).await;
                (first, second, latest, added, absent)
            })
        }
    });
    let problem = |what: &str| format!("{what}, with the keys {keys:?} (seed {seed})");
    assert!(
        first.iter().all(Option::is_none),
        "{}",
        problem(&format!(
            "setting each key once on an empty store returned {first:?}: a key never set has no \
             value before, so set must return None"
        ))
    );
    let expected_second: Vec<Option<u64>> = values.iter().copied().map(Some).collect();
    assert_eq!(
        second,
        expected_second,
        "{}",
        problem(
            "setting each key a second time (from a clone of the handle) must return the value \
             set before for that key"
        )
    );
    let expected_latest: Vec<Option<u64>> = later.iter().copied().map(Some).collect();
    assert_eq!(
        latest,
        expected_latest,
        "{}",
        problem("get must give each key the last value set for that key, and no other's")
    );
    assert_eq!(
        added,
        (later[0] + 7, 5),
        "{}",
        problem(&format!(
            "add(k, 7) on a key holding {} must return the new value, and add on a key never \
             set counts from 0",
            later[0]
        ))
    );
    assert_eq!(
        absent,
        None,
        "{}",
        problem("get of a key no one ever set must give None")
    );
}

#[test]
#[ignore = "checked by cargo xtask verify"]
fn the_store_task_ends_when_every_handle_is_dropped() {
    let left = with_patience("dropping every handle", || {
        let runtime = runtime();
        runtime.block_on(async {
            let store = Store::start();
            let clone = store.clone();
            clone.set("a", 1).await;
            store.add("a", 1).await;
        });
        // Every handle is dropped: give the store's task the time to see it and end.
        let started = Instant::now();
        while runtime.metrics().num_alive_tasks() > 0 && started.elapsed() < ENDING {
            runtime.block_on(async { tokio::time::sleep(Duration::from_millis(10)).await });
        }
        runtime.metrics().num_alive_tasks()
    });
    assert_eq!(
        left, 0,
        "every handle was dropped, and {ENDING:?} later the store's task still runs: it must end \
         when its inbox is closed (`recv().await` gives `None` once every sender is dropped), \
         or every store ever started stays in memory, a task that leaks"
    );
}

#[test]
#[ignore = "checked by cargo xtask verify"]
fn a_store_with_nothing_to_do_sleeps() {
    let (busy, wall, parks) = with_patience("a store left idle", || {
        let runtime = runtime();
        runtime.block_on(async {
            let store = Store::start();
            store.set("a", 1).await;
            let metrics = tokio::runtime::Handle::current().metrics();
            let busy_before = metrics.worker_total_busy_duration(0);
            let parks_before = metrics.worker_park_count(0);
            let started = Instant::now();
            tokio::time::sleep(IDLE).await;
            let wall = started.elapsed();
            let busy = metrics
                .worker_total_busy_duration(0)
                .saturating_sub(busy_before);
            let parks = metrics.worker_park_count(0).saturating_sub(parks_before);
            assert_eq!(store.get("a").await, Some(1), "get(a) after set(a, 1)");
            (busy, wall, parks)
        })
    });
    let running = busy.as_secs_f64() / wall.as_secs_f64().max(1e-9);
    assert!(
        running < RUNNING_WHILE_IDLE,
        "while no request came for {wall:.1?}, the runtime's thread kept running tasks for \
         {busy:.1?} ({:.0}%): the store's task checks its inbox again and again instead of \
         sleeping. Wait for the next request with `inbox.recv().await`, not with `try_recv` in \
         a loop around `yield_now`",
        running * 100.0
    );
    assert!(
        parks <= MOST_SLEEPS_WHILE_IDLE,
        "while no request came for {wall:.1?}, the runtime's thread went to sleep and woke up \
         {parks} times: the store's task checks its inbox again and again, sleeping a little in \
         between (`try_recv` and `tokio::time::sleep` in a loop). Wait for the next request with \
         `inbox.recv().await`, which sleeps until one comes"
    );
}

#[test]
#[ignore = "checked by cargo xtask verify"]
fn the_store_lives_while_a_handle_is_kept_without_calls() {
    let mut seeded = Seeded::new();
    let seed = seeded.seed();
    let key = keys(&mut seeded, 1).remove(0);
    let value = seeded.between(1, 1_000);
    let (alive, answer) = with_patience("a store kept an hour without a call", move || {
        runtime().block_on(async {
            // tokio's clock, paused: an hour goes by at once, for every timer of the store.
            tokio::time::pause();
            let store = Store::start();
            store.set(&key, value).await;
            tokio::time::advance(Duration::from_secs(3600)).await;
            let metrics = tokio::runtime::Handle::current().metrics();
            for _ in 0..100 {
                if metrics.num_alive_tasks() == 0 {
                    break;
                }
                tokio::task::yield_now().await;
            }
            let alive = metrics.num_alive_tasks();
            if alive == 0 {
                return (alive, None);
            }
            (alive, store.get(&key).await)
        })
    });
    assert!(
        alive != 0,
        "a handle was kept an hour (on tokio's paused clock) without a call, and the store's \
         task had ended meanwhile, though the handle still held it: the store must live as long \
         as a handle does. End its loop only when `recv().await` gives `None` (every handle \
         dropped), not on a time-out of its own"
    );
    assert_eq!(
        answer,
        Some(value),
        "get(k) an hour after set(k, {value}), with a handle kept meanwhile (seed {seed})"
    );
}

/// The lock types a store that is an actor has no use for, and the other ways for handles to
/// share a map: a cell (in a `thread_local!` or a static), a `watch` channel changed in place.
const LOCKS: [&str; 10] = [
    "Mutex",
    "RwLock",
    "Atomic",
    "RefCell",
    "Cell",
    "OnceCell",
    "UnsafeCell",
    "OnceLock",
    "thread_local",
    "watch",
];

/// The first lock type that `text` names outside its comments.
fn lock_named_in(text: &str) -> Option<&'static str> {
    text.lines()
        .map(|line| line.split("//").next().unwrap_or(""))
        .flat_map(|code| code.split(|c: char| !c.is_alphanumeric() && c != '_'))
        .find_map(|word| LOCKS.into_iter().find(|lock| word.starts_with(lock)))
}

#[test]
#[ignore = "checked by cargo xtask verify"]
fn the_store_holds_no_lock() {
    let file = course_checks::file_under_check!();
    if let Some(lock) = lock_named_in(&file.text) {
        panic!(
            "{} names `{lock}`: the store's task owns the map, so nothing needs a lock, nor any \
             other state that the handles share (a cell, a `thread_local!`, a `watch` channel). \
             A lock or shared state behind the handle (even beside a task) lets a caller reach \
             the map without the store's task. (This check reads your file.)",
            file.path
        );
    }
}

#[test]
#[ignore = "checked by cargo xtask verify"]
fn a_lock_is_found_in_code_and_not_in_comments() {
    assert_eq!(lock_named_in("use std::sync::{Arc, Mutex};"), Some("Mutex"));
    assert_eq!(lock_named_in("x: tokio::sync::RwLock<u8>,"), Some("RwLock"));
    assert_eq!(
        lock_named_in("let n = AtomicUsize::new(0);"),
        Some("Atomic")
    );
    assert_eq!(
        lock_named_in("thread_local! { static MAP: Cell<u8> = Cell::new(0) }"),
        Some("thread_local")
    );
    assert_eq!(lock_named_in("use tokio::sync::watch;"), Some("watch"));
    assert_eq!(
        lock_named_in("use tokio::sync::OnceCell;"),
        Some("OnceCell")
    );
    assert_eq!(lock_named_in("// no Mutex here\nlet x = 1;"), None);
    assert_eq!(lock_named_in("let mutex_free = oneshot::channel();"), None);
}
