//! The lesson's own site for each part, and what the lesson says about each crawl: what the
//! crawl returned set beside what the site's server saw. Kept apart from `main.rs`, which is the
//! listing the book shows.

use std::io::{self, Write as _};
use std::process::ExitCode;
use std::time::Duration;

use clap::ValueEnum as _;
use course_site::site::{self, BUSY, BUSY_TIMES, STALLED};
use course_site::{Checked, Report, Scope, Site, SiteOptions};
use tokio_util::sync::CancellationToken;
use url::Url;

use crate::cli::{Args, Part};
use crate::{End, lanes};

/// How long the server may take to see that a client closed a connection.
const PATIENCE: Duration = Duration::from_secs(5);

/// The site a part crawls, started afresh for it (so its counts are the part's alone).
pub struct OwnSite<'a> {
    site: Site,
    args: &'a Args,
}

impl<'a> OwnSite<'a> {
    /// Part 5's site is ten times larger and slower (200 ms a page on average), so that no
    /// crawl can end within the default budget (250 ms): its pages are at least three links
    /// deep, and each link costs at least 100 ms.
    pub fn serve(args: &'a Args, part: Part) -> io::Result<OwnSite<'a>> {
        let options = if part == Part::Stop {
            SiteOptions {
                pages: (args.pages * 10).min(site::MAX_PAGES),
                latency: Duration::from_millis(200),
            }
        } else {
            SiteOptions {
                pages: args.pages,
                latency: args.latency_ms,
            }
        };
        if args.timeline.is_some() {
            lanes::record();
        }
        let name = part
            .to_possible_value()
            .map_or(String::new(), |value| value.get_name().to_string());
        lanes::start_part(&name);
        Ok(OwnSite {
            site: Site::start(options)?,
            args,
        })
    }

    pub fn start(&self) -> Url {
        Url::parse(&self.site.url()).expect("the site's address is a URL")
    }

    pub fn scope(&self) -> Scope {
        Scope::new(&self.start(), &[])
    }

    fn describe(&self) {
        let options = self.site.options();
        println!(
            "A site of {} pages, each answering after {:?} to {:?} ({:?} on average).",
            options.pages,
            options.latency / 2,
            options.latency * 3 / 2,
            options.latency
        );
    }

    /// "yes", or the server's first mistakes.
    fn each_once(&self, retries: usize) -> String {
        let mistakes = self.site.mistakes(retries);
        if mistakes.is_empty() {
            "yes".to_string()
        } else {
            format!("NO: {}", mistakes.join("; "))
        }
    }

    /// What a part's crawl did, as the crawl and the server tell it.
    pub fn tell(&self, part: Part, checked: &[Checked], took: Duration) -> io::Result<()> {
        let k = self.args.max_in_flight;
        let seen = self.site.seen();
        let start = self.start();
        let report = Report::new(&start, &self.scope(), checked, None);
        match part {
            Part::OneByOne => {
                self.describe();
                let sum: Duration = (0..self.site.options().pages)
                    .map(|n| site::page_latency(n, self.site.options().latency))
                    .sum();
                println!(
                    "{} addresses checked one after another in {took:.1?}; the pages' latencies alone add up to {sum:.1?}.",
                    checked.len()
                );
                println!(
                    "The server saw at most {} request at a time.",
                    seen.max_in_flight
                );
                println!(
                    "Every page and trap fetched exactly once: {}",
                    self.each_once(0)
                );
            }
            Part::Pool | Part::WrongEnds => {
                if part == Part::Pool {
                    self.describe();
                } else {
                    println!("Ends when nothing is queued and no worker is busy (right):");
                }
                println!(
                    "{k} workers: {} addresses checked in {took:.1?}.",
                    checked.len()
                );
                println!(
                    "At most {k} requests at once: {}",
                    yes_or_no(seen.max_in_flight <= k)
                );
                println!(
                    "Every page and trap fetched exactly once: {}",
                    self.each_once(0)
                );
            }
            Part::Tasks => self.tell_tasks(checked, took),
            Part::Stop => self.tell_stop(checked, took),
            Part::Report => {
                self.describe();
                if self.args.json {
                    println!("{}", report.json());
                } else {
                    print!("{}", report.text());
                }
            }
        }
        if let Some(file) = &self.args.timeline
            && matches!(part, Part::Pool | Part::Tasks)
        {
            let spans = lanes::record().spans();
            let name = part
                .to_possible_value()
                .map_or(String::new(), |v| v.get_name().to_string());
            println!("Timeline (· waiting for the server):");
            print!(
                "{}",
                course_support::timeline::text(&lanes::record().spans_of(&name), 60)
            );
            course_support::timeline::write(file, "Lesson 14: crawls", &spans)?;
            println!("{}", course_support::timeline::written_to(file));
        }
        io::stdout().flush()
    }

    fn tell_tasks(&self, checked: &[Checked], took: Duration) {
        let k = self.args.max_in_flight;
        // The server sees a client go within milliseconds; it is waited for here.
        let open = self.site.server().open_connections_after(PATIENCE);
        let seen = self.site.seen();
        self.describe();
        println!(
            "{k} permits: {} addresses checked in {took:.1?}.",
            checked.len()
        );
        println!(
            "At most {k} requests at once: {}",
            yes_or_no(seen.max_in_flight <= k)
        );
        println!(
            "Every page and trap fetched as expected, {BUSY} {} times (503, 503, then 200): {}",
            BUSY_TIMES + 1,
            self.each_once(BUSY_TIMES)
        );
        println!(
            "{STALLED} never answers: it was given up after {:?}, and the server saw its client go: {}",
            self.args.timeout_ms,
            yes_or_no(seen.abandoned == 1 && open == 0)
        );
    }

    fn tell_stop(&self, checked: &[Checked], took: Duration) {
        let seen = self.site.seen();
        let start = self.start();
        self.describe();
        println!("A budget of {:?}:", self.args.budget_ms);
        let stopped = Report::new(
            &start,
            &self.scope(),
            checked,
            Some("the budget".to_string()),
        );
        if stopped.not_checked.is_empty() {
            println!(
                "the crawl ended within the budget: {} addresses checked.",
                stopped.checked
            );
        } else {
            println!(
                "stopped after {took:.1?}: {} checked, {} found but not checked.",
                stopped.checked,
                stopped.not_checked.len()
            );
        }
        println!(
            "The report adds up, every address found checked or listed as not checked: {}",
            yes_or_no(adds_up(&start, &self.scope(), checked, &stopped))
        );
        let twice = seen
            .requests
            .iter()
            .filter(|(target, n)| **n > 1 && *target != BUSY);
        println!("None fetched twice: {}", yes_or_no(twice.count() == 0));
        let open = self.site.server().open_connections_after(PATIENCE);
        println!("Connections left open at the server: {open}");
    }

    /// What a pool with a wrong end did.
    pub fn tell_wrong_end(&self, end: End, checked: &[Checked]) {
        let all = self.site.expected(0).len();
        match end {
            End::NothingQueued => {
                println!("Ends when nothing is queued (wrong):");
                println!(
                    "{} of the site's {all} addresses checked, and the server saw {} request: the worker that took the first page said \"over\" before it had read the page's links.",
                    checked.len(),
                    self.site.seen().requests.values().sum::<usize>()
                );
            }
            End::Forgotten => {
                println!("Ends when the channel closes (wrong: each worker holds a Sender):");
                println!(
                    "{} of {all} addresses checked, then the {} workers waited in recv() for an address that could never come. The lesson's watchdog sent them None.",
                    checked.len(),
                    self.args.max_in_flight
                );
            }
            End::NothingQueuedAndNoneBusy => {}
        }
    }
}

/// Whether every address the checked pages link to (on the site) is either checked or listed as
/// not checked by `report`, and none is both.
fn adds_up(start: &Url, scope: &Scope, checked: &[Checked], report: &Report) -> bool {
    let shown = |url: &Url| url[url::Position::BeforePath..].to_string();
    let done: std::collections::BTreeSet<String> = checked.iter().map(|c| shown(&c.url)).collect();
    let not_checked: std::collections::BTreeSet<&String> = report.not_checked.iter().collect();
    let found = checked
        .iter()
        .filter_map(|c| c.result.as_ref().ok())
        .flat_map(course_site::Fetched::links)
        .filter(|link| scope.follows(link))
        .filter_map(|link| link.url.as_ref());
    let mut every = true;
    for url in found.chain([start]) {
        let address = shown(url);
        every &= done.contains(&address) != not_checked.contains(&address);
    }
    every && done.iter().all(|address| !not_checked.contains(address))
}

fn yes_or_no(yes: bool) -> &'static str {
    if yes { "yes" } else { "NO" }
}

