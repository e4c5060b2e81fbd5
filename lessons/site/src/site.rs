//! The site: N pages generated from N alone, the traps, and a server that counts what it saw.

use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::io;
use std::sync::{Arc, Mutex, OnceLock, PoisonError};
use std::time::Duration;

use course_loopback::{Answer, Request, Server};

/// The fewest pages a site has: the traps hang from pages 1 to 9.
pub const MIN_PAGES: usize = 10;
/// The most pages a site has.
pub const MAX_PAGES: usize = 10_000;
/// How many links each page has to pages below it: 10, so that 10 000 pages are 4 links deep.
const CHILDREN: usize = 10;
/// The size of the very large page: far more than a crawler should read.
pub const BIG_PAGE_BYTES: usize = 8 * 1024 * 1024;
/// How long the stalled page waits before it answers: past any sane time-out (the server stops
/// waiting as soon as the client closes the connection, or the server stops).
const STALL: Duration = Duration::from_secs(24 * 60 * 60);
/// How many times the busy page answers 503 before it answers 200.
pub const BUSY_TIMES: usize = 2;

/// The traps, each with the page that links to it.
pub const MISSING: [(&str, usize); 2] = [("/missing/1", 1), ("/missing/2", 9)];
/// A redirect chain that ends on a page the site links to anyway.
pub const CHAIN: [&str; 4] = ["/old/1", "/old/2", "/old/3", "/page/7"];
/// A redirect loop.
pub const LOOP: [&str; 2] = ["/loop/a", "/loop/b"];
/// The page that never answers.
pub const STALLED: &str = "/slow";
/// The page that is very large.
pub const BIG: &str = "/big";
/// The page that answers 503 [`BUSY_TIMES`] times, then 200.
pub const BUSY: &str = "/busy";
/// The two addresses with a query string: the same one is linked three times.
pub const SEARCHES: [&str; 2] = ["/search?q=async", "/search?q=rust"];
/// The path linked on the other host.
pub const ELSEWHERE: &str = "/elsewhere";

/// What the site is made of.
#[derive(Debug, Clone, Copy)]
pub struct SiteOptions {
    /// How many pages: `/` and `/page/1` to `/page/{pages - 1}`.
    pub pages: usize,
    /// The mean latency of a page; each page has its own, from half to one and a half times it.
    pub latency: Duration,
}

/// The latency of page `number`: from half to one and a half times `mean`, spread evenly (the
/// golden ratio's steps), the same on every run.
pub fn page_latency(number: usize, mean: Duration) -> Duration {
    let number = f64::from(u32::try_from(number).unwrap_or(u32::MAX));
    let spread = (number * 0.618_033_988_749_895).fract();
    mean.mul_f64(0.5 + spread)
}

/// The path of page `number`: `/` for 0.
pub fn page_path(number: usize) -> String {
    if number == 0 {
        "/".to_string()
    } else {
        format!("/page/{number}")
    }
}

/// The site's server, the other host's, and what both saw. Dropping it stops both.
#[derive(Debug)]
pub struct Site {
    options: SiteOptions,
    server: Server,
    elsewhere: Server,
    counts: Arc<Counts>,
}

/// Requests per target (path and query), on the site and on the other host.
#[derive(Debug, Default)]
struct Counts {
    site: Mutex<BTreeMap<String, usize>>,
    elsewhere: Mutex<BTreeMap<String, usize>>,
}

/// What the server saw, to set beside what a correct crawl does ([`Site::expected`]).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Seen {
    /// Requests per target on the site.
    pub requests: BTreeMap<String, usize>,
    /// Requests to the other host, which a crawler must not follow.
    pub elsewhere: usize,
    /// The most requests waiting for their answer at one moment.
    pub max_in_flight: usize,
    /// Requests whose client closed the connection before the answer started.
    pub abandoned: usize,
}

