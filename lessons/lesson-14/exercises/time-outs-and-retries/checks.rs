//! The checks of `time-outs-and-retries`. `cargo xtask verify time-outs-and-retries` runs them;
//! they are ignored by a plain `cargo test` so that the course's own test suite passes before
//! you start.
//!
//! Each check starts the lesson's site (`course_site::Site`) on loopback and runs the crawl,
//! with your `check`, on a tokio runtime of two threads, under a policy drawn anew on every run
//! (its time-out, how many retries, the first wait). The site's server counts every request and
//! notes when each arrived and when its answer started, or when its client went away. From
//! that, the checks see: the stalled page asked once and given up on after the policy's
//! time-out, while other pages were answered; the busy page (`503` twice, then `200`) asked
//! once more per retry the policy allows, each retry after the wait it asks for, measured from
//! the `503` before it; the missing pages asked once; each address of the redirect loop once.
//! Two more checks call your `check` alone, on servers of their own: one that answers `503` to
//! every request (so that the third and fourth waits show whether each wait doubles), and one
//! that breaks every connection (a broken connection is the answer, asked once). The first runs
//! on a runtime of one thread, beside a task that wakes every 2 ms: a wait that blocks the thread
//! stops it.
//! The seed is in the messages, and `COURSE_SEED=<seed>` draws the same policy again.

use std::collections::BTreeMap;
use std::io::Read as _;
use std::net::{SocketAddr, TcpListener, TcpStream};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex, PoisonError, mpsc};
use std::thread;
use std::time::{Duration, Instant};

use course_checks::seeded::Seeded;
use course_loopback::{Answer, Request, Server, Wait};
use course_site::site::{BUSY, BUSY_TIMES, LOOP, MISSING, STALLED};
use course_site::{Checked, FetchError, Fetched, Site, SiteOptions};
use url::Url;

use super::{Policy, check, crawl};

/// How long a check waits for the crawl to return: a right answer takes a second or two.
const PATIENCE: Duration = Duration::from_secs(6);

/// The mean latency of the site's pages.
const LATENCY: Duration = Duration::from_millis(30);

/// How late a request may be given up on after its time-out, as the server sees it (a timer
/// fires a little late on a busy machine).
const LATE: Duration = Duration::from_millis(150);

/// How early the server may see a request given up on: it looks whether its client is still
/// there every 20 ms, and counts the request out from when it last saw it.
const EARLY: Duration = Duration::from_millis(150);

/// The target (path and query) the server sees for `url`.
fn target(url: &Url) -> String {
    url[url::Position::BeforePath..url::Position::AfterQuery].to_string()
}

/// Runs the crawl on a runtime of two threads, on a thread of its own; waits for it at most
/// [`PATIENCE`], and says what the site saw if it does not return.
fn run_crawl(site: &Site, policy: Policy, context: &str) -> Vec<Checked> {
    let start = Url::parse(&site.url()).expect("the site's address");
    let (done, result) = mpsc::channel();
    thread::Builder::new()
        .name("crawl-caller".to_string())
        .spawn(move || {
            let runtime = tokio::runtime::Builder::new_multi_thread()
                .worker_threads(2)
                .enable_all()
                .build()
                .expect("a tokio runtime");
            let _ = done.send(runtime.block_on(crawl(start, policy)));
            // Whatever is left is dropped with the runtime, on this thread.
        })
        .expect("a thread for the crawl");
    match result.recv_timeout(PATIENCE) {
        Ok(checked) => checked,
        Err(mpsc::RecvTimeoutError::Timeout) => never_returned(site, policy, context),
        Err(mpsc::RecvTimeoutError::Disconnected) => {
            panic!("the crawl panicked (see the message of thread 'crawl-caller') ({context})")
        }
    }
}

