//! The checks of `fan-in-in-order`. `cargo xtask verify fan-in-in-order` runs them; they are
//! ignored by a plain `cargo test` so that the course's own test suite passes before you start.
//!
//! No check sleeps to make a thread late. Each check decides the order in which the results
//! arrive: every job but the first of that order waits until the thread of the job before it has
//! *ended* (seen by a thread-local value that is dropped when its thread ends, after it sent its
//! result). The orders are the inputs' own, its reverse, a fixed mix and random ones (a seeded
//! generator: the seed is in every failure message, and `COURSE_SEED=<seed>` runs the same
//! orders again). A job never panics: it notes what it saw, and the check says what went wrong
//! once `run_in_input_order` is over.

use std::cell::RefCell;
use std::sync::{Arc, Condvar, Mutex, MutexGuard, PoisonError};
use std::thread::{self, ThreadId};
use std::time::Duration;

use course_checks::cpu::{self, SLEEPING_WAIT};
use course_checks::lesson_06::{Stopped, run_on_its_own_thread};
use course_checks::seeded::Seeded;

use super::run_in_input_order;

/// How long a job waits before it gives up, notes what it waited for and returns. Generous:
/// threads start and end in microseconds.
const PATIENCE: Duration = Duration::from_secs(3);

/// How long the function under check may take to return once its jobs are over (they all
/// ended, or one gave up waiting): it only has to collect the results. Generous too.
const RUN_PATIENCE: Duration = Duration::from_secs(2);

/// What the jobs of one run have seen.
#[derive(Debug, Default, Clone)]
struct Seen {
    /// Which jobs' threads have started and ended.
    started: Vec<bool>,
    ended: Vec<bool>,
    /// How many times each job ran.
    calls: Vec<usize>,
    on_caller: Option<usize>,
    /// A job that ran on a thread that had already run another one.
    reused_thread: Option<usize>,
    /// What a job waited for in vain (the first one; the later ones do not wait).
    gave_up: Option<String>,
}

struct Board {
    seen: Mutex<Seen>,
    changed: Condvar,
}

impl Board {
    fn new(jobs: usize) -> Arc<Self> {
        Arc::new(Self {
            seen: Mutex::new(Seen {
                started: vec![false; jobs],
                ended: vec![false; jobs],
                calls: vec![0; jobs],
                ..Seen::default()
            }),
            changed: Condvar::new(),
        })
    }

    fn seen(&self) -> MutexGuard<'_, Seen> {
        self.seen.lock().unwrap_or_else(PoisonError::into_inner)
    }

    /// Job `asking_job` waits until the thread of `job` has ended.
    fn wait_until_ended(&self, job: usize, asking_job: usize) {
        let seen = self.seen();
        let (mut seen, waited) = self
            .changed
            .wait_timeout_while(seen, PATIENCE, |seen| {
                seen.gave_up.is_none() && !seen.ended[job]
            })
            .unwrap_or_else(PoisonError::into_inner);
        if waited.timed_out() && seen.gave_up.is_none() {
            let state = if seen.started[job] {
                "was still running"
            } else {
                "had not started"
            };
            seen.gave_up = Some(format!(
                "job {asking_job} waited {PATIENCE:?} for the thread of job {job} to end, and it \
                 never did (job {job} {state})"
            ));
            self.changed.notify_all();
        }
    }
}

impl Board {
    /// Waits until every job's thread has ended, or a job gave up waiting (then the others do
    /// not wait), or a job ran on the caller (which has not ended), for at most twice
    /// [`PATIENCE`].
    fn wait_until_over(&self) {
        let seen = self.seen();
        let _ = self
            .changed
            .wait_timeout_while(seen, 2 * PATIENCE, |seen| {
                seen.gave_up.is_none()
                    && seen.on_caller.is_none()
                    && !seen.ended.iter().all(|ended| *ended)
            })
            .unwrap_or_else(PoisonError::into_inner);
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
        self.board.seen().ended[self.job] = true;
        self.board.changed.notify_all();
    }
}

thread_local! {
    static THIS_THREADS_JOB: RefCell<Option<EndOfThread>> = const { RefCell::new(None) };
}

/// One run: the results arrive in the order `arrival` (a permutation of the jobs), and job `i`
/// returns `labels[i]`.
#[derive(Debug, Clone)]
struct Case {
    arrival: Vec<usize>,
    labels: Vec<String>,
}

