//! The checks of `first-error-cancels-all`. `cargo xtask verify first-error-cancels-all` runs
//! them; they are ignored by a plain `cargo test` so that the course's own test suite passes
//! before you start.
//!
//! Each check draws its files per run (how many, their chunks, when each chunk comes, which file
//! fails and when) and sends them on a tokio runtime with one thread and a paused clock: the
//! clock moves only when every task waits, straight to the next timer, so every time below is
//! exact. A sender sees when each of its chunks was taken, and whether anyone still holds its
//! channel. After `save_all` returns, the checks let the clock run 30 s more and look at the
//! folder again: whatever `save_all` left running shows.

use std::collections::BTreeMap;
use std::fs;
use std::path::Path;
use std::sync::{Arc, Mutex, PoisonError, mpsc};
use std::thread;
use std::time::Duration;

use course_checks::seeded::Seeded;

use super::{Chunks, save_all};

/// How long a check waits, in real time, for `save_all` and the 30 s of tokio's clock after it.
const PATIENCE: Duration = Duration::from_secs(10);

/// One file as the checks send it: before each chunk, a pause on tokio's clock.
#[derive(Debug, Clone)]
struct Plan {
    name: String,
    steps: Vec<(Duration, Result<Vec<u8>, String>)>,
}

impl Plan {
    /// The whole file: every chunk, if none is an error.
    fn whole(&self) -> Option<Vec<u8>> {
        let mut whole = Vec::new();
        for (_, chunk) in &self.steps {
            whole.extend_from_slice(chunk.as_ref().ok()?);
        }
        Some(whole)
    }

    /// When this file fails (since the start), and with what message.
    fn failure(&self) -> Option<(Duration, String)> {
        let mut at = Duration::ZERO;
        for (pause, chunk) in &self.steps {
            at += *pause;
            if let Err(message) = chunk {
                return Some((at, message.clone()));
            }
        }
        None
    }

    /// When its last chunk is sent.
    fn end(&self) -> Duration {
        self.steps.iter().map(|(pause, _)| *pause).sum()
    }
}

/// What the senders saw.
#[derive(Debug, Default)]
struct Log {
    /// Chunks that waited to be taken: file, chunk number, how long.
    waited: Vec<(String, usize, Duration)>,
    /// When `save_all` returned, once it has.
    returned: Option<Duration>,
    /// Chunks taken after `save_all` returned.
    taken_after_return: Vec<String>,
}

/// What a call of `save_all` did.
#[derive(Debug)]
struct Outcome {
    result: Result<(), String>,
    returned_at: Duration,
    /// Files whose channel someone still held, with chunks still to come, when it returned.
    still_held: Vec<String>,
    files_at_return: BTreeMap<String, Vec<u8>>,
    files_later: BTreeMap<String, Vec<u8>>,
    log: Log,
}

fn files_in(dir: &Path) -> BTreeMap<String, Vec<u8>> {
    fs::read_dir(dir)
        .expect("the folder is readable")
        .filter_map(Result::ok)
        .map(|entry| {
            let name = entry.file_name().to_string_lossy().into_owned();
            let bytes = fs::read(entry.path()).unwrap_or_default();
            (name, bytes)
        })
        .collect()
}

/// Sends the chunks of `plan` into `sender`, each after its pause, and notes how long each
/// waited to be taken (the channel holds one chunk: the next send waits until it is taken).
async fn send(
    plan: Plan,
    sender: tokio::sync::mpsc::Sender<Result<Vec<u8>, String>>,
    start: tokio::time::Instant,
    log: Arc<Mutex<Log>>,
) {
    for (number, (pause, chunk)) in plan.steps.into_iter().enumerate() {
        tokio::time::sleep(pause).await;
        let sent = start.elapsed();
        if sender.send(chunk).await.is_err() {
            return;
        }
        let Ok(permit) = sender.reserve().await else {
            return;
        };
        drop(permit);
        let taken = start.elapsed();
        let mut log = log.lock().unwrap_or_else(PoisonError::into_inner);
        if taken > sent + Duration::from_millis(1) {
            log.waited
                .push((plan.name.clone(), number + 1, taken.saturating_sub(sent)));
        }
        if log.returned.is_some_and(|returned| taken > returned) {
            log.taken_after_return.push(plan.name.clone());
        }
    }
}