/// Says why the crawl did not return within [`PATIENCE`], from what the site saw.
fn never_returned(site: &Site, policy: Policy, context: &str) -> ! {
    let seen = site.seen();
    let asked = |target: &str| seen.requests.get(target).copied().unwrap_or(0);
    let now = Instant::now();
    let waiting: Vec<(String, Duration)> = site
        .server()
        .waits()
        .into_iter()
        .filter(|w| w.ended.is_none() && now - w.arrived > policy.time_out + LATE)
        .map(|w| (w.target, now - w.arrived))
        .collect();
    if let Some((_, waited)) = waiting.iter().find(|(t, _)| t == STALLED) {
        panic!(
            "the crawl did not return within {PATIENCE:?}: the site's stalled page {STALLED} \
             (which never answers) has waited {waited:.1?} for its answer, though the policy's \
             time-out is {:?}. Put `tokio::time::timeout(policy.time_out, fetch(&url))` around \
             each request, and give up when it gives `Err` ({context})",
            policy.time_out
        );
    }
    let round = asked(LOOP[0]) + asked(LOOP[1]);
    assert!(
        round <= 2,
        "the crawl did not return within {PATIENCE:?}, and the redirect loop {} -> {} was \
         asked {round} times: do not follow a redirect inside `check`; its target is one \
         more address for the crawl, whose seen set ends the loop ({context})",
        LOOP[0],
        LOOP[1]
    );
    let most = 1 + policy.retries as usize;
    assert!(
        asked(BUSY) <= most,
        "the crawl did not return within {PATIENCE:?}, and the busy page {BUSY} was asked \
         {} times, where the policy allows {most} (1 and {} retries) ({context})",
        asked(BUSY),
        policy.retries
    );
    let names: Vec<String> = waiting
        .iter()
        .map(|(t, d)| format!("{t} for {d:.1?}"))
        .collect();
    panic!(
        "the crawl did not return within {PATIENCE:?}, though a right answer takes a second or \
         two; requests still waiting: {} ({context})",
        if names.is_empty() {
            "none".to_string()
        } else {
            names.join(", ")
        }
    );
}

/// Crawls a fresh site of `pages` pages under `policy`, and checks what the site saw and what
/// the crawl returned.
fn crawl_and_check(pages: usize, policy: Policy, seed: u64) {
    let site = Site::start(SiteOptions {
        pages,
        latency: LATENCY,
    })
    .expect("the site");
    let context = format!("{policy:?}, {pages} pages, seed {seed}");
    let checked = run_crawl(&site, policy, &context);
    let open = site.server().open_connections_after(Duration::from_secs(3));
    assert_eq!(
        open, 0,
        "{open} connections to the site were still open after the crawl returned: a request \
         given up on must be dropped, which closes its connection ({context})"
    );
    asked_as_the_policy_says(&site, policy, &context);
    let waits = site.server().waits();
    the_stalled_page_did_not_hold_the_others(&waits, policy, &context);
    the_retries_waited(&waits, policy, &context);
    the_answers_say_what_happened(&checked, policy, &context);
}

/// Each address asked as often as the policy says: the loop, the stalled page and the missing
/// pages once, the busy page once more per retry allowed (up to its two `503`s).
fn asked_as_the_policy_says(site: &Site, policy: Policy, context: &str) {
    let seen = site.seen();
    let asked = |target: &str| seen.requests.get(target).copied().unwrap_or(0);
    for address in LOOP {
        assert!(
            asked(address) <= 1,
            "the redirect loop's {address} was asked {} times: do not follow a redirect inside \
             `check` (a loop never ends); its target is one more address for the crawl, whose \
             seen set ends the loop ({context})",
            asked(address)
        );
    }
    let retries = policy.retries as usize;
    let expected = site.expected(retries);
    let never: Vec<&String> = expected.keys().filter(|t| asked(t) == 0).collect();
    assert!(
        never.is_empty(),
        "the crawl returned without asking {} addresses of the site ({}): each must be checked. \
         A time-out bounds one request (around each `fetch`), not the whole crawl ({context})",
        never.len(),
        never
            .iter()
            .take(5)
            .map(|t| t.as_str())
            .collect::<Vec<_>>()
            .join(", ")
    );
    assert_eq!(
        asked(STALLED),
        1,
        "the stalled page {STALLED} was asked {} times: a request that timed out is not asked \
         again (it would only wait as long again); only a 503 is ({context})",
        asked(STALLED)
    );
    for (missing, _) in MISSING {
        assert_eq!(
            asked(missing),
            1,
            "the missing page {missing} (404 Not Found) was asked {} times: a 404 is not asked \
             again, it will not be found the next time either; only a 503 is ({context})",
            asked(missing)
        );
    }
    let busy = 1 + retries.min(BUSY_TIMES);
    assert!(
        asked(BUSY) >= busy,
        "the busy page {BUSY} was asked {} times: it answers 503 Service Unavailable {BUSY_TIMES} \
         times, then 200, and the policy allows {retries} retries, so it must be asked {busy} \
         times. Ask again after a 503 (`fetched.is_busy()`), `policy.retries` times at most (the \
         first request is not a retry); the time-out bounds each request, not the waits between \
         them ({context})",
        asked(BUSY)
    );
    assert!(
        asked(BUSY) <= busy,
        "the busy page {BUSY} was asked {} times, where the policy allows {busy} (1 and \
         {retries} retries): stop retrying after `policy.retries` retries ({context})",
        asked(BUSY)
    );
    let mistakes = site.mistakes(retries);
    assert!(
        mistakes.is_empty(),
        "the site saw a wrong crawl: {} ({context})",
        mistakes.join("; ")
    );
}

