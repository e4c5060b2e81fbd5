//! The checks of `at-most-k-in-flight`. `cargo xtask verify at-most-k-in-flight` runs them; they
//! are ignored by a plain `cargo test` so that the course's own test suite passes before you
//! start.
//!
//! Each check starts the lesson's site (`course_site::Site`) on loopback and runs your `crawl`
//! on a tokio runtime of two threads. The site's server counts every request it receives, and
//! notes when each arrived and when its answer started: what the checks read, beside what your
//! `crawl` returned. Every address must be asked once (the busy page too: no retries here), at
//! most `k` at once and exactly `k` at some moment. From the server's timeline and the site's
//! links, the checks know when each address was found (the answer of a page linking to it
//! started) and when it was asked: a place must not stay free, beyond a grace of milliseconds,
//! while an address found waits (the stalled page's time-out makes a group that waits for its
//! slowest stand out). When `crawl` returns, every address has been asked, no task of yours is
//! still running and no connection is open. The number of pages and `k` are drawn anew on every
//! run; the seed is in the messages, and `COURSE_SEED=<seed>` draws them again.

use std::collections::{BTreeMap, BTreeSet, VecDeque};
use std::fmt::Write as _;
use std::sync::mpsc;
use std::thread;
use std::time::{Duration, Instant};

use course_checks::seeded::Seeded;
use course_loopback::Wait;
use course_site::fetch::blocking::Client;
use course_site::site::{BIG, STALLED};
use course_site::{Checked, Scope, Seen, Site, SiteOptions};
use url::Url;

use super::{TIME_OUT, crawl};

/// How long a check waits for `crawl` to return.
const PATIENCE: Duration = Duration::from_secs(40);

/// How long a check waits, once `crawl` has returned, for the tasks it spawned to be gone and
/// for the site's connections to close: a right answer leaves none, or none for long.
const AFTER_RETURN: Duration = Duration::from_secs(3);

/// How long after an answer starts a crawl may take to send the next request before the place
/// counts as left free: reading a page and its links takes a millisecond or two.
const GRACE: Duration = Duration::from_millis(50);

/// The same for the very large page: a crawl reads a MiB of it and reads its links, which takes
/// a debug build a good part of a second.
const GRACE_FOR_BIG: Duration = Duration::from_secs(1);

/// The same for the stalled page: the server sees its client gone within 20 ms, and counts it
/// out from when it last saw it.
const GRACE_FOR_STALLED: Duration = Duration::from_millis(80);

/// The longest a place may stay free (beyond its grace) while an address waits: a right answer
/// leaves one free for a few milliseconds, waves (or levels) of requests for most of the
/// stalled page's time-out, as the others wait for it.
const LONGEST_LEFT_FREE: Duration = Duration::from_millis(400);

/// The most of the `k` places' time that may be left free while addresses already found wait.
/// A right answer leaves under 1% (under 7% on a machine with three busy programs for its two
/// cores); waves of `k` leave 25% and more, as the other places of the stalled page's wave wait
/// out its time-out.
const MOST_LEFT_FREE: f64 = 0.12;

/// How long after the last answer started `crawl` may take to return: a right answer reads it
/// and returns within milliseconds, or within a second for the very large page (see
/// [`GRACE_FOR_BIG`]); one that ends after a quiet spell returns after that spell.
const LATE_RETURN: Duration = Duration::from_millis(1500);

/// What one crawl did, as `crawl` returned it and as the site saw it.
struct Crawled {
    checked: Vec<Checked>,
    /// What the server had seen when `crawl` returned.
    at_return: Seen,
    /// Tasks still alive on the runtime [`AFTER_RETURN`] after `crawl` returned.
    tasks_left: usize,
    /// When `crawl` returned.
    returned_at: Instant,
}