impl Case {
    /// A case whose results arrive in `arrival`, with labels that do not sort in input order.
    fn new(arrival: Vec<usize>, seeded: &mut Seeded) -> Self {
        let jobs = arrival.len();
        let mut numbers: Vec<usize> = (0..jobs).collect();
        loop {
            seeded.shuffle(&mut numbers);
            let sorted = numbers.windows(2).all(|pair| pair[0] < pair[1]);
            let reversed = numbers.windows(2).all(|pair| pair[0] > pair[1]);
            if jobs < 3 || (!sorted && !reversed) {
                break;
            }
        }
        let labels = numbers
            .iter()
            .map(|number| format!("result {number:02}"))
            .collect();
        Self { arrival, labels }
    }

    fn random(jobs: usize, seeded: &mut Seeded) -> Self {
        let mut arrival: Vec<usize> = (0..jobs).collect();
        seeded.shuffle(&mut arrival);
        Self::new(arrival, seeded)
    }

    fn expected(&self) -> Vec<String> {
        self.labels.clone()
    }
}

/// The work of the checks: job `i` notes the thread it runs on, waits for the thread of the job
/// that arrives before it to end, and returns its label.
fn work(
    board: &Arc<Board>,
    caller: ThreadId,
    case: &Case,
) -> impl Fn(usize) -> String + Clone + Send + 'static {
    let board = Arc::clone(board);
    let labels = case.labels.clone();
    let arrival = case.arrival.clone();
    move |job| {
        {
            let mut seen = board.seen();
            seen.calls[job] += 1;
            seen.started[job] = true;
            if thread::current().id() == caller {
                seen.on_caller.get_or_insert(job);
                board.changed.notify_all(); // the check need not wait for the jobs' threads
                return labels[job].clone();
            }
        }
        THIS_THREADS_JOB.with(|slot| {
            let previous = slot.replace(Some(EndOfThread {
                board: Arc::clone(&board),
                job,
            }));
            if previous.is_some() {
                board.seen().reused_thread.get_or_insert(job);
            }
        });
        let place = arrival.iter().position(|j| *j == job).unwrap();
        if place > 0 {
            board.wait_until_ended(arrival[place - 1], job);
        }
        labels[job].clone()
    }
}

/// Runs `run_in_input_order` on a thread of its own; gives it [`RUN_PATIENCE`] to return once
/// `jobs_over` has returned.
fn run_with_patience<R: Send + 'static>(
    run: impl FnOnce(ThreadId) -> R + Send + 'static,
    jobs_over: impl FnOnce(),
) -> Result<R, Stopped> {
    let running = run_on_its_own_thread(move || run(thread::current().id()));
    jobs_over();
    running.wait(RUN_PATIENCE)
}

/// The results of a run, or the learner's own mistake first: where the jobs ran, whether they
/// ran at the same time, then whether `run_in_input_order` returned.
fn results_of<R>(seen: &Seen, inputs: &str, run: Result<R, Stopped>) -> R {
    if let Some(job) = seen.on_caller {
        panic!(
            "job {job} ran on the calling thread ({inputs}): give every input a thread of its own"
        );
    }
    if let Some(job) = seen.reused_thread {
        panic!(
            "job {job} ran on a thread that had run another job ({inputs}): give every input a \
             thread of its own"
        );
    }
    if let Some(what) = &seen.gave_up {
        panic!(
            "{what} ({inputs}): the jobs must run at the same time. Start a thread for every \
             input before you wait for any result"
        );
    }
    match run {
        Ok(results) => results,
        Err(Stopped::Panicked(message)) => panic!("run_in_input_order panicked: {message}"),
        Err(Stopped::TimedOut) => panic!(
            "run_in_input_order did not return within {RUN_PATIENCE:?} after its jobs had \
             finished ({inputs}): a loop over the Receiver ends only when every Sender is \
             dropped, the caller's own too"
        ),
    }
}