/// The stalled page given up on after the time-out, and other pages answered meanwhile.
fn the_stalled_page_did_not_hold_the_others(waits: &[Wait], policy: Policy, context: &str) {
    let stalled = waits
        .iter()
        .find(|w| w.target == STALLED)
        .expect("asked once (checked before)");
    let ended = stalled
        .ended
        .expect("its connection is closed (checked before)");
    let waited = ended - stalled.arrived;
    assert!(
        waited + EARLY >= policy.time_out && waited <= policy.time_out + LATE,
        "the stalled page {STALLED} was given up on after {waited:.1?}, where the policy's \
         time-out is {:?}: give up on each request after `policy.time_out` (a time-out around \
         each request, not the whole crawl) ({context})",
        policy.time_out
    );
    let meanwhile = waits
        .iter()
        .filter(|w| w.target != STALLED)
        .filter(|w| w.ended.is_some_and(|e| e > stalled.arrived && e < ended))
        .count();
    assert!(
        meanwhile > 0,
        "while the stalled page {STALLED} waited for its time-out ({waited:.1?}), no other page \
         was answered: one slow page must not hold the others (the crawl has {} places; do not \
         hold a lock or a permit of your own across the request) ({context})",
        super::PLACES
    );
}

/// Each retry of the busy page came after the wait the policy asks for, measured from the 503
/// before it: `back_off`, then twice as long each time.
fn the_retries_waited(waits: &[Wait], policy: Policy, context: &str) {
    let busy: Vec<&Wait> = waits.iter().filter(|w| w.target == BUSY).collect();
    let mut wait = policy.back_off;
    for (retry, pair) in busy.windows(2).enumerate() {
        let answered = pair[0].ended.expect("answered (its connection is closed)");
        let gap = pair[1].arrived.saturating_duration_since(answered);
        assert!(
            gap + Duration::from_millis(1) >= wait,
            "retry {} of the busy page {BUSY} came {gap:.1?} after its 503, where the policy \
             asks to wait {wait:?}: sleep `policy.back_off` before the first retry \
             (`tokio::time::sleep`), and twice as long before each next one ({context})",
            retry + 1
        );
        assert!(
            gap <= wait + Duration::from_secs(1),
            "retry {} of the busy page {BUSY} came {gap:.1?} after its 503, far longer than \
             the {wait:?} the policy asks to wait ({context})",
            retry + 1
        );
        wait *= 2;
    }
}

/// What the crawl returned for the traps: each address once, with its attempts.
fn the_answers_say_what_happened(checked: &[Checked], policy: Policy, context: &str) {
    let mut by_target: BTreeMap<String, Vec<&Checked>> = BTreeMap::new();
    for answer in checked {
        by_target
            .entry(target(&answer.url))
            .or_default()
            .push(answer);
    }
    let one = |address: &str| -> &Checked {
        let found = by_target.get(address).map_or(&[][..], Vec::as_slice);
        assert_eq!(
            found.len(),
            1,
            "the crawl returned {address} {} times: once each ({context})",
            found.len()
        );
        found[0]
    };
    let stalled = one(STALLED);
    assert!(
        stalled.result == Err(FetchError::TimedOut(policy.time_out)) && stalled.attempts == 1,
        "the stalled page {STALLED} must come back as `Err(FetchError::TimedOut({:?}))` after 1 \
         attempt, not {:?} after {} ({context})",
        policy.time_out,
        stalled.result,
        stalled.attempts
    );
    let (missing, _) = MISSING[0];
    let gone = one(missing);
    assert!(
        gone.result == Ok(Fetched::Status(404)) && gone.attempts == 1,
        "{missing} must come back as `Ok(Fetched::Status(404))` after 1 attempt, not {:?} \
         after {} ({context})",
        gone.result,
        gone.attempts
    );
    let retries = policy.retries as usize;
    let busy = one(BUSY);
    let attempts = 1 + retries.min(BUSY_TIMES);
    let still_busy = retries < BUSY_TIMES;
    let is_busy = busy.result.as_ref().is_ok_and(Fetched::is_busy);
    assert!(
        busy.attempts as usize == attempts && is_busy == still_busy,
        "the busy page {BUSY} must come back {} after {attempts} attempts (the policy allows \
         {retries} retries), not {:?} after {} ({context})",
        if still_busy {
            "as its last 503"
        } else {
            "as the page its third request brought"
        },
        busy.result,
        busy.attempts
    );
}

