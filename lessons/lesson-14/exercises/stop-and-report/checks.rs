//! The checks of `stop-and-report`. `cargo xtask verify stop-and-report` runs them; they are
//! ignored by a plain `cargo test` so that the course's own test suite passes before you start.
//!
//! Your crawl checks a real site, served on loopback inside the test program
//! (`course_site::Site`), whose server counts every request per address, the most in flight,
//! the requests a client gave up on and the connections left open. It runs on a tokio runtime
//! with one thread, on the real clock. The `fetch` it is given is the site's async fetch, wrapped
//! by the checks: it notes when a fetch starts (its first poll), when it ends, and when it is
//! dropped before its end (cut).
//!
//! The checks cancel `stop` themselves, from inside the M-th fetch, as it starts: M is drawn per
//! run, so the stop comes at a moment the checks choose, not at a time that depends on the
//! machine. From then on, a fetch in flight never ends by itself (once its answer is in, it waits
//! forever): a crawl that waits for the fetches in flight, or for a wave of them, before it looks
//! at the stop waits until its time-outs, and is seen not to have returned [`STOP_PATIENCE`]
//! after the stop. A crawl stopped at once returns within milliseconds. When `crawl` returns, the
//! checks count the fetches still alive: a task left running holds one.
//!
//! One crawl that is not stopped has a single permit, and the fetches of two pages the first
//! page links to take 0.9 s each, within the time-out: an address found with them waits for both,
//! longer than the time-out, and must still be fetched (the time-out bounds the fetch, not the
//! wait for a permit).
//!
//! One stopped crawl runs on two worker threads, and the fetch that cancels `stop` then blocks
//! its thread for 200 ms: a task aborted meanwhile is dropped only when that poll is over, so a
//! crawl that aborts its tasks and returns without waiting until they are gone is seen.
//!
//! How many pages, the limit, the latency and M are drawn anew on every run; the seed is in the
//! messages, and `COURSE_SEED=<seed>` draws them again.

use std::collections::{BTreeMap, BTreeSet};
use std::panic::{self, AssertUnwindSafe};
use std::sync::{Arc, Mutex, MutexGuard, PoisonError, mpsc};
use std::thread;
use std::time::{Duration, Instant};

use course_checks::lesson_06::panic_message;
use course_checks::seeded::Seeded;
use course_site::{FetchError, Fetched, Scope, Site, SiteOptions};
use tokio_util::sync::CancellationToken;
use url::Url;

use super::{Crawled, crawl};

/// The time-out the crawl is given for each fetch: the stalled page is given up on after it.
const TIMEOUT: Duration = Duration::from_millis(1500);

/// How long after the stop `crawl` may take to return: a crawl stopped at once returns in
/// milliseconds; one that waits for a fetch in flight waits at least until its time-out.
const STOP_PATIENCE: Duration = Duration::from_millis(500);

/// The pages the first page links to whose fetches take [`HELD_FOR`] in one check: well within
/// the time-out each, but one address found with them waits for both, longer than the time-out,
/// when only one fetch may run at once.
const HELD: [&str; 2] = ["/page/1", "/page/2"];
const HELD_FOR: Duration = Duration::from_millis(900);

/// How long the fetch that cancels `stop` blocks its thread in one check: shorter than
/// [`STOP_PATIENCE`], so that a crawl that waits for its tasks to be gone is not late.
const BLOCKED_FOR: Duration = Duration::from_millis(200);

/// How much sooner than [`TIMEOUT`] a fetch may end and still count as timed out (a timer never
/// fires early; the fetch starts a few microseconds after its time-out).
const CUT_EARLY: Duration = Duration::from_millis(100);

/// The longest a whole crawl of a check may take.
const PATIENCE: Duration = Duration::from_secs(10);

/// When the checks cancel `stop`.
#[derive(Debug, Clone, Copy)]
enum StopAt {
    /// Before `crawl` is called.
    Before,
    /// As the n-th fetch (from 1) starts.
    Fetch(usize),
    /// Never: the crawl must end by itself.
    Never,
}

/// What the checks' `fetch` saw.
#[derive(Debug, Default, Clone)]
struct Board {
    started: usize,
    /// Fetches started and not ended or dropped.
    alive: usize,
    most: usize,
    /// Fetches started after the stop.
    after_stop: usize,
    /// Fetches dropped before their end: by a time-out, or by the stop.
    dropped: usize,
    /// The addresses (path and query) of the fetches dropped before their end after the stop.
    cut: Vec<String>,
    /// When the fetch of each address (path and query) started, and when it ended or was
    /// dropped.
    fetched: BTreeMap<String, (Instant, Option<Instant>)>,
}

