//! Lesson 14, the capstone: a link checker. Run it with `cargo run -p lesson-14`; `--help` lists
//! the flags.
mod cli;
mod lanes;
mod own_site;
mod serve_mode;

use std::collections::{HashSet, VecDeque};
use std::io;
use std::process::ExitCode;
use std::sync::atomic::{AtomicUsize, Ordering::SeqCst};
use std::sync::{Arc, Mutex, mpsc};
use std::thread;
use std::time::{Duration, Instant};

use cli::{Args, Crawler, Part};
use course_site::fetch::{asynchronous, blocking::Client};
use course_site::{Checked, FetchError, Fetched, Scope};
use own_site::OwnSite;
use tokio::sync::Semaphore;
use tokio::task::JoinSet;
use tokio_util::sync::CancellationToken;
use url::Url;

// ANCHOR: one_by_one
/// The baseline: one address after another, each waited for before the next is asked.
fn one_by_one(start: Url, scope: &Scope, client: &Client) -> Vec<Checked> {
    let mut seen = HashSet::from([start.clone()]);
    let mut queue = VecDeque::from([start]);
    let mut checked = Vec::new();
    while let Some(url) = queue.pop_front() {
        let result = client.fetch(&url); // the whole latency of the page, waited here
        for link in result.iter().flat_map(Fetched::links) {
            if let Some(found) = &link.url
                && scope.follows(link)
                && seen.insert(found.clone())
            {
                queue.push_back(found.clone());
            }
        }
        checked.push(Checked {
            url,
            result,
            attempts: 1,
        });
    }
    checked
}
// ANCHOR_END: one_by_one

/// How a pool of workers tells that the crawl is over.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum End {
    /// When no address is queued and no worker is busy: right.
    NothingQueuedAndNoneBusy,
    /// When no address is queued: too early, a busy worker may still find links.
    NothingQueued,
    /// Never said: the workers wait for the channel to close, but each holds a Sender.
    Forgotten,
}

// ANCHOR: pool
/// A pool of `workers` threads fed by one channel; the set of seen addresses is shared.
fn with_a_pool(
    start: Url,
    scope: &Scope,
    workers: usize,
    client: &Client,
    end: End,
) -> Vec<Checked> {
    let (sender, receiver) = mpsc::channel::<Option<Url>>(); // None: the crawl is over
    let receiver = Mutex::new(receiver); // one receiver, shared by the workers
    let seen = Mutex::new(HashSet::from([start.clone()]));
    let queued = AtomicUsize::new(1); // addresses sent and not yet taken
    let pending = AtomicUsize::new(1); // addresses sent and not yet checked: queued or being fetched
    let checked = Mutex::new(Vec::new());
    sender.send(Some(start)).unwrap();
    let over = || (0..workers).for_each(|_| sender.send(None).unwrap()); // one None per worker
    thread::scope(|s| {
        for _ in 0..workers {
            s.spawn(|| {
                loop {
                    let next = receiver.lock().unwrap().recv().unwrap(); // the lock ends with the line
                    let Some(url) = next else { break };
                    let _busy = lanes::worker_busy();
                    if queued.fetch_sub(1, SeqCst) == 1 && end == End::NothingQueued {
                        over(); // wrong: this worker has just taken the last address, not checked it
                    }
                    let result = client.fetch(&url);
                    for link in result.iter().flat_map(Fetched::links) {
                        // `insert` looks and marks in one step, under the lock: false if seen
                        if let Some(found) = &link.url
                            && scope.follows(link)
                            && seen.lock().unwrap().insert(found.clone())
                        {
                            pending.fetch_add(1, SeqCst); // counted before it is sent...
                            queued.fetch_add(1, SeqCst);
                            sender.send(Some(found.clone())).unwrap();
                        }
                    }
                    checked.lock().unwrap().push(Checked {
                        url,
                        result,
                        attempts: 1,
                    });
                    // ...so that this reaches 0 only when nothing is queued and no worker is busy
                    if pending.fetch_sub(1, SeqCst) == 1 && end == End::NothingQueuedAndNoneBusy {
                        over();
                    }
                }
            });
        }
        if end == End::Forgotten {
            lanes::rescue_when_stuck(&pending, over); // the lesson's watchdog, not the crawler's
        }
    });
    checked.into_inner().unwrap()
}
// ANCHOR_END: pool

// ANCHOR: check
/// How each address is asked: a time-out per request, and retries with back-off on a 503.
#[derive(Debug, Clone, Copy)]
struct Policy {
    timeout: Duration,
    retries: u32,
    backoff: Duration,
}

async fn check(url: Url, policy: Policy) -> Checked {
    let mut attempts = 0;
    loop {
        attempts += 1;
        let result = tokio::time::timeout(policy.timeout, asynchronous::fetch(&url))
            .await // on time-out the fetch is dropped, and its connection closed
            .unwrap_or(Err(FetchError::TimedOut(policy.timeout)));
        let busy = result.as_ref().is_ok_and(Fetched::is_busy);
        if !busy || attempts > policy.retries {
            return Checked {
                url,
                result,
                attempts,
            };
        }
        tokio::time::sleep(policy.backoff * 2_u32.pow(attempts - 1)).await; // 1×, 2×, 4×…
    }
}
// ANCHOR_END: check