/// Runs `crawl(start, k)` on a runtime of two threads, on a thread of its own; waits for it at
/// most [`PATIENCE`], then up to [`AFTER_RETURN`] for its tasks to be gone.
fn run_crawl(site: &Site, k: usize) -> Crawled {
    let start = Url::parse(&site.url()).expect("the site's address");
    let (done, result) = mpsc::channel();
    let (returned, at_return) = mpsc::channel::<()>();
    let (seen_tx, seen_rx) = mpsc::channel::<Seen>();
    thread::Builder::new()
        .name("crawl-caller".to_string())
        .spawn(move || {
            let runtime = tokio::runtime::Builder::new_multi_thread()
                .worker_threads(2)
                .enable_all()
                .build()
                .expect("a tokio runtime");
            let checked = runtime.block_on(crawl(start, k));
            let returned_at = Instant::now();
            // The server's counts are read at this very moment, on the checks' thread.
            let _ = returned.send(());
            let _ = seen_rx.recv();
            let bound = Instant::now() + AFTER_RETURN;
            while runtime.metrics().num_alive_tasks() > 0 && Instant::now() < bound {
                thread::sleep(Duration::from_millis(5));
            }
            let tasks_left = runtime.metrics().num_alive_tasks();
            let _ = done.send((checked, tasks_left, returned_at));
        })
        .expect("a thread for the crawl");
    match at_return.recv_timeout(PATIENCE) {
        Ok(()) => {}
        Err(mpsc::RecvTimeoutError::Timeout) => panic!(
            "crawl did not return within {PATIENCE:?}, though the site answers every page \
             within a fraction of a second and `check` gives up after {TIME_OUT:?}: a task \
             waits for a place that never comes free, or the crawl waits for answers that were \
             never asked ({k} places)"
        ),
        Err(mpsc::RecvTimeoutError::Disconnected) => {
            panic!("crawl panicked (see the message of thread 'crawl-caller')")
        }
    }
    let at_return_seen = site.seen();
    let _ = seen_tx.send(at_return_seen.clone());
    let (checked, tasks_left, returned_at) = result
        .recv()
        .expect("the crawl's thread ends once crawl has returned");
    Crawled {
        checked,
        at_return: at_return_seen,
        tasks_left,
        returned_at,
    }
}

/// The target (path and query) the server sees for `url`.
fn target(url: &Url) -> String {
    url[url::Position::BeforePath..url::Position::AfterQuery].to_string()
}

/// The addresses (targets) each address of a site of `pages` pages links to, in the crawl's
/// scope: what a plain sequential crawl of a twin site, one request per address, sees.
fn link_graph(pages: usize) -> BTreeMap<String, BTreeSet<String>> {
    let twin = Site::start(SiteOptions {
        pages,
        latency: Duration::ZERO,
    })
    .expect("a twin site");
    let start = Url::parse(&twin.url()).expect("the twin's address");
    let scope = Scope::new(&start, &[]);
    let client = Client::new(Duration::from_millis(100));
    let mut graph = BTreeMap::new();
    let mut queue = VecDeque::from([start]);
    let mut seen = BTreeSet::new();
    while let Some(url) = queue.pop_front() {
        if !seen.insert(target(&url)) {
            continue;
        }
        // The stalled page has no links, and the very large one links only home: neither is
        // worth its time here.
        if target(&url) == STALLED {
            graph.insert(target(&url), BTreeSet::new());
            continue;
        }
        if target(&url) == BIG {
            graph.insert(target(&url), BTreeSet::from(["/".to_string()]));
            continue;
        }
        let links: Vec<Url> = match client.fetch(&url) {
            Ok(fetched) => fetched
                .links()
                .iter()
                .filter(|link| scope.follows(link))
                .filter_map(|link| link.url.clone())
                .collect(),
            Err(_) => Vec::new(),
        };
        graph.insert(target(&url), links.iter().map(target).collect());
        queue.extend(links);
    }
    graph
}

