//! The checks of `crawl-with-a-pool`. `cargo xtask verify crawl-with-a-pool` runs them; they are
//! ignored by a plain `cargo test` so that the course's own test suite passes before you start.
//!
//! Your crawl checks a real site, served on loopback inside the test program
//! (`course_site::Site`): its pages and its traps (a redirect chain and a loop, a page that never
//! answers, a very large one, a link to another host…). The site's server counts every request
//! per address, the most in flight at once, and the connections left open; the checks read those
//! counts. The `fetch` your crawl is given is the site's own blocking client, wrapped by the
//! checks: it notes which thread calls it and how many fetches run at once, and it holds a few
//! pages back, so that what a crawl must get right is forced on every run, not left to luck:
//!
//! - the first fetches after the first page wait until `workers` of them run at once (9 at
//!   most: the first page links to 9 or 10 others);
//! - `/page/1`, which the first page links to twice, waits until a second fetch of it starts, or
//!   13 fetches after the first page's have started (the first page has 10 links to other pages:
//!   a second copy of `/page/1` queued with them is taken by then), so that a crawl that can let
//!   two workers take one address does;
//! - in the second check the first page takes 1.5 s to answer (that is its latency: the checks
//!   never sleep to let things settle). Meanwhile there is nothing else to do: a crawl that ends
//!   after an idle wait shorter than that ends too early, one whose idle wait is longer returns
//!   long after its last answer, one that polls burns a core, and one that polls with a pause
//!   between its looks (a sleep) wakes up again and again (counted where the system tells:
//!   Linux).
//!
//! A check gives up when nothing is in flight and `crawl` has not returned for [`QUIET`], and
//! says what it saw. How many pages, how many workers and the latency are drawn anew on every
//! run; the seed is in the messages, and `COURSE_SEED=<seed>` draws them again.

use std::collections::{BTreeMap, BTreeSet, HashSet};
use std::panic::{self, AssertUnwindSafe};
use std::sync::{Arc, Condvar, Mutex, MutexGuard, PoisonError};
use std::thread::{self, ThreadId};
use std::time::{Duration, Instant};

use course_checks::cpu::{self, Cost, SLEEPING_WAIT};
use course_checks::lesson_06::panic_message;
use course_checks::seeded::Seeded;
use course_site::fetch::blocking::Client;
use course_site::{Checked, FetchError, Fetched, Site, SiteOptions};
use url::Url;

use super::crawl;

/// The client's time-out: the stalled page is given up on after it.
const TIMEOUT: Duration = Duration::from_millis(300);

/// How long a held page waits for what it waits for; a right answer needs milliseconds.
const STEP: Duration = Duration::from_secs(1);

/// How long the first page takes to answer in the second check.
const SLOW_FIRST_PAGE: Duration = Duration::from_millis(1500);

/// How many times one thread of the process may go to sleep while the first page is held for
/// [`SLOW_FIRST_PAGE`] in the second check: a worker that waits in `recv` or a `Condvar` goes to
/// sleep once and stays asleep; one that polls with a pause of 1 ms sleeps 1500 times, with a
/// pause of 250 ms 6 times.
const MOST_WAKEUPS: u64 = 10;

/// How long `crawl` may take to return once no fetch is in flight (or since it started, before
/// its first fetch): a crawl that is over returns in microseconds.
const QUIET: Duration = Duration::from_secs(1);

/// The longest a whole crawl of a check may take.
const PATIENCE: Duration = Duration::from_secs(12);

/// How many fetches after the first page's `/page/1` waits to see start: more than the first
/// page's other links, so that a second copy of `/page/1` queued with them is taken by then.
const OTHERS_BEFORE_PAGE_ONE: usize = 12;

/// What the checks' `fetch` saw.
#[derive(Debug)]
struct Board {
    threads: HashSet<ThreadId>,
    /// Fetches started so far.
    started: usize,
    in_flight: usize,
    most: usize,
    /// Fetches of `/page/1` started.
    page_one: usize,
    /// What a fetch held until the pool is full waited for in vain (the first one; later ones
    /// do not wait).
    gave_up: Option<String>,
    /// When a fetch last ended (or the crawl started).
    last_change: Instant,
    /// Whether `crawl` has returned (or panicked).
    returned: bool,
    /// What the process burned while the first page was held (second check).
    held_cost: Option<Cost>,
    /// The most times one thread of the process went to sleep meanwhile, where the system tells.
    held_wakeups: Option<u64>,
}

#[derive(Debug)]
struct Shared {
    board: Mutex<Board>,
    changed: Condvar,
}