/// A policy with `retries` retries, its time-out and first wait drawn in the given ranges.
fn policy(seeded: &mut Seeded, retries: u32, time_out: (u64, u64), back_off: (u64, u64)) -> Policy {
    Policy {
        time_out: Duration::from_millis(seeded.between(time_out.0, time_out.1)),
        retries,
        back_off: Duration::from_millis(seeded.between(back_off.0, back_off.1)),
    }
}

// The policies' time-outs, 200 to 250 ms and 550 to 650 ms, are far enough apart (with the
// margins `EARLY` and `LATE`) that no one time-out passes both.

#[test]
#[ignore = "checked by cargo xtask verify"]
fn policies_of_no_retry_and_one_give_up_on_the_busy_page() {
    let mut seeded = Seeded::new();
    let seed = seeded.seed();
    for retries in [0, 1] {
        let policy = policy(&mut seeded, retries, (200, 250), (40, 80));
        crawl_and_check(seeded.size(20, 40), policy, seed);
    }
}

#[test]
#[ignore = "checked by cargo xtask verify"]
fn a_policy_with_retries_waits_longer_each_time() {
    let mut seeded = Seeded::new();
    let seed = seeded.seed();
    let retries = u32::try_from(seeded.size(2, 4)).expect("small");
    // The first two waits and the three requests take longer than the time-out: a time-out
    // around the whole check, its waits included, always strikes before the third request.
    let policy = policy(&mut seeded, retries, (550, 650), (200, 240));
    crawl_and_check(seeded.size(20, 40), policy, seed);
}

/// How often the task beside `check` wakes, in the check of an address always busy.
const TICK: Duration = Duration::from_millis(2);

/// How many ticks a wait of `gap` holds at least, on a runtime that is free meanwhile: one per
/// [`TICK`], less two for its ends (a tick lasts a little longer than `TICK`).
fn expected_ticks(gap: Duration) -> usize {
    usize::try_from(gap.as_millis() / (TICK.as_millis() + 1))
        .unwrap_or(0)
        .saturating_sub(2)
}

/// Runs `check(url, &policy)` on a runtime of one thread, beside a task that ticks every
/// [`TICK`], on a thread of its own; waits for it at most [`PATIENCE`]. Returns what `check`
/// returned, and when the ticks came.
fn run_check(url: Url, policy: Policy, context: &str, stuck: &str) -> (Checked, Vec<Instant>) {
    let (done, result) = mpsc::channel();
    let ticks = Arc::new(Mutex::new(Vec::new()));
    {
        let ticks = Arc::clone(&ticks);
        thread::Builder::new()
            .name("check-caller".to_string())
            .spawn(move || {
                let runtime = tokio::runtime::Builder::new_current_thread()
                    .enable_all()
                    .build()
                    .expect("a tokio runtime");
                let checked = runtime.block_on(async {
                    let ticker = tokio::spawn(async move {
                        loop {
                            tokio::time::sleep(TICK).await;
                            ticks
                                .lock()
                                .unwrap_or_else(PoisonError::into_inner)
                                .push(Instant::now());
                        }
                    });
                    let checked = check(url, &policy).await;
                    ticker.abort();
                    checked
                });
                let _ = done.send(checked);
            })
            .expect("a thread for the check");
    }
    let ticks = || ticks.lock().unwrap_or_else(PoisonError::into_inner).clone();
    match result.recv_timeout(PATIENCE) {
        Ok(checked) => (checked, ticks()),
        Err(mpsc::RecvTimeoutError::Timeout) => panic!(
            "`check` of one address did not return within {PATIENCE:?}, though its policy \
             allows {} requests of {:?} at most and waits that add up to a second or so{stuck} \
             ({context})",
            1 + policy.retries,
            policy.time_out
        ),
        Err(mpsc::RecvTimeoutError::Disconnected) => {
            panic!("`check` panicked (see the message of thread 'check-caller') ({context})")
        }
    }
}