/// What the server's timeline says of the places a crawl left free (beyond the grace an
/// answer gets) while addresses already found waited to be asked.
struct LeftFree {
    /// Summed over the `k` places.
    total: Duration,
    /// The `k` places' time during the crawl, from the first request to the last answer.
    places: Duration,
    /// The longest time on end with a place free and an address waiting; how many requests
    /// were in flight when it began, and the addresses that waited then.
    longest: Duration,
    busy: usize,
    waiting: Vec<String>,
}

fn left_free(waits: &[Wait], graph: &BTreeMap<String, BTreeSet<String>>, k: usize) -> LeftFree {
    let grace = |wait: &Wait| match wait.target.as_str() {
        BIG => GRACE_FOR_BIG,
        STALLED => GRACE_FOR_STALLED,
        _ => GRACE,
    };
    let now = Instant::now();
    let ended = |wait: &Wait| wait.ended.unwrap_or(now);
    // When each address was first found (the answer of a page linking to it started), and
    // when it was first asked.
    let mut found: BTreeMap<&str, Instant> = BTreeMap::new();
    let mut asked: BTreeMap<&str, Instant> = BTreeMap::new();
    for wait in waits {
        asked.entry(&wait.target).or_insert(wait.arrived);
        for link in graph.get(&wait.target).into_iter().flatten() {
            let at = found.entry(link).or_insert(ended(wait));
            *at = (*at).min(ended(wait));
        }
    }
    let mut moments: BTreeSet<Instant> = found.values().copied().collect();
    for wait in waits {
        moments.insert(wait.arrived);
        moments.insert(ended(wait) + grace(wait));
    }
    let moments: Vec<Instant> = moments.into_iter().collect();
    let first = moments.first().copied().unwrap_or(now);
    let last = waits.iter().map(ended).max().unwrap_or(now);
    let mut left = LeftFree {
        total: Duration::ZERO,
        places: (last - first) * u32::try_from(k).unwrap_or(u32::MAX),
        longest: Duration::ZERO,
        busy: 0,
        waiting: Vec::new(),
    };
    // The stretch under way: since when, with how many in flight and which addresses waiting.
    let mut stretch: Option<(Instant, usize, Vec<String>)> = None;
    for pair in moments.windows(2) {
        let (from, to) = (pair[0], pair[1]);
        let busy = waits
            .iter()
            .filter(|w| w.arrived <= from && ended(w) + grace(w) > from)
            .count();
        let waiting: Vec<&str> = found
            .iter()
            .filter(|(address, at)| {
                **at <= from && asked.get(*address).is_none_or(|asked| *asked > from)
            })
            .map(|(address, _)| *address)
            .collect();
        let free = k.saturating_sub(busy).min(waiting.len());
        left.total += (to - from) * u32::try_from(free).unwrap_or(u32::MAX);
        if free == 0 {
            stretch = None;
            continue;
        }
        let (since, busy, waiting) = stretch.get_or_insert_with(|| {
            let waiting = waiting.iter().map(|a| (*a).to_string()).collect();
            (from, busy, waiting)
        });
        if to - *since > left.longest {
            left.longest = to - *since;
            left.busy = *busy;
            left.waiting.clone_from(waiting);
        }
    }
    left
}

/// Up to five targets, and how many more.
fn some_of(targets: &[String]) -> String {
    let mut text = targets
        .iter()
        .take(5)
        .cloned()
        .collect::<Vec<_>>()
        .join(", ");
    if targets.len() > 5 {
        let _ = write!(text, " and {} more", targets.len() - 5);
    }
    text
}