/// Runs `save_all` on `plans` in a fresh folder, on a paused one-thread runtime of its own.
fn run(plans: &[Plan]) -> Outcome {
    let plans = plans.to_vec();
    let (done, outcome) = mpsc::channel();
    thread::Builder::new()
        .name("save-all".to_string())
        .spawn(move || {
            let dir = tempfile::tempdir().expect("a temporary folder");
            let runtime = tokio::runtime::Builder::new_current_thread()
                .enable_all()
                .start_paused(true)
                .build()
                .expect("a tokio runtime");
            let outcome = runtime.block_on(async {
                let start = tokio::time::Instant::now();
                let log = Arc::new(Mutex::new(Log::default()));
                let mut watched = Vec::new();
                let mut sources: Vec<(String, Chunks)> = Vec::new();
                for plan in plans {
                    let (sender, chunks) = tokio::sync::mpsc::channel(1);
                    watched.push((plan.name.clone(), sender.downgrade()));
                    sources.push((plan.name.clone(), chunks));
                    tokio::spawn(send(plan, sender, start, Arc::clone(&log)));
                }
                let result = save_all(dir.path(), sources).await;
                let returned_at = start.elapsed();
                let still_held = watched
                    .iter()
                    .filter(|(_, weak)| weak.upgrade().is_some_and(|sender| !sender.is_closed()))
                    .map(|(name, _)| name.clone())
                    .collect();
                let files_at_return = files_in(dir.path());
                log.lock().unwrap_or_else(PoisonError::into_inner).returned = Some(returned_at);
                tokio::time::sleep(Duration::from_secs(30)).await;
                let files_later = files_in(dir.path());
                let log = std::mem::take(&mut *log.lock().unwrap_or_else(PoisonError::into_inner));
                Outcome {
                    result,
                    returned_at,
                    still_held,
                    files_at_return,
                    files_later,
                    log,
                }
            });
            let _ = done.send(outcome);
        })
        .expect("a thread");
    match outcome.recv_timeout(PATIENCE) {
        Ok(outcome) => outcome,
        Err(mpsc::RecvTimeoutError::Timeout) => panic!(
            "save_all did not return, or the 30 s of tokio's clock after it never passed, within \
             {PATIENCE:?} of real time. On the paused clock, time moves only when every task \
             waits: a loop that never waits (it spins, or calls `yield_now`), or a task that \
             blocks the runtime's one thread (a std lock, `thread::sleep`), holds it still. \
             Wait with `.await` on what you wait for (`join_next`, `recv`)"
        ),
        Err(mpsc::RecvTimeoutError::Disconnected) => {
            panic!("save_all panicked (see the message of thread 'save-all')")
        }
    }
}

/// Checks what every call must get right, failure or not.
fn assert_nothing_left(plans: &[Plan], outcome: &Outcome, seed: u64) {
    assert!(
        outcome.still_held.is_empty(),
        "when save_all returned, the saving of {:?} was still running: it still held the \
         channel of its chunks, with chunks to come. A task outlived save_all. A dropped \
         `JoinHandle` leaves its task running, and a dropped `JoinSet` only asks its tasks to \
         stop: they go later. Abort the others and wait until they are gone \
         (`JoinSet::shutdown().await`) before you return (seed {seed})",
        outcome.still_held
    );
    assert!(
        outcome.log.taken_after_return.is_empty(),
        "chunks of {:?} were still taken after save_all returned: a task outlived save_all \
         (seed {seed})",
        outcome.log.taken_after_return
    );
    for (name, bytes) in &outcome.files_at_return {
        let plan = plans.iter().find(|plan| &plan.name == name);
        match plan.map(Plan::whole) {
            Some(Some(whole)) if &whole == bytes => {}
            Some(Some(whole)) => panic!(
                "when save_all returned, {name} in the folder held {} of its {} bytes: a file \
                 was half-written. Write into a temporary file in the folder \
                 (`tempfile::NamedTempFile::new_in`) and give it its name only when it is whole \
                 (seed {seed})",
                bytes.len(),
                whole.len()
            ),
            Some(None) => panic!(
                "when save_all returned, the folder held {name} ({} bytes), a file that failed: \
                 it was half-written, since its chunks never all came. Write into a temporary \
                 file, named only when whole (seed {seed})",
                bytes.len()
            ),
            None => panic!(
                "when save_all returned, the folder held {name:?}, which is no file of the \
                 sources (all of them: {:?}): a temporary file left behind, or a file under a \
                 name of your own. A cancelled save must delete its temporary file \
                 (`NamedTempFile` does, when dropped) (seed {seed})",
                plans.iter().map(|plan| &plan.name).collect::<Vec<_>>()
            ),
        }
    }
    if let Some((name, number, waited)) = outcome.log.waited.first() {
        panic!(
            "chunk {number} of {name} waited {waited:?} on tokio's clock before it was taken: \
             the files must be saved at the same time, a task each, each taking its chunks as \
             they come (seed {seed})"
        );
    }
}