#[test]
#[ignore = "checked by cargo xtask verify"]
fn a_busy_address_is_asked_again_after_waits_that_double() {
    let mut seeded = Seeded::new();
    let seed = seeded.seed();
    // Three or four retries: the site's busy page answers 503 twice only, and a wait that grows
    // by one `back_off` each time (back_off, 2x, 3x) differs from one that doubles (back_off,
    // 2x, 4x) only from the third on.
    let retries = u32::try_from(seeded.size(3, 4)).expect("small");
    let policy = policy(&mut seeded, retries, (400, 500), (40, 70));
    let server = Server::start(Arc::new(|_: &Request| {
        Answer::new(503, b"busy, try again\n".to_vec())
    }))
    .expect("the checks' server starts");
    let url = Url::parse(&format!("http://{}/always-busy", server.address())).expect("an address");
    let context = format!("{policy:?}, an address that answers 503 every time, seed {seed}");
    let (checked, ticks) = run_check(url, policy, &context, "");
    // Once every connection is closed, the server's count of the waits is exact.
    let _ = server.open_connections_after(Duration::from_secs(3));
    let waits = server.waits();
    let asked = 1 + retries as usize;
    assert!(
        waits.len() <= asked,
        "an address that answers 503 every time was asked {} times, where the policy allows \
         {asked} (1 and {retries} retries): stop retrying after `policy.retries` retries \
         ({context})",
        waits.len()
    );
    assert_eq!(
        waits.len(),
        asked,
        "an address that answers 503 every time was asked {} times, where the policy allows \
         {retries} retries: ask again after each 503, `policy.retries` times (the first request \
         is not a retry) ({context})",
        waits.len()
    );
    let mut wait = policy.back_off;
    for (retry, pair) in waits.windows(2).enumerate() {
        let answered = pair[0].ended.expect("answered (its connection is closed)");
        let gap = pair[1].arrived.saturating_duration_since(answered);
        assert!(
            gap + Duration::from_millis(1) >= wait,
            "retry {} of an address that answers 503 every time came {gap:.1?} after the 503 \
             before it, where the policy asks to wait {wait:?}: each wait is twice the one \
             before (back_off, 2x, 4x, 8x…), not one `back_off` longer (`back_off * n`) \
             ({context})",
            retry + 1
        );
        assert!(
            gap <= wait + Duration::from_secs(1),
            "retry {} of an address that answers 503 every time came {gap:.1?} after the 503 \
             before it, far longer than the {wait:?} the policy asks to wait ({context})",
            retry + 1
        );
        let next = pair[1].arrived;
        let meanwhile = ticks
            .iter()
            .filter(|t| **t > answered && **t < next)
            .count();
        assert!(
            meanwhile * 2 >= expected_ticks(gap),
            "while `check` waited {gap:.1?} before retry {} (its runtime has one thread), a task \
             beside it that wakes every {TICK:?} ran {meanwhile} times: the wait blocks the \
             runtime's thread, and nothing else on it moves meanwhile (other checks, their \
             time-outs). Wait with `tokio::time::sleep(wait).await`, not `std::thread::sleep` \
             ({context})",
            retry + 1
        );
        wait *= 2;
    }
    assert!(
        checked.result == Ok(Fetched::Status(503)) && checked.attempts == 1 + retries,
        "an address that answers 503 every time must come back as its last 503, \
         `Ok(Fetched::Status(503))`, after {} attempts, not {:?} after {} ({context})",
        1 + retries,
        checked.result,
        checked.attempts
    );
}