/// Crawls a fresh site of `pages` pages with `k` places, and checks what the site saw and what
/// `crawl` returned.
fn crawl_and_check(pages: usize, k: usize, latency: Duration, seed: u64) {
    let graph = link_graph(pages);
    let site = Site::start(SiteOptions { pages, latency }).expect("the site");
    let context = format!("k = {k}, {pages} pages, seed {seed}");
    let crawled = run_crawl(&site, k);
    every_address_asked_before_return(&site, &crawled, &context);
    let most = site.seen().max_in_flight;
    assert!(
        most <= k,
        "{most} requests were in flight at once, the limit is {k}: a request may go out only \
         while it holds one of the k places, until its answer is in. Name the permit \
         (`let _permit = permits.acquire().await`): `let _ = …` gives it back at once \
         ({context})"
    );
    every_address_once(&site, &crawled, &context);
    nothing_left_behind(&site, &crawled, &context);
    let widest = graph.get("/").map_or(1, BTreeSet::len);
    assert!(
        most >= k.min(widest),
        "only {most} requests were in flight at once, though {k} are allowed and the first page \
         alone links to {widest} addresses: let k requests go out at the same time ({context})"
    );
    // With one place, a wave is one request: nothing to see.
    if k > 1 {
        no_waves(&site, &graph, k, &context);
    }
    returned_when_over(&site, &crawled, &context);
}

/// `crawl` returned soon after the last answer started: reading it (the very large page's
/// first MiB included) and finding nothing left to ask takes well under a second.
fn returned_when_over(site: &Site, crawled: &Crawled, context: &str) {
    let Some(last) = site.server().waits().iter().filter_map(|w| w.ended).max() else {
        return;
    };
    let after = crawled.returned_at.saturating_duration_since(last);
    assert!(
        after <= LATE_RETURN,
        "crawl returned {after:.1?} after the last answer came in, though every address had \
         been checked by then: it waited for something that was not there, such as a quiet \
         spell (a `recv` or `join_next` with a time-out, a sleep). The crawl is over as soon as \
         no task is left: keep them in a `JoinSet`, whose `join_next` gives `None` then \
         ({context})"
    );
}

/// Every address of the site was asked by the time `crawl` returned.
fn every_address_asked_before_return(site: &Site, crawled: &Crawled, context: &str) {
    let not_asked: Vec<String> = site
        .expected(0)
        .into_keys()
        .filter(|t| !crawled.at_return.requests.contains_key(t))
        .collect();
    if not_asked.is_empty() {
        return;
    }
    let now = site.seen();
    let asked_later: Vec<String> = not_asked
        .iter()
        .filter(|t| now.requests.contains_key(*t))
        .cloned()
        .collect();
    assert!(
        !asked_later.is_empty(),
        "when crawl returned, {} addresses of the site had never been asked: {}. Every address \
         a page links to (in the site) must be checked before the crawl returns ({context})",
        not_asked.len(),
        some_of(&not_asked)
    );
    panic!(
        "crawl returned before the crawl ended: {} addresses had not been asked yet, and tasks \
         still running asked {} of them after it returned ({}). Keep every task you spawn (a \
         `JoinSet`) and wait until the last one has ended: a task whose handle is dropped runs \
         on, unseen ({context})",
        not_asked.len(),
        asked_later.len(),
        some_of(&asked_later)
    );
}

/// The site was asked for every address once, and `crawl` returned each once.
fn every_address_once(site: &Site, crawled: &Crawled, context: &str) {
    let expected = site.expected(0);
    let twice: Vec<String> = site
        .seen()
        .requests
        .iter()
        .filter(|(t, n)| expected.get(*t).is_some_and(|once| **n > *once))
        .map(|(t, n)| format!("{t} ({n} times)"))
        .collect();
    assert!(
        twice.is_empty(),
        "the site was asked for some addresses more than once: {}. Ask each address once: \
         check and mark it in one step, with nothing awaited between them \
         (`if seen.insert(url.clone()) {{ … }}`); an address checked, then marked after an \
         `.await`, is asked by every task that checked it in between ({context})",
        some_of(&twice)
    );
    let mistakes = site.mistakes(0);
    assert!(
        mistakes.is_empty(),
        "the site saw a wrong crawl: {} ({context})",
        mistakes.join("; ")
    );
    let mut returned: BTreeMap<String, usize> = BTreeMap::new();
    for checked in &crawled.checked {
        *returned.entry(target(&checked.url)).or_default() += 1;
    }
    let lacking: Vec<String> = expected
        .into_keys()
        .filter(|t| !returned.contains_key(t))
        .collect();
    assert!(
        lacking.is_empty(),
        "crawl returned {} addresses, without {}, which the site answered: return what `check` \
         gave for every address ({context})",
        crawled.checked.len(),
        some_of(&lacking)
    );
    let repeated: Vec<String> = returned
        .iter()
        .filter(|(_, n)| **n > 1)
        .map(|(t, n)| format!("{t} ({n} times)"))
        .collect();
    assert!(
        repeated.is_empty(),
        "crawl returned some addresses more than once: {}: once each ({context})",
        some_of(&repeated)
    );
}