fn assert_folder_still(outcome: &Outcome, seed: u64) {
    assert!(
        outcome.files_at_return == outcome.files_later,
        "the folder changed after save_all returned: {:?} when it returned, {:?} 30 s later. \
         Something it started was still running (seed {seed})",
        outcome.files_at_return.keys().collect::<Vec<_>>(),
        outcome.files_later.keys().collect::<Vec<_>>()
    );
}

fn seconds(duration: Duration) -> String {
    format!("{:.3} s", duration.as_secs_f64())
}

/// Random bytes of a random length (empty now and then).
fn chunk(random: &mut Seeded) -> Vec<u8> {
    let length = if random.between(0, 9) == 0 {
        0
    } else {
        random.size(1, 3000)
    };
    (0..length)
        .map(|_| u8::try_from(random.between(0, 255)).unwrap_or(0))
        .collect()
}

fn pause(random: &mut Seeded, low: u64, high: u64) -> Duration {
    Duration::from_millis(random.between(low, high))
}

/// A file that goes on past `after`: its first chunk before it, the others after.
fn long_plan(random: &mut Seeded, number: usize, after: Duration) -> Plan {
    let name = name(random, number);
    let after = u64::try_from(after.as_millis()).unwrap_or(u64::MAX).max(2);
    let mut steps = vec![(pause(random, 1, after - 1), Ok(chunk(random)))];
    for _ in 0..random.size(2, 4) {
        steps.push((pause(random, after, after + 300), Ok(chunk(random))));
    }
    Plan { name, steps }
}

/// A file that fails: a few chunks, then an error, in well under `within`.
fn failing_plan(random: &mut Seeded, number: usize, first_pause: u64) -> Plan {
    let name = name(random, number);
    let mut steps = Vec::new();
    let mut first = Some(first_pause);
    for _ in 0..random.size(0, 2) {
        let pause_ms = first.take().unwrap_or_else(|| random.between(10, 60));
        steps.push((Duration::from_millis(pause_ms), Ok(chunk(random))));
    }
    let pause_ms = first.take().unwrap_or_else(|| random.between(10, 60));
    let message = format!("{name}: connection reset after {} chunks", steps.len());
    steps.push((Duration::from_millis(pause_ms), Err(message)));
    Plan { name, steps }
}

fn name(random: &mut Seeded, number: usize) -> String {
    let kinds = ["report", "photo", "backup", "notes", "data"];
    format!(
        "{}-{number}.{}",
        random.pick(&kinds),
        random.pick(&["bin", "txt", "dat"])
    )
}

#[test]
#[ignore = "checked by cargo xtask verify"]
fn every_file_is_saved_whole() {
    let mut random = Seeded::new();
    let seed = random.seed();
    let count = random.size(2, 5);
    let mut plans: Vec<Plan> = (1..=count)
        .map(|number| Plan {
            name: name(&mut random, number),
            steps: (0..random.size(0, 4))
                .map(|_| (pause(&mut random, 10, 200), Ok(chunk(&mut random))))
                .collect(),
        })
        .collect();
    // One more file, empty: no chunk at all, or one empty chunk.
    let empty = (0..random.size(0, 1))
        .map(|_| (pause(&mut random, 10, 200), Ok(Vec::new())))
        .collect();
    plans.push(Plan {
        name: name(&mut random, count + 1),
        steps: empty,
    });
    random.shuffle(&mut plans);
    let outcome = run(&plans);
    assert_nothing_left(&plans, &outcome, seed);
    assert_eq!(
        outcome.result,
        Ok(()),
        "no file failed, yet save_all returned an error (seed {seed})"
    );
    for plan in &plans {
        assert!(
            outcome.files_at_return.contains_key(&plan.name)
                || plan.whole().is_some_and(|whole| !whole.is_empty()),
            "no file failed, yet {} is not in the folder when save_all returns: its channel \
             closed with no bytes ({} chunks, all empty), and an empty file is a file too (seed \
             {seed})",
            plan.name,
            plan.steps.len()
        );
        assert!(
            outcome.files_at_return.contains_key(&plan.name),
            "no file failed, yet {} is not in the folder when save_all returns (seed {seed})",
            plan.name
        );
    }
    let last = plans.iter().map(Plan::end).max().unwrap_or_default();
    assert!(
        outcome.returned_at <= last + Duration::from_millis(1),
        "save_all returned at {} on tokio's clock, though the last chunk came at {}: it waited \
         for nothing (a sleep?) (seed {seed})",
        seconds(outcome.returned_at),
        seconds(last)
    );
    assert_folder_still(&outcome, seed);
}