type Shared = Arc<Mutex<Board>>;

fn board(shared: &Shared) -> MutexGuard<'_, Board> {
    shared.lock().unwrap_or_else(PoisonError::into_inner)
}

/// The path and query of `url`, as the server counts it.
fn target(url: &Url) -> String {
    url[url::Position::BeforePath..url::Position::AfterQuery].to_string()
}

/// Counts a fetch alive until dropped; dropped before its end after the stop, it was cut.
struct Alive {
    shared: Shared,
    stop: CancellationToken,
    target: String,
    ended: bool,
}

impl Drop for Alive {
    fn drop(&mut self) {
        let mut board = board(&self.shared);
        board.alive -= 1;
        if let Some((_, end)) = board.fetched.get_mut(&self.target) {
            end.get_or_insert_with(Instant::now);
        }
        if !self.ended {
            board.dropped += 1;
            if self.stop.is_cancelled() {
                board.cut.push(std::mem::take(&mut self.target));
            }
        }
    }
}

/// The checks' fetch of `url`: the site's async fetch, noted, and never ending once the crawl
/// was told to stop.
async fn fetch_noted(
    shared: Shared,
    stop: CancellationToken,
    stop_at: StopAt,
    extra: Extra,
    url: Url,
) -> Result<Fetched, FetchError> {
    let (mut alive, now_stop) = {
        let mut board = board(&shared);
        board.started += 1;
        board
            .fetched
            .entry(target(&url))
            .or_insert((Instant::now(), None));
        board.alive += 1;
        board.most = board.most.max(board.alive);
        if stop.is_cancelled() {
            board.after_stop += 1;
        }
        let alive = Alive {
            shared: Arc::clone(&shared),
            stop: stop.clone(),
            target: target(&url),
            ended: false,
        };
        (
            alive,
            matches!(stop_at, StopAt::Fetch(n) if n == board.started),
        )
    };
    if now_stop {
        stop.cancel();
        if extra == Extra::BlockAtStop {
            // Still inside its first poll, on a worker thread of its own.
            thread::sleep(BLOCKED_FOR);
        }
    }
    if extra == Extra::HoldTwoPages && HELD.contains(&alive.target.as_str()) {
        tokio::time::sleep(HELD_FOR).await;
    }
    let result = course_site::fetch::asynchronous::fetch(&url).await;
    if stop.is_cancelled() {
        // Told to stop: this fetch ends only when it is cut.
        std::future::pending::<()>().await;
    }
    alive.ended = true;
    result
}

/// How a run ended.
#[derive(Debug)]
enum Ended {
    Returned(Crawled),
    /// Not returned [`STOP_PATIENCE`] after the stop.
    LateAfterStop,
    /// Not returned after [`PATIENCE`].
    StillCrawling,
    Panicked(String),
}

/// One run: a site, a crawl, what they saw.
struct Run {
    site: Site,
    start: Url,
    ended: Ended,
    /// The fetches' board when `crawl` returned (or was given up on).
    board: Board,
    stop_at: StopAt,
    inputs: String,
}

fn run(pages: usize, latency: Duration, k: usize, stop_at: StopAt, seed: u64) -> Run {
    run_with(pages, latency, k, stop_at, Extra::Nothing, seed)
}

/// What a run does besides the usual.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Extra {
    Nothing,
    /// The fetches of [`HELD`] take [`HELD_FOR`] before they ask.
    HoldTwoPages,
    /// The runtime has two worker threads, and the fetch that cancels `stop` then blocks its
    /// thread for [`BLOCKED_FOR`] inside that same poll: a task aborted meanwhile is dropped only
    /// once its poll is over, so a crawl that aborts its tasks without waiting for them (and
    /// yields once, say) returns while one still runs.
    BlockAtStop,
}