/// No task, no connection, no request after `crawl` returned.
fn nothing_left_behind(site: &Site, crawled: &Crawled, context: &str) {
    assert_eq!(
        crawled.tasks_left, 0,
        "{} tasks of the crawl were still running {AFTER_RETURN:?} after crawl returned: wait \
         for every task you spawn before returning, and leave none behind ({context})",
        crawled.tasks_left
    );
    let open = site.server().open_connections_after(AFTER_RETURN);
    assert_eq!(
        open, 0,
        "{open} connections to the site were still open {AFTER_RETURN:?} after crawl returned: \
         a request still in flight ({context})"
    );
    assert_eq!(
        site.seen().requests,
        crawled.at_return.requests,
        "the site was asked again after crawl returned ({context})"
    );
}

/// No place left free, beyond the grace an answer gets, while addresses found waited.
fn no_waves(site: &Site, graph: &BTreeMap<String, BTreeSet<String>>, k: usize, context: &str) {
    let left = left_free(&site.server().waits(), graph, k);
    assert!(
        left.longest <= LONGEST_LEFT_FREE,
        "for {:.1?} on end, only {} requests were in flight, though {k} are allowed, while {} \
         waited to be asked, already found: the requests went in waves. The next request must \
         go out as soon as any answer comes back, not when a whole group is done: the slowest \
         of a group (as the stalled page, until its time-out) holds up the others ({context})",
        left.longest,
        left.busy,
        some_of(&left.waiting)
    );
    let share = left.total.as_secs_f64() / left.places.as_secs_f64().max(1e-9);
    assert!(
        share <= MOST_LEFT_FREE,
        "for {:.1?} in all, summed over the {k} places, a place stayed free (more than \
         {GRACE:?} after an answer) while addresses already found waited to be asked: {:.0}% of \
         the places' time during the crawl ({:.1?}). The requests went in waves: the next \
         request must go out as soon as any answer comes back, not when a whole group is done \
         ({context})",
        left.total,
        share * 100.0,
        left.places
    );
}

#[test]
#[ignore = "checked by cargo xtask verify"]
fn every_address_once_k_in_flight_and_the_next_as_soon_as_one_answers() {
    let mut seeded = Seeded::new();
    let seed = seeded.seed();
    let latency = Duration::from_millis(80);
    let k = seeded.size(3, 5);
    crawl_and_check(seeded.size(30, 45), k, latency, seed);
    let k = seeded.size(6, 8);
    crawl_and_check(seeded.size(60, 100), k, latency, seed);
}

#[test]
#[ignore = "checked by cargo xtask verify"]
fn a_limit_of_one_asks_one_at_a_time() {
    let mut seeded = Seeded::new();
    let seed = seeded.seed();
    crawl_and_check(seeded.size(10, 16), 1, Duration::from_millis(20), seed);
}

#[test]
#[ignore = "checked by cargo xtask verify"]
fn a_limit_wider_than_the_site_asks_all_it_knows_at_once() {
    let mut seeded = Seeded::new();
    let seed = seeded.seed();
    let pages = seeded.size(12, 30);
    crawl_and_check(
        pages,
        pages + seeded.size(20, 40),
        Duration::from_millis(40),
        seed,
    );
}
