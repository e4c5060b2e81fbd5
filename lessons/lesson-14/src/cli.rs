//! Command-line flags of lesson 14. Kept apart from `main.rs`, which is the listing the book shows.

use std::path::PathBuf;
use std::time::Duration;

use clap::{Parser, ValueEnum};

/// Lesson 14, the capstone: a link checker.
///
/// The lesson serves a site on 127.0.0.1 with the traps real sites have (links relative and
/// absolute, fragments, query strings, cycles, 404s, a redirect chain and a redirect loop, a page
/// that never answers, a very large page, a page that answers 503 twice, a link to another host)
/// and crawls it: one page after another, with a pool of threads, then with tasks. The site's
/// server counts what each crawler did: every page fetched exactly once, never more than k at
/// once, nothing left hanging.
///
/// With --url, it checks a site you name (http:// only; host names in ASCII), within
/// --max-pages and --max-in-flight, following links on that host and on each --host only. Ctrl-C
/// stops it with the report so far. With --serve, it serves the site until Ctrl-C (or the end of
/// its input), for another crawler to try (the Python twin, lychee, curl).
#[derive(Debug, Parser)]
#[command(version)]
pub struct Args {
    /// How many pages the site has (10 to 10000).
    #[arg(
        long,
        value_name = "N",
        default_value = "100",
        value_parser = parse_pages,
        allow_negative_numbers = true
    )]
    pub pages: usize,

    /// The site's mean latency per page, in milliseconds (each page has its own, from half to
    /// one and a half times it).
    #[arg(
        long,
        value_name = "MS",
        default_value = "20",
        value_parser = course_support::parse_millis,
        allow_negative_numbers = true
    )]
    pub latency_ms: Duration,

    /// How many requests may be in flight at once: the pool's workers, the Semaphore's permits.
    #[arg(
        long,
        value_name = "K",
        default_value = "8",
        value_parser = parse_in_flight,
        allow_negative_numbers = true
    )]
    pub max_in_flight: usize,

    /// How long a request may wait for its answer, in milliseconds.
    #[arg(
        long,
        value_name = "MS",
        default_value = "500",
        value_parser = course_support::parse_millis,
        allow_negative_numbers = true
    )]
    pub timeout_ms: Duration,

    /// Part 5: how long the crawl may run before it stops, in milliseconds.
    #[arg(
        long,
        value_name = "MS",
        default_value = "250",
        value_parser = course_support::parse_millis,
        allow_negative_numbers = true
    )]
    pub budget_ms: Duration,

    /// Print the reports as JSON (part 6 and --url).
    #[arg(long)]
    pub json: bool,

    /// Print a timeline of the crawls of parts 2 and 4 (when each worker or task waited for the
    /// server), and write it to FILE: a picture if FILE ends in .svg, the figures if .tsv.
    #[arg(long, value_name = "FILE", value_parser = course_support::timeline::parse_file)]
    pub timeline: Option<PathBuf>,

    /// Check the site at this address instead of running the lesson's parts.
    #[arg(long, value_name = "URL", value_parser = parse_url, conflicts_with_all = ["only", "serve"])]
    pub url: Option<url::Url>,

    /// With --url: check at most this many addresses.
    #[arg(
        long,
        value_name = "N",
        default_value = "1000",
        value_parser = parse_max_pages,
        allow_negative_numbers = true
    )]
    pub max_pages: usize,

    /// With --url: which crawler checks the site: part 4's tasks, or part 2's pool of threads
    /// (which checks the whole site: --max-pages and the report on Ctrl-C are the tasks' only).
    #[arg(long, value_enum, default_value = "tasks", requires = "url")]
    pub crawler: Crawler,

    /// With --url: another host whose links are followed too (`name` or `name:port`); repeat it
    /// for more.
    #[arg(long, value_name = "HOST", requires = "url")]
    pub host: Vec<String>,

    /// Serve the lesson's site on 127.0.0.1 until Ctrl-C or the end of standard input, instead of
    /// the lesson's parts.
    #[arg(long, conflicts_with = "only")]
    pub serve: bool,

    #[command(flatten)]
    pub parts: course_support::Parts<Part>,
}

/// The crawlers `--url` can use. Each doc comment is printed by `--help` as it is.
#[allow(
    clippy::doc_markdown,
    reason = "a value's help is printed as it is, without backticks"
)]
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum Crawler {
    /// tasks in a JoinSet, at most --max-in-flight fetching at once (part 4)
    Tasks,
    /// a pool of --max-in-flight threads fed by a channel (part 2)
    Pool,
}

/// The parts of the lesson, in the order they run. Each doc comment is the part's title: `--help`
/// lists it and the lesson prints it as the part's heading.
#[allow(
    clippy::doc_markdown,
    reason = "a title is printed as it is, without backticks"
)]
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum Part {
    /// one page after another: the baseline
    OneByOne,
    /// a pool of threads fed by a channel, and its end
    Pool,
    /// ending a pool: too early, or never
    WrongEnds,
    /// tasks: a JoinSet, a Semaphore of k, time-outs and retries
    Tasks,
    /// stop after a time budget (or Ctrl-C): a partial report that adds up
    Stop,
    /// the report: every trap the site holds
    Report,
}

fn parse_pages(arg: &str) -> Result<usize, String> {
    parse_count(
        arg,
        course_site::site::MIN_PAGES,
        course_site::site::MAX_PAGES,
    )
}

fn parse_in_flight(arg: &str) -> Result<usize, String> {
    parse_count(arg, 1, 1000)
}

fn parse_max_pages(arg: &str) -> Result<usize, String> {
    parse_count(arg, 1, 1_000_000)
}

fn parse_count(arg: &str, least: usize, most: usize) -> Result<usize, String> {
    match arg.trim().parse::<usize>() {
        Ok(n) if (least..=most).contains(&n) => Ok(n),
        _ => Err(format!("give a whole number from {least} to {most}")),
    }
}

fn parse_url(arg: &str) -> Result<url::Url, String> {
    let url = url::Url::parse(arg.trim()).map_err(|error| format!("not an address: {error}"))?;
    match url.scheme() {
        "http" if url.host_str().is_some() => Ok(url),
        "https" => Err(
            "https:// is not supported: the lesson's HTTP clients speak plain http:// only"
                .to_string(),
        ),
        _ => Err("give an http:// address, such as http://127.0.0.1:8000/".to_string()),
    }
}