impl Shared {
    fn new() -> Self {
        Shared {
            board: Mutex::new(Board {
                threads: HashSet::new(),
                started: 0,
                in_flight: 0,
                most: 0,
                page_one: 0,
                gave_up: None,
                last_change: Instant::now(),
                returned: false,
                held_cost: None,
                held_wakeups: None,
            }),
            changed: Condvar::new(),
        }
    }

    fn board(&self) -> MutexGuard<'_, Board> {
        self.board.lock().unwrap_or_else(PoisonError::into_inner)
    }

    /// Waits until `until(board)` holds, [`STEP`] at most; if it never does, notes `what` it
    /// waited for, and no later fetch waits on it.
    fn wait(&self, what: &str, until: impl Fn(&Board) -> bool) {
        let board = self.board();
        let (mut board, waited) = self
            .changed
            .wait_timeout_while(board, STEP, |board| {
                board.gave_up.is_none() && !until(board)
            })
            .unwrap_or_else(PoisonError::into_inner);
        if waited.timed_out() && board.gave_up.is_none() {
            board.gave_up = Some(what.to_string());
            self.changed.notify_all();
        }
    }
}

/// What the checks' `fetch` does besides fetching.
#[derive(Debug, Clone, Copy)]
struct Holds {
    workers: usize,
    /// The first page takes [`SLOW_FIRST_PAGE`] to answer.
    slow_first_page: bool,
}

/// The checks' `fetch`: the site's client, noting what it sees and holding pages back.
fn fetch_noted(
    shared: &Shared,
    client: &Client,
    holds: Holds,
    url: &Url,
) -> Result<Fetched, FetchError> {
    let target = url[url::Position::BeforePath..url::Position::AfterQuery].to_string();
    let index = {
        let mut board = shared.board();
        board.threads.insert(thread::current().id());
        let index = board.started;
        board.started += 1;
        board.in_flight += 1;
        board.most = board.most.max(board.in_flight);
        if target == "/page/1" {
            board.page_one += 1;
        }
        shared.changed.notify_all();
        index
    };
    if holds.slow_first_page && index == 0 {
        // The first page's latency, while nothing else can be fetched.
        let (wakeups, cost) = cpu::measure(|| {
            let before = wakeups_per_thread();
            thread::sleep(SLOW_FIRST_PAGE);
            let after = wakeups_per_thread();
            before
                .zip(after)
                .map(|(before, after)| most_woken_between(&before, &after))
        });
        let mut board = shared.board();
        board.held_cost = Some(cost);
        board.held_wakeups = wakeups;
    }
    let gate = holds.workers.min(9);
    if gate > 1 && (1..=gate).contains(&index) {
        let what = format!("{gate} fetches to run at once");
        shared.wait(&what, |board| board.most >= gate);
    }
    if holds.workers > 1 && target == "/page/1" && shared.board().page_one == 1 {
        // Held so that a second copy can be taken meanwhile; a right crawl has none, and after
        // STEP (which it never needs) this fetch simply goes on.
        let board = shared.board();
        drop(
            shared
                .changed
                .wait_timeout_while(board, STEP, |board| {
                    board.page_one == 1 && board.started < 2 + OTHERS_BEFORE_PAGE_ONE
                })
                .unwrap_or_else(PoisonError::into_inner),
        );
    }
    let result = client.fetch(url);
    let mut board = shared.board();
    board.in_flight -= 1;
    board.last_change = Instant::now();
    shared.changed.notify_all();
    result
}

/// How a run ended.
#[derive(Debug)]
enum Ended {
    Returned(Vec<Checked>),
    Panicked(String),
    /// Nothing in flight, and no return, for [`QUIET`].
    NeverReturned,
    /// Still fetching after [`PATIENCE`].
    StillFetching,
}

/// One run: a site, a pool, and what they saw.
struct Run {
    site: Site,
    shared: Arc<Shared>,
    ended: Ended,
    inputs: String,
}

