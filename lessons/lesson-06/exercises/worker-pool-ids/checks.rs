//! The checks of `worker-pool-ids`. `cargo xtask verify worker-pool-ids` runs them; they are
//! ignored by a plain `cargo test` so that the course's own test suite passes before you start.
//!
//! No check sleeps to make a job late: a slow job waits until what the check needs has happened
//! (every other job finished, or as many jobs running at once as the pool has workers). How many
//! workers and jobs, and which job is slow, change on every run (a seeded generator: the seed is
//! in every failure message, and `COURSE_SEED=<seed>` runs the same inputs again). A job never
//! panics: it notes what it saw, and the check says what went wrong once `run_pool` is over.

use std::collections::HashSet;
use std::sync::{Arc, Condvar, Mutex, PoisonError};
use std::thread::{self, ThreadId};
use std::time::Duration;

use course_checks::cpu::{self, SLEEPING_WAIT};
use course_checks::lesson_06::{Stopped, run_on_its_own_thread};
use course_checks::seeded::Seeded;

use super::run_pool;

/// How long a job waits before it gives up, notes what it waited for and returns. Generous:
/// a worker takes a job in microseconds.
const PATIENCE: Duration = Duration::from_secs(3);

/// How long the function under check may take to return once its jobs are over (they all
/// finished, or one gave up waiting): it only has to collect the results. Generous too.
const RUN_PATIENCE: Duration = Duration::from_secs(2);

/// What the jobs have seen.
#[derive(Debug, Default, Clone)]
struct Board {
    started: Vec<usize>,
    finished: usize,
    running: usize,
    most_running: usize,
    threads: HashSet<ThreadId>,
    /// A job that ran on the thread that called `run_pool`.
    on_caller: Option<usize>,
    /// What a job waited for in vain (the first one; the later ones do not wait), and whether
    /// that was for all the workers to run a job at once.
    gave_up: Option<(String, Wait)>,
}

/// What a job waits for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Wait {
    /// As many jobs running at once as the pool has workers.
    EveryWorkerBusy,
    /// Something else the pool must do meanwhile.
    Progress,
}

#[derive(Default)]
struct Shared {
    board: Mutex<Board>,
    changed: Condvar,
}