impl Site {
    /// Starts the site on loopback, on two ports: the site's and the other host's.
    ///
    /// # Panics
    /// If `options.pages` is outside [`MIN_PAGES`]`..=`[`MAX_PAGES`].
    pub fn start(options: SiteOptions) -> io::Result<Site> {
        assert!(
            (MIN_PAGES..=MAX_PAGES).contains(&options.pages),
            "a site has {MIN_PAGES} to {MAX_PAGES} pages, not {}",
            options.pages
        );
        let counts = Arc::new(Counts::default());
        let elsewhere = Server::start(Arc::new({
            let counts = Arc::clone(&counts);
            move |request: &Request| {
                count(&counts.elsewhere, &request.target);
                Answer::new(200, b"<a href=\"/\">another site</a>".to_vec())
                    .content_type("text/html")
            }
        }))?;
        let elsewhere_url = format!("http://{}{ELSEWHERE}", elsewhere.address());
        // The site's own address, known once its server listens: one redirect names it.
        let origin = Arc::new(OnceLock::new());
        let server = Server::start(Arc::new({
            let (counts, origin) = (Arc::clone(&counts), Arc::clone(&origin));
            move |request: &Request| {
                let times = count(&counts.site, &request.target);
                let origin = origin.get().map_or("", String::as_str);
                answer(&options, origin, &elsewhere_url, &request.target, times)
            }
        }))?;
        let _ = origin.set(format!("http://{}", server.address()));
        Ok(Site {
            options,
            server,
            elsewhere,
            counts,
        })
    }

    /// The address of the first page: `http://127.0.0.1:PORT/`.
    pub fn url(&self) -> String {
        format!("http://{}/", self.server.address())
    }

    /// The address of the other host's page that the site links to.
    pub fn elsewhere_url(&self) -> String {
        format!("http://{}{ELSEWHERE}", self.elsewhere.address())
    }

    pub fn options(&self) -> SiteOptions {
        self.options
    }

    /// The server itself, for its counts and its open connections.
    pub fn server(&self) -> &Server {
        &self.server
    }

    /// What the server has seen so far.
    pub fn seen(&self) -> Seen {
        let lock = |counts: &Mutex<BTreeMap<String, usize>>| {
            counts
                .lock()
                .unwrap_or_else(PoisonError::into_inner)
                .clone()
        };
        Seen {
            requests: lock(&self.counts.site),
            elsewhere: lock(&self.counts.elsewhere).values().sum(),
            max_in_flight: self.server.max_concurrent_requests(),
            abandoned: self.server.requests_abandoned(),
        }
    }

    /// The requests a correct crawl makes, per target: every page and every trap once, and the
    /// busy page [`BUSY_TIMES`] more times when the crawler retries a 503 (`retries` is how many
    /// retries it allows).
    pub fn expected(&self, retries: usize) -> BTreeMap<String, usize> {
        let mut expected: BTreeMap<String, usize> =
            (0..self.options.pages).map(|n| (page_path(n), 1)).collect();
        let traps = MISSING
            .iter()
            .map(|(path, _)| *path)
            .chain(CHAIN)
            .chain(LOOP)
            .chain([STALLED, BIG])
            .chain(SEARCHES);
        for path in traps {
            expected.insert(path.to_string(), 1);
        }
        expected.insert(BUSY.to_string(), 1 + retries.min(BUSY_TIMES));
        expected
    }

    /// What a crawl did wrong, as the server saw it, one line per mistake: pages fetched more
    /// than once or never, addresses the site never linked, the other host followed. Empty when
    /// every page and trap was fetched exactly as [`expected`](Self::expected) says.
    pub fn mistakes(&self, retries: usize) -> Vec<String> {
        let seen = self.seen();
        let expected = self.expected(retries);
        let mut mistakes = Vec::new();
        for (target, &want) in &expected {
            let got = seen.requests.get(target).copied().unwrap_or(0);
            if got != want {
                mistakes.push(format!("{target}: fetched {got} times, expected {want}"));
            }
        }
        for (target, got) in &seen.requests {
            if !expected.contains_key(target) {
                mistakes.push(format!(
                    "{target}: fetched {got} times, but no page of the site links to it"
                ));
            }
        }
        if seen.elsewhere > 0 {
            mistakes.push(format!(
                "the other host was fetched {} times: a crawler follows only its own site",
                seen.elsewhere
            ));
        }
        mistakes
    }
}

/// Counts one more request for `target`; returns how many there were before it.
fn count(counts: &Mutex<BTreeMap<String, usize>>, target: &str) -> usize {
    let mut counts = counts.lock().unwrap_or_else(PoisonError::into_inner);
    let times = counts.entry(target.to_string()).or_insert(0);
    *times += 1;
    *times - 1
}