/// Runs one case and checks its results.
fn check(case: &Case, seed: u64) {
    let jobs = case.arrival.len();
    let board = Board::new(jobs);
    let (work_board, work_case) = (Arc::clone(&board), case.clone());
    let run = run_with_patience(
        move |caller| {
            run_in_input_order((0..jobs).collect(), work(&work_board, caller, &work_case))
        },
        || board.wait_until_over(),
    );
    let noted = board.seen().clone();
    let inputs = format!(
        "{jobs} inputs whose results arrived in the order of inputs {:?}, seed {seed}",
        case.arrival
    );
    let results = results_of(&noted, &inputs, run);
    for (job, count) in noted.calls.iter().enumerate() {
        assert!(
            *count == 1,
            "job {job} ran {count} times ({inputs}); every input runs once"
        );
    }
    let expected = case.expected();
    if results == expected {
        return;
    }
    let arrived: Vec<String> = case
        .arrival
        .iter()
        .map(|j| case.labels[*j].clone())
        .collect();
    let mut sorted = expected.clone();
    sorted.sort();
    let how = if results == arrived {
        "in the order the jobs finished: send every result with the index of its input, and put \
         it at that index"
    } else if results.iter().rev().eq(arrived.iter()) {
        "in the reverse of the order the jobs finished, which is the order of the inputs only \
         when they finish last first: send every result with the index of its input, and put it \
         at that index"
    } else if results == sorted {
        "sorted by their values, which says nothing about their inputs: send every result with \
         the index of its input, and put it at that index"
    } else if results.len() != jobs {
        "with results missing or doubled: every input gives one result"
    } else {
        "in neither the order of the inputs nor the order they arrived in: put every result at \
         the index of its input"
    };
    panic!("the results came back as {results:?}, {how} (expected {expected:?}; {inputs})");
}

#[test]
#[ignore = "checked by cargo xtask verify"]
fn results_come_back_in_input_order_whatever_order_they_arrive_in() {
    let mut seeded = Seeded::new();
    let seed = seeded.seed();
    let mut cases = vec![
        Case::new(vec![0, 1, 2, 3], &mut seeded),
        Case::new(vec![3, 2, 1, 0], &mut seeded),
        Case::new(vec![2, 0, 3, 1, 4], &mut seeded),
    ];
    for _ in 0..3 {
        let jobs = seeded.size(3, 12);
        cases.push(Case::random(jobs, &mut seeded));
    }
    for case in &cases {
        check(case, seed);
    }
}

#[test]
#[ignore = "checked by cargo xtask verify"]
fn every_input_runs_once_on_a_thread_of_its_own_with_more_inputs_than_cores() {
    let mut seeded = Seeded::new();
    let seed = seeded.seed();
    let jobs = seeded.size(16, 40);
    check(&Case::random(jobs, &mut seeded), seed);
}

#[test]
#[ignore = "checked by cargo xtask verify"]
fn the_inputs_are_moved_to_their_threads() {
    // Inputs that are not `Copy`: each belongs to its thread, and its result comes back in place.
    let names = vec![
        "a.zip".to_string(),
        "bb.zip".to_string(),
        "ccc.zip".to_string(),
    ];
    let run = run_with_patience(move |_| run_in_input_order(names, |name| name.len()), || {});
    let results = results_of(&Seen::default(), "three file names", run);
    assert_eq!(
        results,
        [5, 6, 7],
        "the lengths of three file names, in order"
    );
}

#[test]
#[ignore = "checked by cargo xtask verify"]
fn no_inputs_give_no_results_and_one_gives_one() {
    let run = run_with_patience(|_| run_in_input_order(Vec::<u8>::new(), |n| n), || {});
    let results = results_of(&Seen::default(), "no inputs", run);
    assert!(results.is_empty(), "no inputs, yet results: {results:?}");
    let run = run_with_patience(|_| run_in_input_order(vec![7_u8], |n| n * 2), || {});
    let results = results_of(&Seen::default(), "one input", run);
    assert_eq!(results, [14], "one input, 7, doubled");
}

#[test]
#[ignore = "checked by cargo xtask verify"]
fn waiting_for_results_sleeps_instead_of_polling() {
    // Each job takes a while (it sleeps: that is its work, not a way to order anything).
    let work = Duration::from_millis(300);
    let (run, cost) = cpu::measure(|| {
        run_with_patience(
            move |_| {
                run_in_input_order(vec![1_u64, 2, 3], move |n| {
                    thread::sleep(work);
                    n * 10
                })
            },
            || thread::sleep(work),
        )
    });
    let results = results_of(&Seen::default(), "three jobs that take 300 ms", run);
    assert_eq!(results, [10, 20, 30]);
    assert!(
        cost.cores_busy() < SLEEPING_WAIT,
        "while its jobs slept, run_in_input_order kept {:.2} cores busy ({:?} of CPU in {:?}): \
         something polls, such as a loop on `try_recv` that tries again at once. `recv` (or a \
         `for` loop over the Receiver) sleeps until a result comes",
        cost.cores_busy(),
        cost.cpu,
        cost.wall
    );
}
