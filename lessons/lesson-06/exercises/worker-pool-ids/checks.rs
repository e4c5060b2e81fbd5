//! The checks of `worker-pool-ids`. `cargo xtask verify worker-pool-ids` runs them; they are
//! ignored by a plain `cargo test` so that the course's own test suite passes before you start.
//!
//! No check sleeps to make a job late. In the first check, job 0 waits until job 2 has started:
//! with two workers, that can only happen once the other worker has finished job 1 and sent its
//! result, so job 1's result always arrives before job 0's.

use std::collections::HashSet;
use std::sync::mpsc;
use std::sync::{Arc, Condvar, Mutex};
use std::thread::{self, ThreadId};
use std::time::Duration;

use super::run_pool;

/// How long anything waits before the check gives up and says why. Generous: a worker takes a
/// job in microseconds.
const PATIENCE: Duration = Duration::from_secs(5);

/// How long the function under check may take: longer than [`PATIENCE`], so that a job that gave
/// up waiting has said why before the whole run is called stuck.
const RUN_PATIENCE: Duration = Duration::from_secs(10);

/// What the jobs have seen.
#[derive(Debug, Default)]
struct Board {
    started: HashSet<usize>,
    running: usize,
    most_running: usize,
    threads: HashSet<ThreadId>,
}

#[derive(Default)]
struct Shared {
    board: Mutex<Board>,
    changed: Condvar,
}

impl Shared {
    /// Job `id` starts: it must not run on `caller`, and it is counted as running.
    fn start(&self, id: usize, caller: ThreadId) {
        let me = thread::current().id();
        assert!(
            me != caller,
            "job {id} ran on the calling thread: the workers run the jobs"
        );
        let mut board = self.board.lock().unwrap();
        board.started.insert(id);
        board.threads.insert(me);
        board.running += 1;
        board.most_running = board.most_running.max(board.running);
        self.changed.notify_all();
    }

    fn finish(&self) {
        self.board.lock().unwrap().running -= 1;
        self.changed.notify_all();
    }

    /// Waits until `until(board)` holds; `what` says what was awaited if it never does.
    fn wait(&self, id: usize, what: &str, until: impl Fn(&Board) -> bool) {
        let board = self.board.lock().unwrap();
        let (board, waited) = self
            .changed
            .wait_timeout_while(board, PATIENCE, |board| !until(board))
            .unwrap();
        let (started, most_running) = (board.started.clone(), board.most_running);
        drop(board); // before a failing assert, so that the lock is not poisoned
        assert!(
            !waited.timed_out(),
            "job {id} waited {PATIENCE:?} for {what}, and it never happened \
             (jobs started: {started:?}, the most running at once: {most_running})"
        );
    }
}

type Job = Box<dyn FnOnce() -> String + Send>;

/// `count` jobs; job `id` returns `"result of job {id}"` after `before_returning(id)`.
fn jobs(
    shared: &Arc<Shared>,
    caller: ThreadId,
    count: usize,
    before_returning: impl Fn(&Shared, usize) + Send + Sync + 'static,
) -> Vec<Job> {
    let before_returning = Arc::new(before_returning);
    (0..count)
        .map(|id| {
            let (shared, before_returning) = (Arc::clone(shared), Arc::clone(&before_returning));
            Box::new(move || {
                shared.start(id, caller);
                before_returning(&shared, id);
                shared.finish();
                format!("result of job {id}")
            }) as Job
        })
        .collect()
}

/// Runs `run_pool` with the jobs `make_jobs` gives for the calling thread, and fails with a
/// clear message if it does not return within [`RUN_PATIENCE`] (instead of hanging the check).
fn run_with_patience(
    workers: usize,
    make_jobs: impl FnOnce(ThreadId) -> Vec<Job> + Send + 'static,
) -> Vec<(usize, String)> {
    let (done, returned) = mpsc::channel();
    thread::spawn(move || {
        let jobs = make_jobs(thread::current().id());
        let _ = done.send(run_pool(workers, jobs));
    });
    match returned.recv_timeout(RUN_PATIENCE) {
        Ok(results) => results,
        Err(mpsc::RecvTimeoutError::Timeout) => panic!(
            "run_pool did not return within {RUN_PATIENCE:?}: a worker ends when the queue is empty \
             and its Sender dropped; the loop over the results ends when every Sender of the \
             results is dropped, the caller's own too"
        ),
        Err(mpsc::RecvTimeoutError::Disconnected) => {
            panic!("run_pool panicked (its message is above)")
        }
    }
}

/// Every result must be the one of the job its id names, and every id must come back once.
fn assert_ids_match(results: &[(usize, String)], count: usize) {
    for (id, result) in results {
        assert!(
            *result == format!("result of job {id}"),
            "\"{result}\" came back labelled with id {id}: numbering results by arrival gives \
             wrong ids once a later job finishes first; send each job with its id, and each \
             result with its job's id"
        );
    }
    let mut ids: Vec<usize> = results.iter().map(|(id, _)| *id).collect();
    ids.sort_unstable();
    assert_eq!(
        ids,
        (0..count).collect::<Vec<_>>(),
        "every job's result must come back exactly once"
    );
}

#[test]
#[ignore = "checked by cargo xtask verify"]
fn every_result_carries_its_jobs_id_though_job_1_finishes_first() {
    let shared = Arc::new(Shared::default());
    let job_shared = Arc::clone(&shared);
    let results = run_with_patience(2, move |caller| {
        jobs(&job_shared, caller, 4, |shared, id| {
            if id == 0 {
                let what = "job 2 to start (the worker that ran job 1 should take it)";
                shared.wait(0, what, |board| board.started.contains(&2));
            }
        })
    });
    assert_ids_match(&results, 4);
}

#[test]
#[ignore = "checked by cargo xtask verify"]
fn a_pool_of_three_runs_three_jobs_at_once_on_three_threads() {
    let shared = Arc::new(Shared::default());
    let job_shared = Arc::clone(&shared);
    let results = run_with_patience(3, move |caller| {
        jobs(&job_shared, caller, 9, |shared, id| {
            // The first jobs wait until three run at once; the later ones find that done.
            let what = "three jobs to run at once (a pool of 3 workers runs 3)";
            shared.wait(id, what, |board| board.most_running >= 3);
        })
    });
    assert_ids_match(&results, 9);
    let board = shared.board.lock().unwrap();
    assert!(
        board.threads.len() <= 3,
        "9 jobs ran on {} threads: a pool of 3 runs every job on one of its 3 workers, which \
         take the next job from the queue when they are free",
        board.threads.len()
    );
    assert_eq!(board.most_running, 3, "at most 3 jobs run at once");
}

#[test]
#[ignore = "checked by cargo xtask verify"]
fn every_job_runs_once_and_its_result_comes_back_once() {
    let shared = Arc::new(Shared::default());
    let job_shared = Arc::clone(&shared);
    let results = run_with_patience(4, move |caller| jobs(&job_shared, caller, 20, |_, _| {}));
    assert_eq!(
        results.len(),
        20,
        "20 jobs must give 20 results, not {}",
        results.len()
    );
    assert_ids_match(&results, 20);
}

#[test]
#[ignore = "checked by cargo xtask verify"]
fn more_workers_than_jobs_and_no_jobs_at_all() {
    let shared = Arc::new(Shared::default());
    let job_shared = Arc::clone(&shared);
    let results = run_with_patience(5, move |caller| jobs(&job_shared, caller, 2, |_, _| {}));
    assert_ids_match(&results, 2);
    assert!(run_with_patience(3, |_| Vec::new()).is_empty());
}
