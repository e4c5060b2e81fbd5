//! The checks of `fan-in-in-order`. `cargo xtask verify fan-in-in-order` runs them; they are
//! ignored by a plain `cargo test` so that the course's own test suite passes before you start.
//!
//! No check sleeps to make a thread late. Job `i` waits until the thread of job `i + 1` has
//! *ended* (seen by a thread-local value that is dropped when its thread ends, after it sent its
//! result), so the results arrive last input first, on every run.

use std::cell::RefCell;
use std::sync::mpsc;
use std::sync::{Arc, Condvar, Mutex, PoisonError};
use std::thread::{self, ThreadId};
use std::time::Duration;

use super::run_in_input_order;

/// How long anything waits before the check gives up and says why. Generous: threads start and
/// end in microseconds.
const PATIENCE: Duration = Duration::from_secs(5);

/// How long the function under check may take: longer than [`PATIENCE`], so that a job that gave
/// up waiting has said why before the whole run is called stuck.
const RUN_PATIENCE: Duration = Duration::from_secs(10);

/// Which jobs' threads have ended, and how many times each job ran.
struct Board {
    ended: Mutex<Vec<bool>>,
    changed: Condvar,
    calls: Mutex<Vec<usize>>,
}

impl Board {
    fn new(jobs: usize) -> Arc<Self> {
        Arc::new(Self {
            ended: Mutex::new(vec![false; jobs]),
            changed: Condvar::new(),
            calls: Mutex::new(vec![0; jobs]),
        })
    }

    fn wait_until_ended(&self, job: usize, asking_job: usize) {
        let ended = self.ended.lock().unwrap();
        let (ended, waited) = self
            .changed
            .wait_timeout_while(ended, PATIENCE, |ended| !ended[job])
            .unwrap();
        drop(ended); // before a failing assert, so that the lock is not poisoned
        assert!(
            !waited.timed_out(),
            "job {asking_job} waited {PATIENCE:?} for the thread of job {job} to end, and it never did: \
             start a thread for every input before you wait for any result"
        );
    }
}

/// Dropped when the thread that runs a job ends: it marks the job's thread as ended.
struct EndOfThread {
    board: Arc<Board>,
    job: usize,
}

impl Drop for EndOfThread {
    fn drop(&mut self) {
        // Never panic here: a panic while a thread ends aborts the whole test program.
        let mut ended = self
            .board
            .ended
            .lock()
            .unwrap_or_else(PoisonError::into_inner);
        ended[self.job] = true;
        self.board.changed.notify_all();
    }
}

thread_local! {
    static THIS_THREADS_JOB: RefCell<Option<EndOfThread>> = const { RefCell::new(None) };
}

/// The work of the checks: job `i` fails at once on the calling thread or on a thread that
/// already ran a job, then waits for job `i + 1`'s thread to end, and returns `format!("result
/// {i}")`.
fn work_in_reverse(
    board: &Arc<Board>,
    caller: ThreadId,
    jobs: usize,
) -> impl Fn(usize) -> String + Clone + Send + 'static {
    let board = Arc::clone(board);
    move |job| {
        board.calls.lock().unwrap()[job] += 1;
        assert!(
            thread::current().id() != caller,
            "job {job} ran on the calling thread: give every input a thread of its own"
        );
        THIS_THREADS_JOB.with(|slot| {
            let previous = slot.replace(Some(EndOfThread {
                board: Arc::clone(&board),
                job,
            }));
            assert!(
                previous.is_none(),
                "job {job} ran on a thread that had run another job: give every input a thread of its own"
            );
        });
        if job + 1 < jobs {
            board.wait_until_ended(job + 1, job);
        }
        format!("result {job}")
    }
}

/// Runs `run_in_input_order` on a thread of its own, and fails with a clear message if it does
/// not return within [`RUN_PATIENCE`] (instead of hanging the check).
fn run_with_patience<R: Send + 'static>(run: impl FnOnce(ThreadId) -> R + Send + 'static) -> R {
    let (done, returned) = mpsc::channel();
    thread::spawn(move || {
        let _ = done.send(run(thread::current().id()));
    });
    match returned.recv_timeout(RUN_PATIENCE) {
        Ok(result) => result,
        Err(mpsc::RecvTimeoutError::Timeout) => panic!(
            "run_in_input_order did not return within {RUN_PATIENCE:?} after its jobs had finished: \
             a loop over the Receiver ends only when every Sender is dropped, the caller's own too"
        ),
        Err(mpsc::RecvTimeoutError::Disconnected) => {
            panic!("run_in_input_order panicked (its message is above)")
        }
    }
}

#[test]
#[ignore = "checked by cargo xtask verify"]
fn results_come_back_in_input_order_though_they_arrive_last_first() {
    let jobs = 4;
    let board = Board::new(jobs);
    let work_board = Arc::clone(&board);
    let results = run_with_patience(move |caller| {
        run_in_input_order(
            (0..jobs).collect(),
            work_in_reverse(&work_board, caller, jobs),
        )
    });
    let expected: Vec<String> = (0..jobs).map(|job| format!("result {job}")).collect();
    let reversed: Vec<String> = expected.iter().rev().cloned().collect();
    assert!(
        results != reversed,
        "the results came back as {results:?}, in the order the jobs finished (the last input's \
         first): send every result with the index of its input, and put it at that index"
    );
    assert_eq!(
        results, expected,
        "the results must be in the order of the inputs"
    );
}

#[test]
#[ignore = "checked by cargo xtask verify"]
fn every_input_runs_once_and_no_result_is_lost_or_doubled() {
    let jobs = 8;
    let board = Board::new(jobs);
    let work_board = Arc::clone(&board);
    let results = run_with_patience(move |caller| {
        run_in_input_order(
            (0..jobs).collect(),
            work_in_reverse(&work_board, caller, jobs),
        )
    });
    let calls = board.calls.lock().unwrap().clone();
    for (job, count) in calls.iter().enumerate() {
        assert_eq!(
            *count, 1,
            "job {job} ran {count} times; every input runs once"
        );
    }
    assert_eq!(
        results.len(),
        jobs,
        "{jobs} inputs must give {jobs} results, not {results:?}"
    );
    let expected: Vec<String> = (0..jobs).map(|job| format!("result {job}")).collect();
    assert_eq!(results, expected);
}

#[test]
#[ignore = "checked by cargo xtask verify"]
fn the_inputs_are_moved_to_their_threads() {
    // Inputs that are not `Copy`: each belongs to its thread, and its result comes back in place.
    let names = vec![
        "a.zip".to_string(),
        "b.zip".to_string(),
        "c.zip".to_string(),
    ];
    let results = run_with_patience(move |_| run_in_input_order(names, |name| name.len()));
    assert_eq!(results, [5, 5, 5]);
}

#[test]
#[ignore = "checked by cargo xtask verify"]
fn no_inputs_give_no_results() {
    let results = run_with_patience(|_| run_in_input_order(Vec::<u8>::new(), |n| n));
    assert!(results.is_empty(), "no inputs, yet results: {results:?}");
}