#[test]
#[ignore = "checked by cargo xtask verify"]
fn a_broken_connection_is_the_answer_asked_once() {
    let mut seeded = Seeded::new();
    let seed = seeded.seed();
    let retries = u32::try_from(seeded.size(1, 3)).expect("small");
    let policy = policy(&mut seeded, retries, (400, 500), (20, 40));
    // A server that reads the request and closes the connection without an answer. It notes the
    // address of each client, in the order it took them.
    let listener = TcpListener::bind("127.0.0.1:0").expect("a port of the checks' own");
    let address = listener.local_addr().expect("its address");
    let (taken, clients) = mpsc::channel::<SocketAddr>();
    thread::spawn(move || {
        for stream in listener.incoming() {
            let Ok(mut stream) = stream else { continue };
            let Ok(peer) = stream.peer_addr() else {
                continue;
            };
            let _ = stream.set_read_timeout(Some(Duration::from_millis(200)));
            let _ = stream.read(&mut [0; 4096]);
            drop(stream);
            if taken.send(peer).is_err() {
                break;
            }
        }
    });
    let url = Url::parse(&format!("http://{address}/breaks")).expect("an address");
    let context = format!("{policy:?}, an address whose connection breaks, seed {seed}");
    let (checked, _) = run_check(url, policy, &context, "");
    // One more client, of the checks: once the server has taken it, it has taken every one
    // before it.
    let last = TcpStream::connect(address).expect("the checks connect");
    let last = last.local_addr().expect("its address");
    let mut asked = 0;
    loop {
        match clients.recv_timeout(Duration::from_secs(3)) {
            Ok(peer) if peer == last => break,
            Ok(_) => asked += 1,
            Err(mpsc::RecvTimeoutError::Timeout | mpsc::RecvTimeoutError::Disconnected) => {
                panic!(
                    "the checks' server never took the checks' own connection, after {asked} \
                     of `check`'s ({context})"
                )
            }
        }
    }
    assert!(
        asked <= 1,
        "an address whose connection broke (`Err(FetchError::Failed(…))`) was asked {asked} \
         times: a broken connection is the answer, asked once; only a 503 asks to be asked \
         again ({context})"
    );
    assert!(
        matches!(checked.result, Err(FetchError::Failed(_))) && checked.attempts == 1,
        "an address whose connection breaks must come back as `Err(FetchError::Failed(…))` after \
         1 attempt, not {:?} after {} ({context})",
        checked.result,
        checked.attempts
    );
}

#[test]
#[ignore = "checked by cargo xtask verify"]
fn a_retry_is_given_up_on_after_the_time_out_too() {
    let mut seeded = Seeded::new();
    let seed = seeded.seed();
    let retries = u32::try_from(seeded.size(1, 3)).expect("small");
    let policy = policy(&mut seeded, retries, (200, 300), (20, 40));
    // `503` the first time; every retry never answers.
    let asked = Arc::new(AtomicUsize::new(0));
    let server = Server::start(Arc::new({
        let asked = Arc::clone(&asked);
        move |_: &Request| {
            if asked.fetch_add(1, Ordering::SeqCst) == 0 {
                Answer::new(503, b"busy, try again\n".to_vec())
            } else {
                Answer::new(200, b"too late\n".to_vec()).after(Duration::from_secs(24 * 3600))
            }
        }
    }))
    .expect("the checks' server starts");
    let url =
        Url::parse(&format!("http://{}/busy-then-stalled", server.address())).expect("an address");
    let context =
        format!("{policy:?}, an address that answers 503, then never answers a retry, seed {seed}");
    let (checked, _) = run_check(
        url,
        policy,
        &context,
        ": its retry, which never answers, was still waiting. Each request, retries included, \
         is given up on after `policy.time_out`: put the time-out around every `fetch`",
    );
    let open = server.open_connections_after(Duration::from_secs(3));
    assert_eq!(
        open, 0,
        "{open} connections were still open after `check` returned: a request given up on must \
         be dropped, which closes its connection ({context})"
    );
    let waits = server.waits();
    assert_eq!(
        waits.len(),
        2,
        "an address that answered 503, then never answered its retry, was asked {} times: asked \
         again once after the 503, and the retry that timed out is the answer, not asked again \
         ({context})",
        waits.len()
    );
    let retry = &waits[1];
    let waited = retry.ended.expect("closed (checked before)") - retry.arrived;
    assert!(
        waited + EARLY >= policy.time_out && waited <= policy.time_out + LATE,
        "the retry of an address that answered 503 was given up on after {waited:.1?}, where the \
         policy's time-out is {:?}: each request, retries included, is given up on after \
         `policy.time_out` ({context})",
        policy.time_out
    );
    assert!(
        checked.result == Err(FetchError::TimedOut(policy.time_out)) && checked.attempts == 2,
        "an address that answered 503, then never answered its retry, must come back as \
         `Err(FetchError::TimedOut({:?}))` after 2 attempts, not {:?} after {} ({context})",
        policy.time_out,
        checked.result,
        checked.attempts
    );
}