fn run(pages: usize, latency: Duration, workers: usize, slow_first_page: bool, seed: u64) -> Run {
    let site = Site::start(SiteOptions { pages, latency }).expect("the site starts");
    let start = Url::parse(&site.url()).expect("the site's address");
    let shared = Arc::new(Shared::new());
    let client = Client::new(TIMEOUT);
    let holds = Holds {
        workers,
        slow_first_page,
    };
    let (done, returned) = std::sync::mpsc::channel();
    {
        let shared = Arc::clone(&shared);
        thread::spawn(move || {
            let fetch = {
                let shared = Arc::clone(&shared);
                move |url: &Url| fetch_noted(&shared, &client, holds, url)
            };
            let result = panic::catch_unwind(AssertUnwindSafe(|| crawl(start, workers, fetch)));
            let _ = done.send(result.map_err(|payload| panic_message(&*payload)));
            shared.board().returned = true;
            shared.changed.notify_all();
        });
    }
    let deadline = Instant::now() + PATIENCE;
    let mut board = shared.board();
    let mut ended_quiet = false;
    loop {
        if board.returned {
            break;
        }
        let now = Instant::now();
        let quiet_at = board.last_change + QUIET;
        if board.in_flight == 0 && now >= quiet_at {
            ended_quiet = true;
            break;
        }
        if now >= deadline {
            break;
        }
        let next = if board.in_flight == 0 {
            quiet_at.min(deadline)
        } else {
            deadline
        };
        board = shared
            .changed
            .wait_timeout(board, next.saturating_duration_since(now))
            .unwrap_or_else(PoisonError::into_inner)
            .0;
    }
    let finished = board.returned;
    drop(board);
    let ended = if finished {
        match returned.recv() {
            Ok(Ok(checked)) => Ended::Returned(checked),
            Ok(Err(message)) => Ended::Panicked(message),
            Err(_) => Ended::Panicked("a panic without a message".to_string()),
        }
    } else if ended_quiet {
        Ended::NeverReturned
    } else {
        Ended::StillFetching
    };
    let inputs = format!(
        "a site of {pages} pages, a pool of {workers} workers, a mean latency of {} ms (seed {seed})",
        latency.as_millis()
    );
    Run {
        site,
        shared,
        ended,
        inputs,
    }
}

/// The path and query of `url`, as the server counts it.
fn target(url: &Url) -> String {
    url[url::Position::BeforePath..url::Position::AfterQuery].to_string()
}

/// What every run must get right, the learner's own mistake first. `slow` is set in the check
/// whose first page takes [`SLOW_FIRST_PAGE`].
fn assert_right(run: Run, workers: usize, slow: bool) {
    let Run {
        site,
        shared,
        ended,
        inputs,
    } = run;
    let board = shared.board();
    let (threads, most, gave_up) = (board.threads.len(), board.most, board.gave_up.clone());
    let (held_cost, held_wakeups) = (board.held_cost, board.held_wakeups);
    drop(board);
    // Once every connection is closed, the server knows when each request stopped waiting (a
    // client that gave up is seen within milliseconds): only then is its count exact.
    let open = site.server().open_connections_after(Duration::from_secs(5));
    let most = most.max(site.seen().max_in_flight);
    assert_a_pool(threads, most, gave_up, workers, slow, &inputs);
    let checked = returned(ended, &site, &inputs);
    assert_every_address_once(&site, &checked, slow, &inputs);
    assert_eq!(
        open, 0,
        "{open} connections to the site were still open 5 s after crawl returned, in {inputs}: \
         a fetch still running?"
    );
    if let Some(cost) = held_cost {
        assert!(
            cost.cores_busy() < SLEEPING_WAIT,
            "while the first page took {SLOW_FIRST_PAGE:?} to answer, with nothing else to do, \
             the crawl kept {:.2} cores busy ({:?} of CPU in {:?}), in {inputs}: something \
             polls, such as a loop on `try_recv`, `try_lock` or a counter that tries again at \
             once. A worker with nothing to do sleeps in `recv` or a `Condvar`'s `wait` until \
             an address comes or the crawl is over",
            cost.cores_busy(),
            cost.cpu,
            cost.wall
        );
    }
    if let Some(woken) = held_wakeups {
        assert!(
            woken <= MOST_WAKEUPS,
            "while the first page took {SLOW_FIRST_PAGE:?} to answer, with nothing else to do, \
             one of the crawl's threads woke up {woken} times, in {inputs}: something polls, with a \
             pause between its looks (`thread::sleep`, `yield_now`, `recv_timeout` or \
             `wait_timeout` in a loop). It burns little CPU, but it is still a loop that looks again and again, \
             and sees a new address or the end only at its next look. A worker with nothing \
             to do sleeps in `recv` or a `Condvar`'s `wait` until an address comes or the \
             crawl is over"
        );
    }
}