/// Checks a call on `plans`, of which some fail.
fn assert_first_error_stops_the_rest(plans: &[Plan], seed: u64) {
    let outcome = run(plans);
    assert_nothing_left(plans, &outcome, seed);
    let (first_at, first_error) = plans
        .iter()
        .filter_map(Plan::failure)
        .min_by_key(|(at, _)| *at)
        .expect("a plan fails");
    let first_name = plans
        .iter()
        .find(|plan| {
            plan.failure()
                .is_some_and(|(_, message)| message == first_error)
        })
        .map(|plan| plan.name.clone())
        .unwrap_or_default();
    match &outcome.result {
        Ok(()) => panic!(
            "save_all returned Ok(()), though {first_name} failed with {first_error:?} (seed \
             {seed})"
        ),
        Err(error) if error == &first_error => {}
        Err(error) => {
            let theirs = plans
                .iter()
                .filter_map(Plan::failure)
                .find(|(_, message)| message == error);
            match theirs {
                Some((at, _)) => panic!(
                    "save_all returned {error:?}, which came at {} on tokio's clock, but \
                     {first_name} failed first, at {}: return the first error to come, not \
                     the first in the order of `sources` (take results as they come: \
                     `JoinSet::join_next`) (seed {seed})",
                    seconds(at),
                    seconds(first_at)
                ),
                None => panic!(
                    "save_all returned {error:?}; the first error to come was {first_error:?}: \
                     return it as it is (seed {seed})"
                ),
            }
        }
    }
    assert!(
        outcome.returned_at <= first_at + Duration::from_millis(1),
        "save_all returned at {} on tokio's clock, but the first error came at {}: the first \
         error must stop the others at once, not wait for them to end (seed {seed})",
        seconds(outcome.returned_at),
        seconds(first_at)
    );
    assert!(
        !outcome.files_at_return.contains_key(&first_name),
        "the file that failed, {first_name}, is in the folder (seed {seed})"
    );
    assert_folder_still(&outcome, seed);
}

#[test]
#[ignore = "checked by cargo xtask verify"]
fn the_first_error_stops_the_others() {
    let mut random = Seeded::new();
    let seed = random.seed();
    let count = random.size(3, 5);
    let failing = random.size(0, count - 1);
    let fail = failing_plan(&mut random, failing + 1, 40);
    let (at, _) = fail.failure().expect("it fails");
    let plans: Vec<Plan> = (0..count)
        .map(|index| {
            if index == failing {
                fail.clone()
            } else {
                long_plan(&mut random, index + 1, at)
            }
        })
        .collect();
    assert_first_error_stops_the_rest(&plans, seed);
}

#[test]
#[ignore = "checked by cargo xtask verify"]
fn the_first_error_is_the_first_to_come() {
    let mut random = Seeded::new();
    let seed = random.seed();
    // The one that fails later comes first in `sources`; a third goes on past both.
    let early = failing_plan(&mut random, 2, 20);
    let (early_at, _) = early.failure().expect("it fails");
    let late_pause = u64::try_from(early_at.as_millis()).unwrap_or(0) + random.between(50, 200);
    let late = failing_plan(&mut random, 1, late_pause);
    let (late_at, _) = late.failure().expect("it fails");
    let long = long_plan(&mut random, 3, late_at);
    assert_first_error_stops_the_rest(&[late, early, long], seed);
}

#[test]
#[ignore = "checked by cargo xtask verify"]
fn an_error_at_once_and_no_files_at_all() {
    let mut random = Seeded::new();
    let seed = random.seed();
    let outcome = run(&[]);
    assert_eq!(
        outcome.result,
        Ok(()),
        "with no files to save, save_all must return Ok(()) (seed {seed})"
    );
    assert_eq!(
        outcome.returned_at,
        Duration::ZERO,
        "with no files to save, save_all must return at once (seed {seed})"
    );
    let at_once = Plan {
        name: name(&mut random, 1),
        steps: vec![(Duration::ZERO, Err("refused at once".to_string()))],
    };
    let other = long_plan(&mut random, 2, Duration::from_millis(30));
    // Its first chunk comes after the error, at 30 ms or later.
    let other = Plan {
        steps: other
            .steps
            .into_iter()
            .map(|(pause, chunk)| (pause + Duration::from_millis(30), chunk))
            .collect(),
        ..other
    };
    assert_first_error_stops_the_rest(&[other, at_once], seed);
}