/// The answer to `target`, whose `times`-th request this is (0 for the first).
fn answer(
    options: &SiteOptions,
    origin: &str,
    elsewhere_url: &str,
    target: &str,
    times: usize,
) -> Answer {
    let d = options.latency;
    let html = |body: String| Answer::new(200, body.into_bytes()).content_type("text/html");
    let redirect = |status, to: &str| Answer::new(status, Vec::new()).header("Location", to);
    let page = match target {
        "/" => Some(0),
        _ => target
            .strip_prefix("/page/")
            .and_then(|n| n.parse::<usize>().ok())
            .filter(|&n| n >= 1 && n < options.pages && target == page_path(n)),
    };
    if let Some(number) = page {
        return html(page_html(number, options.pages, elsewhere_url))
            .after(page_latency(number, d));
    }
    let answer = match target {
        "/old/1" => redirect(301, "/old/2"),
        // An absolute address, on the site's own origin.
        "/old/2" => redirect(302, &format!("{origin}/old/3")),
        "/old/3" => redirect(301, "../page/7"),
        "/loop/a" => redirect(302, "/loop/b"),
        "/loop/b" => redirect(302, "/loop/a"),
        STALLED => html("<p>too late</p>".to_string()).after(STALL),
        BIG => {
            let mut body = String::with_capacity(BIG_PAGE_BYTES);
            body.push_str("<p><a href=\"/\">home</a></p>\n");
            while body.len() < BIG_PAGE_BYTES {
                body.push_str("<p>a very large page, line after line after line.</p>\n");
            }
            html(body)
        }
        BUSY if times < BUSY_TIMES => Answer::new(503, b"busy, try again\n".to_vec()),
        BUSY => html("<p>busy no more</p><a href=\"/\">home</a>".to_string()),
        _ if SEARCHES.contains(&target) => {
            html("<p>results</p><a href=\"/#top\">home</a>".to_string())
        }
        _ => Answer::new(404, b"not found\n".to_vec()),
    };
    // Every answer but the stalled one waits the mean latency.
    if answer.delay.is_zero() {
        answer.after(d)
    } else {
        answer
    }
}

/// Page `number`'s HTML: links to the pages below it (each in one of five forms), to the page
/// above it and home (cycles), one link twice, and the traps that hang from it.
pub fn page_html(number: usize, pages: usize, elsewhere_url: &str) -> String {
    let mut html = format!(
        "<!doctype html>\n<html><head><title>Page {number}</title></head><body>\n<h1 id=\"top\">Page {number}</h1>\n<ul>\n"
    );
    let children = (CHILDREN * number + 1..=CHILDREN * number + CHILDREN).filter(|&c| c < pages);
    let mut link = |href: &str, text: &str| {
        let _ = writeln!(html, "<li><a href=\"{href}\">{text}</a></li>");
    };
    for child in children.clone() {
        let href = match child % 5 {
            // Relative to `/page/N`; on `/` the same form needs the folder.
            0 if number == 0 => format!("page/{child}"),
            0 => format!("{child}"),
            1 => format!("/page/{child}"),
            2 => format!("../page/{child}"),
            3 => format!("/page/{child}#part-2"),
            _ if number == 0 => format!("./page/{child}"),
            _ => format!("./{child}"),
        };
        link(&href, &format!("page {child}"));
    }
    if let Some(first) = children.clone().next() {
        link(&format!("/page/{first}#again"), "the same page again");
    }
    if number > 0 {
        link(&page_path((number - 1) / CHILDREN), "up");
        link("/", "home");
    }
    for (path, from) in MISSING {
        if from == number {
            link(path, "a page that is gone");
        }
    }
    match number {
        1 => link(SEARCHES[1], "search"),
        2 => link(CHAIN[0], "the old address"),
        3 => link(LOOP[0], "round and round"),
        4 => link(STALLED, "a slow page"),
        5 => link(BIG, "a very large page"),
        6 => link(BUSY, "a busy page"),
        8 => {
            link(elsewhere_url, "another site");
            link("mailto:pages@example.com", "write to us");
            link(SEARCHES[1], "search again");
            link(SEARCHES[0], "search for something else");
        }
        9 => link(SEARCHES[1], "search, once more"),
        _ => {}
    }
    html.push_str("</ul>\n</body></html>\n");
    html
}