/// How many times each thread of this process has left its core so far (its context switches,
/// voluntary or not), by thread id: a thread that waits the way the course teaches does so once per
/// wait, one that polls with a pause once per look. `None` where the system does not tell
/// (Linux tells, in `/proc`).
fn wakeups_per_thread() -> Option<BTreeMap<String, u64>> {
    if !cfg!(target_os = "linux") {
        return None; // macOS and Windows: the CPU-time check alone sees a polling worker
    }
    let tasks = std::fs::read_dir("/proc/self/task").ok()?;
    let mut counts = BTreeMap::new();
    for task in tasks.flatten() {
        let Ok(status) = std::fs::read_to_string(task.path().join("status")) else {
            continue; // a thread that ended meanwhile
        };
        // Both kinds: a thread that sleeps and wakes switches voluntarily, one that yields
        // (`yield_now`) to another program on its core does so involuntarily.
        let count: u64 = status
            .lines()
            .filter_map(|line| {
                line.strip_prefix("voluntary_ctxt_switches:")
                    .or_else(|| line.strip_prefix("nonvoluntary_ctxt_switches:"))
            })
            .filter_map(|count| count.trim().parse::<u64>().ok())
            .sum();
        counts.insert(task.file_name().to_string_lossy().into_owned(), count);
    }
    Some(counts)
}

/// The most times one thread woke up between two readings of [`wakeups_per_thread`] (a
/// thread started meanwhile counts from zero; one that ended is not seen).
fn most_woken_between(before: &BTreeMap<String, u64>, after: &BTreeMap<String, u64>) -> u64 {
    after
        .iter()
        .map(|(thread, count)| count.saturating_sub(before.get(thread).copied().unwrap_or(0)))
        .max()
        .unwrap_or(0)
}

/// The fetches ran on at most `workers` threads, at most `workers` at once, and `workers` at
/// once when the checks waited for that.
fn assert_a_pool(
    threads: usize,
    most: usize,
    gave_up: Option<String>,
    workers: usize,
    slow: bool,
    inputs: &str,
) {
    assert!(
        threads <= workers,
        "the fetches ran on {threads} threads, in {inputs}: a pool starts its {workers} \
         threads once, and each takes address after address from the one queue; a thread for \
         each link (or each page) is not a pool"
    );
    assert!(
        most <= workers,
        "{most} fetches ran at once, in {inputs}: at most {workers} may, one per worker"
    );
    let Some(what) = gave_up else { return };
    assert!(
        !slow,
        "after the first page, which took {SLOW_FIRST_PAGE:?} to answer, a fetch waited \
         {STEP:?} for {what}, in vain: at most {most} ran at once, in {inputs}. The other \
         workers had ended while the first page was fetched: a worker that finds the queue \
         empty (`try_recv` fails), or whose wait with a time-out (`recv_timeout`, a sleep) runs \
         out, must not quit while another worker still fetches a page, which may take longer \
         than any such wait and bring new links. The crawl is over when the queue is empty AND \
         no worker is busy"
    );
    panic!(
        "a fetch waited {STEP:?} for {what}, in vain: only {most} ran at once, in {inputs}. A \
         pool of {workers} fetches {workers} pages at once whenever there are that many queued: \
         start `workers` threads that each take the next address from one queue. If you did, \
         the others had ended: a worker that finds the queue empty must not quit while another \
         worker still fetches a page, which may bring new links"
    );
}

/// What `crawl` returned, or why it did not.
fn returned(ended: Ended, site: &Site, inputs: &str) -> Vec<Checked> {
    match ended {
        Ended::Returned(checked) => checked,
        Ended::Panicked(message) => panic!("crawl panicked, in {inputs}: {message}"),
        Ended::StillFetching => panic!(
            "crawl was still fetching after {PATIENCE:?}, in {inputs}: a right answer is over in \
             a second or two ({} requests so far)",
            site.server().requests_served()
        ),
        Ended::NeverReturned => {
            let never: Vec<String> = site
                .mistakes(0)
                .into_iter()
                .filter(|line| line.contains("fetched 0 times"))
                .collect();
            assert!(
                !never.is_empty(),
                "every address of the site was fetched, but crawl had not returned {QUIET:?} \
                 after its last fetch ended, in {inputs}: it never sees that the crawl is over. \
                 If each worker holds a Sender of the queue, the channel never closes and `recv` \
                 waits forever. Count the addresses queued or being fetched, and drop the \
                 queue's last Sender (or wake every worker to end) when that count is zero: the \
                 queue is empty and no worker is busy"
            );
            panic!(
                "crawl had not returned {QUIET:?} after its last fetch ended, with {} addresses \
                 never fetched (such as {}), in {inputs}: it is stuck. Is a worker waiting for \
                 an address nobody will queue, or for a lock another holds?",
                never.len(),
                never[0]
            );
        }
    }
}