/// A token cancelled after `budget`, or on Ctrl-C, whichever comes first. Call it inside the
/// runtime.
pub fn stop_after(budget: Duration) -> CancellationToken {
    let stop = stop_on_ctrl_c();
    let cancel = stop.clone();
    tokio::spawn(async move {
        tokio::time::sleep(budget).await;
        cancel.cancel();
    });
    stop
}

/// A token cancelled on Ctrl-C (on every system, by `tokio::signal`). Call it inside the
/// runtime.
pub fn stop_on_ctrl_c() -> CancellationToken {
    let stop = CancellationToken::new();
    let cancel = stop.clone();
    tokio::spawn(async move {
        if tokio::signal::ctrl_c().await.is_ok() {
            cancel.cancel();
        }
    });
    stop
}

/// Prints the report of `--url`'s crawl; exit code 1 if a link is broken (as link checkers do),
/// 0 otherwise.
pub fn report_on(start: &Url, scope: &Scope, checked: &[Checked], args: &Args) -> ExitCode {
    let mut report = Report::new(start, scope, checked, None);
    if !report.not_checked.is_empty() {
        report.stopped = Some(if checked.len() >= args.max_pages {
            format!("--max-pages {}", args.max_pages)
        } else {
            "Ctrl-C".to_string()
        });
    }
    if args.json {
        println!("{}", report.json());
    } else {
        print!("{}", report.text());
    }
    let _ = io::stdout().flush();
    if report.broken.is_empty() && report.timed_out.is_empty() && report.failed.is_empty() {
        ExitCode::SUCCESS
    } else {
        ExitCode::from(1)
    }
}