impl Shared {
    fn board(&self) -> std::sync::MutexGuard<'_, Board> {
        self.board.lock().unwrap_or_else(PoisonError::into_inner)
    }

    /// Job `id` starts: it notes where it runs, and is counted as running.
    fn start(&self, id: usize, caller: ThreadId) {
        let me = thread::current().id();
        let mut board = self.board();
        if me == caller {
            board.on_caller.get_or_insert(id);
        }
        board.started.push(id);
        board.threads.insert(me);
        board.running += 1;
        board.most_running = board.most_running.max(board.running);
        self.changed.notify_all();
    }

    fn finish(&self) {
        let mut board = self.board();
        board.running -= 1;
        board.finished += 1;
        self.changed.notify_all();
    }

    /// Job `id` waits until `until(board)` holds; if it never does, it notes `what` it waited
    /// for and returns, and no later job waits (nor one on the calling thread).
    fn wait(&self, id: usize, kind: Wait, what: &str, until: impl Fn(&Board) -> bool) {
        let board = self.board();
        let (mut board, waited) = self
            .changed
            .wait_timeout_while(board, PATIENCE, |board| {
                board.gave_up.is_none() && board.on_caller.is_none() && !until(board)
            })
            .unwrap_or_else(PoisonError::into_inner);
        if waited.timed_out() && board.gave_up.is_none() {
            board.gave_up = Some((format!("job {id} waited {PATIENCE:?} for {what}"), kind));
            self.changed.notify_all();
        }
    }

    /// Job `id` waits until `workers` jobs run at once (the first jobs of a run; the later ones
    /// find that done).
    fn wait_for_every_worker(&self, id: usize, workers: usize) {
        let what = format!("{workers} jobs to run at once");
        self.wait(id, Wait::EveryWorkerBusy, &what, |board| {
            board.most_running >= workers
        });
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

/// Runs `run_pool` with the `count` jobs `make_jobs` gives for the calling thread, and gives it
/// [`RUN_PATIENCE`] to return once they are over.
fn run_with_patience(
    shared: &Shared,
    workers: usize,
    count: usize,
    make_jobs: impl FnOnce(ThreadId) -> Vec<Job> + Send + 'static,
) -> Result<Vec<(usize, String)>, Stopped> {
    let running = run_on_its_own_thread(move || {
        let jobs = make_jobs(thread::current().id());
        run_pool(workers, jobs)
    });
    // The jobs are over when all have finished, or one gave up waiting (the others then do not
    // wait), or one ran on the caller (which runs the rest too).
    let board = shared.board();
    drop(
        shared
            .changed
            .wait_timeout_while(board, 2 * PATIENCE, |board| {
                board.finished < count && board.gave_up.is_none() && board.on_caller.is_none()
            })
            .unwrap_or_else(PoisonError::into_inner),
    );
    running.wait(RUN_PATIENCE)
}

/// What went wrong in a run of a pool of `workers`, the learner's own mistake first: where the
/// jobs ran, how many at once, then whether `run_pool` returned. Returns the results if it did.
fn results_of(
    shared: &Shared,
    workers: usize,
    seed: u64,
    run: Result<Vec<(usize, String)>, Stopped>,
) -> Vec<(usize, String)> {
    let board = shared.board().clone();
    let inputs = format!("a pool of {workers} workers (seed {seed})");
    if let Some(id) = board.on_caller {
        panic!("job {id} ran on the calling thread, in {inputs}: the workers run the jobs");
    }
    assert!(
        board.threads.len() <= workers,
        "the jobs ran on {} threads, in {inputs}: a pool runs every job on one of its \
         {workers} workers, and a worker that is free takes the next job from the queue",
        board.threads.len()
    );
    assert!(
        board.most_running <= workers,
        "{} jobs ran at once, in {inputs}: at most {workers} may",
        board.most_running
    );
    if let Some((what, kind)) = &board.gave_up {
        assert!(
            *kind != Wait::EveryWorkerBusy || board.most_running != 1,
            "only one job ran at a time, in {inputs} ({what}): a worker holds the queue's \
             lock while its job runs, so the others cannot take a job. \
             `while let Ok(job) = queue.lock().unwrap().recv() {{ … }}` keeps the lock's \
             guard until the end of the loop's body; take the job in a statement of its \
             own, `let job = queue.lock().unwrap().recv();`, so that the lock is released \
             before the job runs"
        );
        assert!(
            *kind != Wait::EveryWorkerBusy,
            "{what}, and it never happened: at most {} ran at once, in {inputs}. Start \
             exactly `workers` threads, each taking jobs from the queue until it is empty",
            board.most_running
        );
        panic!(
            "{what}, and it never happened (jobs started, in order: {:?}), in {inputs}: a \
             worker that is free must take the next job from the one shared queue at once, while \
             the others still run theirs",
            board.started
        );
    }
    match run {
        Ok(results) => results,
        Err(Stopped::Panicked(message)) => panic!("run_pool panicked: {message}"),
        Err(Stopped::TimedOut) => panic!(
            "run_pool did not return within {RUN_PATIENCE:?} once its jobs were over ({} of \
             them finished), in \
             {inputs}: a worker ends when the queue is empty and its Sender dropped; the loop \
             over the results ends when every Sender of the results is dropped, the caller's own \
             too",
            board.finished
        ),
    }
}

/// Every result must be the one of the job its id names, and every id must come back once.
fn assert_ids_match(results: &[(usize, String)], count: usize, seed: u64) {
    for (id, result) in results {
        assert!(
            *result == format!("result of job {id}"),
            "\"{result}\" came back labelled with id {id} (seed {seed}): numbering results by \
             arrival, or by worker, gives wrong ids once a job finishes before an earlier one; \
             send each job with its id, and each result with its job's id"
        );
    }
    let mut ids: Vec<usize> = results.iter().map(|(id, _)| *id).collect();
    ids.sort_unstable();
    assert_eq!(
        ids,
        (0..count).collect::<Vec<_>>(),
        "every job's result must come back exactly once (seed {seed})"
    );
}

#[test]
#[ignore = "checked by cargo xtask verify"]
fn a_free_worker_takes_the_next_job_and_every_result_keeps_its_id() {
    let mut seeded = Seeded::new();
    let seed = seeded.seed();
    let workers = seeded.size(2, 4);
    let count = workers + seeded.size(2, 6);
    // The first jobs run all at once. Then the slow job ends last, after every later one, and
    // at least one job after it is taken by a worker that has already run another.
    let slow = seeded.size(0, count - workers - 1);
    let shared = Arc::new(Shared::default());
    let job_shared = Arc::clone(&shared);
    let run = run_with_patience(&shared, workers, count, move |caller| {
        jobs(&job_shared, caller, count, move |shared, id| {
            if id < workers {
                shared.wait_for_every_worker(id, workers);
            }
            if id == slow {
                let what = format!("the {} other jobs to finish while it ran", count - 1);
                shared.wait(id, Wait::Progress, &what, |board| {
                    board.finished == count - 1
                });
            }
        })
    });
    let results = results_of(&shared, workers, seed, run);
    assert_ids_match(&results, count, seed);
}

#[test]
#[ignore = "checked by cargo xtask verify"]
fn a_pool_of_n_runs_n_jobs_at_once_on_n_threads() {
    let mut seeded = Seeded::new();
    let seed = seeded.seed();
    // More workers than the machine has cores, often.
    let workers = seeded.size(3, 8);
    let count = 2 * workers + seeded.size(0, 4);
    let shared = Arc::new(Shared::default());
    let job_shared = Arc::clone(&shared);
    let run = run_with_patience(&shared, workers, count, move |caller| {
        jobs(&job_shared, caller, count, move |shared, id| {
            shared.wait_for_every_worker(id, workers);
        })
    });
    let results = results_of(&shared, workers, seed, run);
    assert_ids_match(&results, count, seed);
    assert_eq!(shared.board().most_running, workers);
}

#[test]
#[ignore = "checked by cargo xtask verify"]
fn every_job_runs_once_and_its_result_comes_back_once() {
    let mut seeded = Seeded::new();
    let seed = seeded.seed();
    let count = seeded.size(20, 40);
    // Many jobs; one worker; more workers than jobs; no jobs at all.
    for (workers, count) in [(4, count), (1, 5), (5, 2), (3, 0)] {
        let shared = Arc::new(Shared::default());
        let job_shared = Arc::clone(&shared);
        let run = run_with_patience(&shared, workers, count, move |caller| {
            jobs(&job_shared, caller, count, |_, _| {})
        });
        let results = results_of(&shared, workers, seed, run);
        assert_eq!(
            results.len(),
            count,
            "{count} jobs on {workers} workers must give {count} results, not {} (seed {seed})",
            results.len()
        );
        assert_ids_match(&results, count, seed);
    }
}

#[test]
#[ignore = "checked by cargo xtask verify"]
fn waiting_for_results_sleeps_instead_of_polling() {
    // Each job takes a while (it sleeps: that is its work, not a way to order anything).
    let (workers, count, work) = (2, 4, Duration::from_millis(150));
    let shared = Arc::new(Shared::default());
    let job_shared = Arc::clone(&shared);
    let (run, cost) = cpu::measure(|| {
        run_with_patience(&shared, workers, count, move |caller| {
            jobs(&job_shared, caller, count, move |_, _| thread::sleep(work))
        })
    });
    let results = results_of(&shared, workers, 0, run);
    assert_ids_match(&results, count, 0);
    assert!(
        cost.cores_busy() < SLEEPING_WAIT,
        "while its jobs slept, run_pool kept {:.2} cores busy ({:?} of CPU in {:?}): something \
         polls, such as a loop on `try_recv` or `try_lock` that tries again at once. `recv` (or \
         a `for` loop over the Receiver) sleeps until a result comes",
        cost.cores_busy(),
        cost.cpu,
        cost.wall
    );
}