/// Every address of the site is in what `crawl` returned, once, and the server saw each fetched
/// once.
fn assert_every_address_once(site: &Site, checked: &[Checked], slow: bool, inputs: &str) {
    let expected: BTreeSet<String> = site.expected(0).into_keys().collect();
    let mut returned: BTreeMap<String, usize> = BTreeMap::new();
    for one in checked {
        *returned.entry(target(&one.url)).or_default() += 1;
    }
    let missing: Vec<&String> = expected
        .iter()
        .filter(|address| !returned.contains_key(*address))
        .collect();
    if !missing.is_empty() {
        let early = if slow {
            format!(
                " The first page took {SLOW_FIRST_PAGE:?} to answer: a wait with a time-out \
                 (`recv_timeout`, a sleep) that runs out meanwhile is not the end either."
            )
        } else {
            String::new()
        };
        panic!(
            "crawl returned, but {} of the site's {} addresses are not in what it returned \
             (such as {}), in {inputs}: it ended before the crawl was over. An empty queue is \
             not the end while a worker still fetches a page: that page may bring new links. \
             The crawl is over when the queue is empty AND no worker is busy.{early}",
            missing.len(),
            expected.len(),
            missing[0]
        );
    }
    let mistakes = site.mistakes(0);
    let twice: Vec<&String> = mistakes
        .iter()
        .filter(|line| !line.contains("fetched 0 times") && !line.contains("fetched 1 times"))
        .collect();
    if let Some(busy) = twice.iter().find(|line| line.starts_with("/busy:")) {
        panic!(
            "the site's server saw {busy}, in {inputs}: this crawl does not retry; a `503` is \
             checked once, like any other answer (`attempts: 1`)"
        );
    }
    if let Some(first) = twice.first() {
        panic!(
            "the site's server saw one address fetched more than once ({first}; {} such), in \
             {inputs}: two workers both found it new. An address checked against the set of \
             those seen in one step and marked in another (after its fetch, or in a second \
             lock) lets another worker check it in between. Check and mark in one step, under \
             one lock, when you queue the link: `if seen.insert(url.clone()) {{ queue it }}`",
            twice.len()
        );
    }
    assert!(
        mistakes.is_empty(),
        "the site's server did not see what a crawl of it asks, in {inputs}:\n  {}",
        mistakes.join("\n  ")
    );
    let twice_returned: Vec<&String> = returned
        .iter()
        .filter(|(_, count)| **count > 1)
        .map(|(address, _)| address)
        .collect();
    assert!(
        twice_returned.is_empty(),
        "crawl returned {} addresses more than once (such as {}), in {inputs}: one `Checked` \
         per address",
        twice_returned.len(),
        twice_returned
            .first()
            .map_or("", |address| address.as_str())
    );
    let extra: Vec<&String> = returned
        .keys()
        .filter(|address| !expected.contains(*address))
        .collect();
    assert!(
        extra.is_empty(),
        "crawl returned addresses the site never linked to: {extra:?}, in {inputs}"
    );
}

#[test]
#[ignore = "checked by cargo xtask verify"]
fn every_address_is_fetched_once_by_a_pool_of_workers() {
    let mut seeded = Seeded::new();
    let seed = seeded.seed();
    let latency = Duration::from_millis(seeded.between(1, 3));
    // A drawn site and pool; one worker on the smallest site; more workers than there are
    // pages to fetch at first.
    let runs = [
        (seeded.size(20, 150), seeded.size(2, 6)),
        (10, 1),
        (seeded.size(10, 40), 12),
    ];
    for (pages, workers) in runs {
        let run = run(pages, latency, workers, false, seed);
        assert_right(run, workers, false);
    }
}

#[test]
#[ignore = "checked by cargo xtask verify"]
fn a_slow_page_is_waited_for_and_waiting_burns_nothing() {
    let mut seeded = Seeded::new();
    let seed = seeded.seed();
    let latency = Duration::from_millis(seeded.between(1, 3));
    let (pages, workers) = (seeded.size(10, 40), seeded.size(2, 4));
    let run = run(pages, latency, workers, true, seed);
    assert_right(run, workers, true);
}

#[test]
#[ignore = "checked by cargo xtask verify"]
fn the_seen_set_is_looked_up_and_marked_in_one_step() {
    // `if !seen.lock().unwrap().contains(&url) { seen.lock().unwrap().insert(url); }` lets two
    // workers find one address new between the two locks; but that moment lasts nanoseconds,
    // and no page the checks hold back can hold it open, so the file is read for it.
    let file = course_checks::file_under_check!();
    if let Some(two_steps) = course_checks::source::set_looked_up_apart_from_its_insert(&file.text)
    {
        panic!("{}", two_steps.explain(&file.path));
    }
}