/// [`run`], with something `extra`.
fn run_with(
    pages: usize,
    latency: Duration,
    k: usize,
    stop_at: StopAt,
    extra: Extra,
    seed: u64,
) -> Run {
    let site = Site::start(SiteOptions { pages, latency }).expect("the site starts");
    let start = Url::parse(&site.url()).expect("the site's address");
    let shared: Shared = Arc::default();
    let stop = CancellationToken::new();
    if matches!(stop_at, StopAt::Before) {
        stop.cancel();
    }
    let (done, outcome) = mpsc::channel();
    {
        let (shared, start) = (Arc::clone(&shared), start.clone());
        thread::Builder::new()
            .name("crawl".to_string())
            .spawn(move || {
                let runtime = if extra == Extra::BlockAtStop {
                    tokio::runtime::Builder::new_multi_thread()
                        .worker_threads(2)
                        .enable_all()
                        .build()
                } else {
                    tokio::runtime::Builder::new_current_thread()
                        .enable_all()
                        .build()
                }
                .expect("a tokio runtime");
                let fetch = {
                    let (shared, stop) = (Arc::clone(&shared), stop.clone());
                    move |url: Url| {
                        fetch_noted(Arc::clone(&shared), stop.clone(), stop_at, extra, url)
                    }
                };
                let ran = panic::catch_unwind(AssertUnwindSafe(|| {
                    runtime.block_on(async {
                        let crawling = crawl(start, k, TIMEOUT, fetch, stop.clone());
                        tokio::pin!(crawling);
                        let late = async {
                            stop.cancelled().await;
                            tokio::time::sleep(STOP_PATIENCE).await;
                        };
                        let ended = tokio::select! {
                            biased;
                            crawled = &mut crawling => Ended::Returned(crawled),
                            () = late => Ended::LateAfterStop,
                            () = tokio::time::sleep(PATIENCE) => Ended::StillCrawling,
                        };
                        // Seen at once, before any other task of the runtime runs again.
                        (ended, board(&shared).clone())
                    })
                }));
                let outcome = ran.unwrap_or_else(|payload| {
                    (
                        Ended::Panicked(panic_message(&*payload)),
                        board(&shared).clone(),
                    )
                });
                drop(runtime);
                let _ = done.send(outcome);
            })
            .expect("a thread");
    }
    let (ended, board) = outcome.recv_timeout(PATIENCE * 2).unwrap_or_else(|_| {
        panic!(
            "crawl had not returned after {:?}, and the checks' timers never fired: it blocks the \
             runtime's one thread (a blocking call, `std::thread::sleep`, a loop that never \
             reaches an `.await`)",
            PATIENCE * 2
        )
    });
    let stop_text = match stop_at {
        StopAt::Before => "a stop before the crawl starts".to_string(),
        StopAt::Fetch(n) => format!("a stop as fetch {n} starts"),
        StopAt::Never => "no stop".to_string(),
    };
    let inputs = format!(
        "a site of {pages} pages, k = {k}, a mean latency of {} ms, {stop_text} (seed {seed})",
        latency.as_millis()
    );
    Run {
        site,
        start,
        ended,
        board,
        stop_at,
        inputs,
    }
}

