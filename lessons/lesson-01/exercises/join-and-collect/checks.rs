//! The checks of `join-and-collect`. `cargo xtask verify join-and-collect` runs them; they are
//! ignored by a plain `cargo test` so that the course's own test suite passes before you start.

use std::collections::HashSet;
use std::sync::{Arc, Condvar, Mutex};
use std::thread::{self, ThreadId};
use std::time::Duration;

use super::run_all_on_threads;

/// Why code that looks as if it starts every thread first may not: said with every message
/// that asks for it.
const TRAP: &str = "Iterators are lazy: in `.map(spawn).map(join)` each thread is joined \
     before the next is spawned, so `.collect()` the handles into a `Vec` first";

/// How long a job waits for the others to be running too. Generous: threads start in microseconds.
const PATIENCE: Duration = Duration::from_secs(5);

/// Every job waits here until all jobs have arrived, so the checks pass only if the jobs really
/// run at the same time. Unlike `std::sync::Barrier` it gives up after [`PATIENCE`] and says why.
struct Meeting {
    expected: usize,
    arrived: Mutex<usize>,
    all_here: Condvar,
}

impl Meeting {
    fn new(expected: usize) -> Arc<Self> {
        Arc::new(Self {
            expected,
            arrived: Mutex::new(0),
            all_here: Condvar::new(),
        })
    }

    fn wait_for_everyone(&self, job: usize) {
        let mut arrived = self.arrived.lock().unwrap();
        *arrived += 1;
        self.all_here.notify_all();
        let (arrived, waited) = self
            .all_here
            .wait_timeout_while(arrived, PATIENCE, |arrived| *arrived < self.expected)
            .unwrap();
        assert!(
            !waited.timed_out(),
            "job {job} waited {PATIENCE:?}, but only {} of the {} jobs were ever running at the \
             same time: start every thread before you join any of them. {TRAP}",
            *arrived,
            self.expected
        );
    }
}

/// A job that fails at once if it runs on the caller's thread, then meets the other jobs, and
/// returns the id of the thread it ran on together with `value`.
fn job(
    number: usize,
    caller: ThreadId,
    meeting: &Arc<Meeting>,
    value: String,
) -> impl FnOnce() -> (ThreadId, String) + Send + 'static {
    let meeting = Arc::clone(meeting);
    move || {
        let me = thread::current().id();
        assert!(
            me != caller,
            "job {number} ran on the calling thread: give every job a thread of its own"
        );
        meeting.wait_for_everyone(number);
        (me, value)
    }
}

#[test]
#[ignore = "checked by cargo xtask verify"]
fn results_come_back_in_the_order_of_the_jobs() {
    let caller = thread::current().id();
    let meeting = Meeting::new(4);
    let jobs: Vec<_> = ["file1.zip", "file2.zip", "file3.zip", "file4.zip"]
        .iter()
        .enumerate()
        .map(|(number, name)| job(number, caller, &meeting, (*name).to_string()))
        .collect();
    let names: Vec<String> = run_all_on_threads(jobs)
        .into_iter()
        .map(|(_, name)| name)
        .collect();
    assert_eq!(
        names,
        ["file1.zip", "file2.zip", "file3.zip", "file4.zip"],
        "the results must be in the order of the jobs, not the order they finished in"
    );
}

#[test]
#[ignore = "checked by cargo xtask verify"]
fn every_job_runs_on_a_thread_of_its_own() {
    let caller = thread::current().id();
    let meeting = Meeting::new(3);
    let jobs: Vec<_> = (0..3)
        .map(|number| job(number, caller, &meeting, number.to_string()))
        .collect();
    let threads: HashSet<ThreadId> = run_all_on_threads(jobs)
        .into_iter()
        .map(|(thread, _)| thread)
        .collect();
    assert_eq!(threads.len(), 3, "three jobs must run on three threads");
}

#[test]
#[ignore = "checked by cargo xtask verify"]
fn the_last_job_to_finish_may_be_the_first_one() {
    // The first job sleeps, so it finishes last; its result must still come first.
    let jobs: Vec<Box<dyn FnOnce() -> u64 + Send>> = vec![
        Box::new(|| {
            thread::sleep(Duration::from_millis(50));
            1
        }),
        Box::new(|| 2),
        Box::new(|| 3),
    ];
    assert_eq!(run_all_on_threads(jobs), [1, 2, 3]);
}

#[test]
#[ignore = "checked by cargo xtask verify"]
fn no_jobs_give_no_results() {
    let jobs: Vec<fn() -> u8> = Vec::new();
    assert!(run_all_on_threads(jobs).is_empty());
}
