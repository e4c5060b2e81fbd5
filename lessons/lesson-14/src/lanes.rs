//! What the crawls record beside their work, kept apart from `main.rs` (the listing the book
//! shows), so that each crawl spends one line on it: the timeline's rows (`--timeline`), the count
//! a progress bar shows (`--url` on a terminal), and the watchdog of the pool that never ends.

use std::collections::{BTreeSet, HashMap};
use std::io::IsTerminal;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Mutex, OnceLock, PoisonError};
use std::thread::{self, ThreadId};
use std::time::{Duration, Instant};

use course_support::timeline::{Activity, Recorder};
use indicatif::{ProgressBar, ProgressStyle};
use url::Url;

/// The timeline, once `--timeline` asked for it.
static RECORDER: OnceLock<Recorder> = OnceLock::new();
/// Addresses checked so far, for the progress bar.
static CHECKED: AtomicUsize = AtomicUsize::new(0);
/// The row of each worker thread (`worker 1`, …), in the order they first fetched.
static WORKER_ROWS: Mutex<Option<HashMap<ThreadId, usize>>> = Mutex::new(None);
/// The task rows in use: a task takes the lowest free one.
static TASK_ROWS: Mutex<BTreeSet<usize>> = Mutex::new(BTreeSet::new());

/// Records the crawls from now on; the timeline the lesson prints and writes.
pub fn record() -> &'static Recorder {
    RECORDER.get_or_init(Recorder::new)
}

/// A new part begins: its rows start again from 1.
pub fn start_part(name: &str) {
    if let Some(recorder) = RECORDER.get() {
        recorder.start_part(name);
    }
    *WORKER_ROWS.lock().unwrap_or_else(PoisonError::into_inner) = None;
    TASK_ROWS
        .lock()
        .unwrap_or_else(PoisonError::into_inner)
        .clear();
}

/// One worker or task waiting for the server, from its creation until it is dropped.
#[derive(Debug)]
pub struct Busy {
    row: String,
    task_row: Option<usize>,
    since: Instant,
}

impl Drop for Busy {
    fn drop(&mut self) {
        CHECKED.fetch_add(1, Ordering::Relaxed);
        if let Some(recorder) = RECORDER.get() {
            recorder.record(&self.row, Activity::Waiting, self.since, Instant::now());
        }
        if let Some(row) = self.task_row {
            TASK_ROWS
                .lock()
                .unwrap_or_else(PoisonError::into_inner)
                .remove(&row);
        }
    }
}

/// The worker thread calling this is busy with one address until the guard is dropped.
pub fn worker_busy() -> Busy {
    let mut rows = WORKER_ROWS.lock().unwrap_or_else(PoisonError::into_inner);
    let rows = rows.get_or_insert_with(HashMap::new);
    let next = rows.len() + 1;
    let row = *rows.entry(thread::current().id()).or_insert(next);
    Busy {
        row: format!("worker {row:>2}"),
        task_row: None,
        since: Instant::now(),
    }
}

/// A task holds a permit and is busy with one address until the guard is dropped.
pub fn task_busy() -> Busy {
    let mut rows = TASK_ROWS.lock().unwrap_or_else(PoisonError::into_inner);
    let row = (1..=rows.len() + 1)
        .find(|row| !rows.contains(row))
        .unwrap_or(0);
    rows.insert(row);
    Busy {
        row: format!("task {row:>2}"),
        task_row: Some(row),
        since: Instant::now(),
    }
}

/// The lesson's watchdog for the pool whose workers wait forever: once no address is pending
/// (every one checked), the workers can only wait; `over` releases them.
pub fn rescue_when_stuck(pending: &AtomicUsize, over: impl Fn()) {
    // It looks now and then: what it sees does not depend on when it looks, since nothing
    // pending stays nothing pending.
    while pending.load(Ordering::SeqCst) > 0 {
        thread::sleep(Duration::from_millis(2));
    }
    over();
}

/// A spinner with the count of addresses checked, on standard error when it is a terminal.
#[derive(Debug)]
pub struct Progress(ProgressBar);

impl Progress {
    pub fn start(url: &Url) -> Progress {
        if !std::io::stderr().is_terminal() {
            return Progress(ProgressBar::hidden());
        }
        let bar = ProgressBar::new_spinner()
            .with_style(
                ProgressStyle::with_template("{spinner} {msg} {elapsed}")
                    .expect("the template is valid"),
            )
            .with_message(format!("checking {url}"));
        let shown = bar.clone();
        thread::spawn(move || {
            while !shown.is_finished() {
                shown.set_message(format!(
                    "{} addresses checked",
                    CHECKED.load(Ordering::Relaxed)
                ));
                shown.tick();
                thread::sleep(Duration::from_millis(100));
            }
        });
        Progress(bar)
    }
}

impl Drop for Progress {
    fn drop(&mut self) {
        self.0.finish_and_clear();
    }
}