/// What every run must get right, the learner's own mistake first.
fn assert_right(run: Run, k: usize) {
    let Run {
        site,
        start,
        ended,
        board,
        stop_at,
        inputs,
    } = run;
    // Once every connection is closed, the server knows when each request stopped waiting (a
    // client that gave up is seen within milliseconds): only then is its count exact.
    let open = site.server().open_connections_after(Duration::from_secs(5));
    let most = board.most.max(site.seen().max_in_flight);
    if let Ended::Panicked(message) = &ended {
        panic!("crawl panicked, in {inputs}: {message}");
    }
    // First: a fetch cut by a time-out that began in the wait for a permit is still in flight,
    // as the server sees it, when the next one starts.
    if let Ended::Returned(crawled) = &ended {
        never_fetched_yet_timed_out(crawled, &board, &inputs);
    }
    assert!(
        most <= k,
        "{most} fetches ran at once, in {inputs}: at most k = {k} may"
    );
    let crawled = match ended {
        Ended::Returned(crawled) => crawled,
        Ended::Panicked(_) => unreachable!("told above"),
        Ended::LateAfterStop => panic!(
            "crawl had not returned {STOP_PATIENCE:?} after the stop, in {inputs} ({} fetches \
             were in flight then, {} started after the stop): a crawl told to stop stops at \
             once. One that looks at `stop` only when a fetch ends, or when a whole wave of \
             fetches has ended, or not at all, waits for fetches that may never end (a page \
             that never answers is given up only at its time-out). Wait for the stop beside the \
             tasks, `tokio::select! {{ biased; () = stop.cancelled() => break, done = \
             tasks.join_next() => … }}`, then cut every task left",
            board.alive, board.after_stop
        ),
        Ended::StillCrawling => panic!(
            "crawl had not returned after {PATIENCE:?}, in {inputs} ({} fetches started): a \
             right answer is over in a second or two",
            board.started
        ),
    };
    assert!(
        board.alive == 0,
        "{} fetches were still running when crawl returned (such as one started by fetch {}), \
         in {inputs}: a task outlived the crawl. A task of `tokio::spawn` runs on after its \
         handle is dropped, and `abort_all` (or dropping a JoinSet) only asks its tasks to stop: \
         they go on until the runtime runs them again. Keep the tasks in a JoinSet and \
         `shutdown().await` it: that cuts them and waits until each is gone",
        board.alive,
        board.started
    );
    assert_report_holds_together(&site, &start, &crawled, &board, &inputs);
    match stop_at {
        StopAt::Never => {
            // The first page links to 9 or 10 others, all spawned at once: each task is polled
            // before any answer can come in.
            assert!(
                board.most >= k,
                "only {} fetches ran at once, in {inputs}: the first page links to 9 or more \
                 others, so k = {k} of them are fetched at once (a `Semaphore` of k permits, or \
                 k tasks in the JoinSet)",
                board.most
            );
            let mistakes = site.mistakes(0);
            assert!(
                mistakes.is_empty() && crawled.not_checked.is_empty(),
                "a crawl that is not stopped checks every address of the site once, in \
                 {inputs}; the server saw:\n  {}\nand not_checked holds {} addresses",
                mistakes.join("\n  "),
                crawled.not_checked.len()
            );
        }
        StopAt::Before => assert!(
            crawled.checked.is_empty() && crawled.not_checked == [start.clone()],
            "with `stop` cancelled before the crawl starts, nothing is checked and the first page \
             is the one address not checked; crawl checked {} and did not check {:?}, in {inputs}",
            crawled.checked.len(),
            crawled.not_checked.iter().map(target).collect::<Vec<_>>()
        ),
        StopAt::Fetch(_) => assert!(
            !crawled.not_checked.is_empty(),
            "crawl was stopped before its end, but not_checked is empty, in {inputs}: the \
             addresses queued or in flight when the stop came were not checked"
        ),
    }
    let seen = site.seen();
    assert!(
        seen.abandoned <= board.dropped,
        "the server saw {} requests given up on, but only {} fetches were cut, in {inputs}",
        seen.abandoned,
        board.dropped
    );
    assert_eq!(
        open, 0,
        "{open} connections to the site were still open 5 s after crawl returned, in {inputs}: \
         a fetch still running?"
    );
}

/// No address in checked came back as timed out unless its fetch ran for the time-out.
fn never_fetched_yet_timed_out(crawled: &Crawled, board: &Board, inputs: &str) {
    let too_soon: Vec<(String, String)> = crawled
        .checked
        .iter()
        .filter(|one| matches!(one.result, Err(FetchError::TimedOut(_))))
        .filter_map(|one| {
            let address = target(&one.url);
            let ran = match board.fetched.get(&address) {
                None => "never started".to_string(),
                Some((start, Some(end))) if *end - *start + CUT_EARLY < TIMEOUT => {
                    format!("ran for {:.1?} only", *end - *start)
                }
                Some(_) => return None,
            };
            Some((address, ran))
        })
        .collect();
    if let Some((first, ran)) = too_soon.first() {
        panic!(
            "{first} came back as timed out ({} addresses in all), but its fetch {ran}, where \
             the time-out is {TIMEOUT:?}, in {inputs}: the time-out bounds the fetch, not the \
             wait for a permit. An address that waits its turn behind slow pages is not late: \
             take the permit first, then put the time-out around the fetch alone",
            too_soon.len()
        );
    }
}