// ANCHOR: tasks
/// Tasks in a `JoinSet`, at most `k` of them fetching at once, until none is left, `limit`
/// addresses were found, or `stop`.
async fn with_tasks(
    start: Url,
    scope: &Scope,
    (k, limit): (usize, usize),
    policy: Policy,
    stop: CancellationToken,
) -> Vec<Checked> {
    let permits = Arc::new(Semaphore::new(k));
    let spawn = |tasks: &mut JoinSet<Checked>, url: Url| {
        let permits = Arc::clone(&permits);
        tasks.spawn(async move {
            let _permit = permits.acquire_owned().await.unwrap(); // held until the task ends
            let _busy = lanes::task_busy();
            check(url, policy).await
        });
    };
    let mut seen = HashSet::from([start.clone()]); // only this loop touches it: no lock
    let mut tasks = JoinSet::new();
    spawn(&mut tasks, start);
    let mut checked = Vec::new();
    loop {
        let joined = tokio::select! {
            () = stop.cancelled() => break,
            joined = tasks.join_next() => joined,
        };
        let Some(joined) = joined else { break }; // no task left: nothing queued, none busy
        let page = joined.expect("a check panicked");
        for link in page.result.iter().flat_map(Fetched::links) {
            if let Some(found) = &link.url
                && scope.follows(link)
                && seen.len() < limit
                && seen.insert(found.clone())
            {
                spawn(&mut tasks, found.clone());
            }
        }
        checked.push(page);
    }
    tasks.shutdown().await; // aborts the tasks still running and waits for them: none outlives us
    checked
}
// ANCHOR_END: tasks

fn policy(args: &Args) -> Policy {
    Policy {
        timeout: args.timeout_ms,
        retries: 2,
        backoff: Duration::from_millis(20),
    }
}

// ANCHOR: main
fn main() -> ExitCode {
    let args: Args = course_support::parse_args();
    let done = if args.serve {
        serve_mode::run(&args)
    } else if let Some(url) = &args.url {
        check_a_site(url, &args)
    } else {
        run(&args)
    };
    match done {
        Ok(code) => code,
        Err(error) => {
            eprintln!("error: {error}");
            ExitCode::FAILURE
        }
    }
}

fn run(args: &Args) -> io::Result<ExitCode> {
    let k = args.max_in_flight;
    let client = Client::new(args.timeout_ms);
    let runtime = tokio::runtime::Runtime::new()?;
    for part in args.parts.announced() {
        let site = OwnSite::serve(args, part)?;
        let (start, scope) = (site.start(), site.scope());
        let started = Instant::now();
        let checked = match part {
            Part::OneByOne => one_by_one(start, &scope, &client),
            Part::Pool => with_a_pool(start, &scope, k, &client, End::NothingQueuedAndNoneBusy),
            Part::WrongEnds => {
                for end in [End::NothingQueued, End::Forgotten] {
                    let wrong = OwnSite::serve(args, part)?; // a site of its own, counted apart
                    let checked = with_a_pool(wrong.start(), &wrong.scope(), k, &client, end);
                    wrong.tell_wrong_end(end, &checked);
                }
                with_a_pool(start, &scope, k, &client, End::NothingQueuedAndNoneBusy)
            }
            Part::Tasks | Part::Report => runtime.block_on(with_tasks(
                start,
                &scope,
                (k, usize::MAX),
                policy(args),
                CancellationToken::new(),
            )),
            Part::Stop => runtime.block_on(async {
                let stop = own_site::stop_after(args.budget_ms); // or on Ctrl-C
                with_tasks(start, &scope, (k, usize::MAX), policy(args), stop).await
            }),
        };
        site.tell(part, &checked, started.elapsed())?;
    }
    Ok(ExitCode::SUCCESS)
}
// ANCHOR_END: main

/// `--url`: the crawl of a site the user names, with progress on a terminal; the tasks' crawl
/// stops on Ctrl-C or at `--max-pages`.
fn check_a_site(url: &Url, args: &Args) -> io::Result<ExitCode> {
    let scope = Scope::new(url, &args.host);
    let _progress = lanes::Progress::start(url);
    let checked = match args.crawler {
        Crawler::Tasks => tokio::runtime::Runtime::new()?.block_on(async {
            let stop = own_site::stop_on_ctrl_c();
            let limits = (args.max_in_flight, args.max_pages);
            with_tasks(url.clone(), &scope, limits, policy(args), stop).await
        }),
        Crawler::Pool => {
            let client = Client::new(args.timeout_ms);
            with_a_pool(
                url.clone(),
                &scope,
                args.max_in_flight,
                &client,
                End::NothingQueuedAndNoneBusy,
            )
        }
    };
    Ok(own_site::report_on(url, &scope, &checked, args))
}