/// Every address found is checked or not checked, never both; none is checked twice; none was
/// fetched twice.
fn assert_report_holds_together(
    site: &Site,
    start: &Url,
    crawled: &Crawled,
    board: &Board,
    inputs: &str,
) {
    let scope = Scope::new(start, &[]);
    let mut checked: BTreeMap<String, usize> = BTreeMap::new();
    let mut found = BTreeSet::from([target(start)]);
    for one in &crawled.checked {
        *checked.entry(target(&one.url)).or_default() += 1;
        if let Ok(fetched) = &one.result {
            for link in fetched.links() {
                if let Some(url) = &link.url
                    && scope.follows(link)
                {
                    found.insert(target(url));
                }
            }
        }
    }
    let mut not_checked: BTreeMap<String, usize> = BTreeMap::new();
    for url in &crawled.not_checked {
        *not_checked.entry(target(url)).or_default() += 1;
    }
    let cut: BTreeSet<&String> = board.cut.iter().collect();
    if let Some(address) = cut.iter().find(|address| checked.contains_key(**address)) {
        panic!(
            "{address} was cut in flight by the stop, yet it is in checked, in {inputs}: a \
             fetch that was cut brought nothing back, so its address was not checked; it \
             belongs in not_checked"
        );
    }
    let lost: Vec<&String> = found
        .iter()
        .filter(|address| !checked.contains_key(*address) && !not_checked.contains_key(*address))
        .collect();
    if let Some(address) = lost.iter().find(|address| cut.contains(**address)) {
        panic!(
            "{address} was being fetched when the stop came, and it is neither in checked nor \
             in not_checked, in {inputs}: the report lost the fetches in flight ({} addresses \
             lost in all). Keep the addresses spawned and not back in a set; those left when the \
             crawl stops are not checked",
            lost.len()
        );
    }
    assert!(
        lost.is_empty(),
        "{} addresses were found (linked from a page checked) but are neither in checked nor \
         in not_checked (such as {}), in {inputs}: every address found is one or the other, \
         and those queued or in flight when the stop came are not checked",
        lost.len(),
        lost.first().map_or("", |address| address.as_str())
    );
    let twice: Vec<&String> = checked
        .iter()
        .chain(&not_checked)
        .filter(|(_, count)| **count > 1)
        .map(|(address, _)| address)
        .collect();
    assert!(
        twice.is_empty(),
        "{} is in the report more than once, in {inputs}: each address is checked or not \
         checked, once",
        twice.first().map_or("", |address| address.as_str())
    );
    if let Some(address) = checked
        .keys()
        .find(|address| not_checked.contains_key(*address))
    {
        panic!(
            "{address} is both in checked and in not_checked, in {inputs}: an address whose \
             fetch ended is checked, and only then"
        );
    }
    if let Some(address) = not_checked.keys().find(|address| !found.contains(*address)) {
        panic!(
            "{address} is in not_checked, but no page checked links to it, in {inputs}: only \
             addresses found are not checked"
        );
    }
    let seen = site.seen();
    if let Some((address, times)) = seen.requests.iter().find(|(_, times)| **times > 1) {
        panic!(
            "the site's server saw {address} fetched {times} times, in {inputs}: each address \
             is fetched once"
        );
    }
    assert!(
        seen.elsewhere == 0,
        "the crawl fetched the other host {} times, in {inputs}: it follows only its own site",
        seen.elsewhere
    );
}

#[test]
#[ignore = "checked by cargo xtask verify"]
fn a_stop_cuts_the_fetches_in_flight_and_the_report_holds_together() {
    let mut seeded = Seeded::new();
    let seed = seeded.seed();
    let latency = Duration::from_millis(seeded.between(20, 50));
    // A stop during the first wave of fetches, and one later.
    let k = seeded.size(2, 5);
    let runs = [
        (seeded.size(30, 200), k, seeded.size(2, k + 1)),
        (seeded.size(30, 200), seeded.size(2, 5), seeded.size(8, 20)),
    ];
    for (pages, k, at) in runs {
        let run = run(pages, latency, k, StopAt::Fetch(at), seed);
        assert_right(run, k);
    }
    // On two worker threads, the fetch that brings the stop blocks its thread a while: a task
    // aborted meanwhile is gone only once that poll is over.
    let (pages, k) = (seeded.size(30, 200), seeded.size(2, 5));
    let at = seeded.size(2, k + 1);
    let run = run_with(
        pages,
        latency,
        k,
        StopAt::Fetch(at),
        Extra::BlockAtStop,
        seed,
    );
    assert_right(run, k);
}

#[test]
#[ignore = "checked by cargo xtask verify"]
fn a_crawl_not_stopped_checks_everything_and_one_stopped_first_checks_nothing() {
    let mut seeded = Seeded::new();
    let seed = seeded.seed();
    let latency = Duration::from_millis(seeded.between(2, 5));
    let (pages, k) = (seeded.size(10, 30), seeded.size(2, 4));
    assert_right(run(pages, latency, k, StopAt::Never, seed), k);
    // One permit, and two of the first page's links that take most of the time-out each: an
    // address found with them waits for both, longer than the time-out, before its fetch.
    assert_right(
        run_with(pages, latency, 1, StopAt::Never, Extra::HoldTwoPages, seed),
        1,
    );
    assert_right(run(pages, latency, k, StopAt::Before, seed), k);
    // Stopped as the very first fetch starts: only the first page was in flight.
    assert_right(run(pages, latency, k, StopAt::Fetch(1), seed), k);
}
