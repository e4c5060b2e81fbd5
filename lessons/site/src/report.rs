//! Which addresses a crawl follows, and the report of a crawl: the same, whatever the order the
//! pages were checked in.

use std::collections::{BTreeMap, BTreeSet};
use std::fmt::Write as _;

use serde::Serialize;
use url::Url;

use crate::fetch::{FetchError, Fetched, Link};

/// The hosts a crawl follows: the start address's, and any the user adds (`--host`).
#[derive(Debug, Clone)]
pub struct Scope {
    /// Host and port (`127.0.0.1:8080`, `example.org:80`).
    hosts: BTreeSet<String>,
}

impl Scope {
    /// The start address's host, and each of `more` (`name` or `name:port`; without a port, the
    /// scheme's).
    pub fn new(start: &Url, more: &[String]) -> Scope {
        let mut hosts: BTreeSet<String> = more
            .iter()
            .map(|host| {
                if host.contains(':') {
                    host.clone()
                } else {
                    format!("{host}:80")
                }
            })
            .collect();
        hosts.extend(host_and_port(start));
        Scope { hosts }
    }

    /// Why the crawl does not follow `link`, or `None` if it does.
    pub fn refuses(&self, link: &Link) -> Option<&'static str> {
        let Some(url) = &link.url else {
            return Some("not an address");
        };
        if url.scheme() != "http" {
            return Some("not http://");
        }
        match host_and_port(url) {
            Some(host) if self.hosts.contains(&host) => None,
            _ => Some("another host"),
        }
    }

    /// Whether the crawl follows `link`: an `http://` address on one of its hosts.
    pub fn follows(&self, link: &Link) -> bool {
        self.refuses(link).is_none()
    }
}

fn host_and_port(url: &Url) -> Option<String> {
    Some(format!(
        "{}:{}",
        url.host_str()?,
        url.port_or_known_default()?
    ))
}

/// One address a crawler checked: what came back, after how many requests (more than one when
/// it retried).
#[derive(Debug, Clone)]
pub struct Checked {
    pub url: Url,
    pub result: Result<Fetched, FetchError>,
    pub attempts: u32,
}

/// One address that is not right, and the pages that link to it.
#[derive(Debug, Clone, Serialize)]
pub struct Problem {
    pub address: String,
    pub what: String,
    pub linked_from: Vec<String>,
}

/// A chain of redirects from an address a page links to.
#[derive(Debug, Clone, Serialize)]
pub struct Chain {
    pub chain: Vec<String>,
    pub is_loop: bool,
    pub linked_from: Vec<String>,
}

/// The report of a crawl. See [`Report::new`].
#[derive(Debug, Clone, Serialize)]
pub struct Report {
    pub start: String,
    /// Addresses fetched.
    pub checked: usize,
    /// Of those, pages (a `200`).
    pub pages: usize,
    /// Links read on those pages, duplicates included.
    pub links: usize,
    pub broken: Vec<Problem>,
    pub redirects: Vec<Chain>,
    pub timed_out: Vec<Problem>,
    pub too_large: Vec<Problem>,
    pub retried: Vec<Problem>,
    pub failed: Vec<Problem>,
    pub not_followed: Vec<Problem>,
    /// Addresses found on the site but never checked (the crawl stopped first).
    pub not_checked: Vec<String>,
    /// Why the crawl stopped before its end, if it did.
    pub stopped: Option<String>,
}

impl Report {
    /// The report of the addresses in `checked`, in any order, from the crawl that started at
    /// `start` and followed `scope`. `stopped` says why the crawl ended early, if it did.
    pub fn new(start: &Url, scope: &Scope, checked: &[Checked], stopped: Option<String>) -> Report {
        let show = |url: &Url| shown(start, url);
        let by_url: BTreeMap<&Url, &Checked> = checked.iter().map(|c| (&c.url, c)).collect();
        let Gathered {
            linked_from,
            not_followed,
            found,
            links,
        } = gather(start, scope, &by_url);
        let from = |url: &Url| -> Vec<String> {
            linked_from
                .get(&show(url))
                .map(|set| set.iter().cloned().collect())
                .unwrap_or_default()
        };
        let problem = |url: &Url, what: String| Problem {
            address: show(url),
            what,
            linked_from: from(url),
        };
        let mut report = Report {
            start: start.to_string(),
            checked: by_url.len(),
            pages: 0,
            links,
            broken: Vec::new(),
            redirects: Vec::new(),
            timed_out: Vec::new(),
            too_large: Vec::new(),
            retried: Vec::new(),
            failed: Vec::new(),
            not_followed: not_followed
                .into_iter()
                .map(|((address, why), pages)| Problem {
                    address,
                    what: why.to_string(),
                    linked_from: pages.into_iter().collect(),
                })
                .collect(),
            not_checked: found
                .iter()
                .filter(|url| !by_url.contains_key(**url))
                .map(|url| show(url))
                .collect(),
            stopped,
        };
        for (url, checked) in &by_url {
            match &checked.result {
                Ok(Fetched::Page { .. }) => report.pages += 1,
                Ok(Fetched::TooLarge { .. }) => {
                    report.pages += 1;
                    report.too_large.push(problem(
                        url,
                        format!(
                            "more than {} MiB; the rest was not read",
                            crate::MAX_BODY >> 20
                        ),
                    ));
                }
                Ok(Fetched::Status(status)) => {
                    report.broken.push(problem(url, status_text(*status)));
                }
                Ok(Fetched::Redirect { .. }) => {
                    if !linked_from.contains_key(&show(url)) {
                        continue; // the middle of a chain: shown from its start
                    }
                    report.redirects.push(chain(url, &by_url, &show, from(url)));
                }
                Err(FetchError::TimedOut(_)) => report.timed_out.push(problem(
                    url,
                    checked.result.as_ref().unwrap_err().to_string(),
                )),
                Err(FetchError::Failed(why)) => report.failed.push(problem(url, why.clone())),
            }
            if checked.attempts > 1 {
                let now = match &checked.result {
                    Ok(Fetched::Status(status)) => format!("still {}", status_text(*status)),
                    Ok(_) => "then it answered".to_string(),
                    Err(error) => error.to_string(),
                };
                report.retried.push(problem(
                    url,
                    format!("asked {} times; {now}", checked.attempts),
                ));
            }
        }
        report
    }

    /// The report as JSON, for other programs.
    pub fn json(&self) -> String {
        serde_json::to_string_pretty(self).unwrap_or_default()
    }

    /// The report as text, for people.
    pub fn text(&self) -> String {
        let mut out = String::new();
        let _ = writeln!(
            out,
            "{} addresses checked: {} pages, {} links on them.",
            self.checked, self.pages, self.links
        );
        if let Some(why) = &self.stopped {
            let _ = writeln!(
                out,
                "Stopped early ({why}): {} addresses found were not checked.",
                self.not_checked.len()
            );
        }
        section(&mut out, "Broken links", &self.broken);
        if !self.redirects.is_empty() {
            let _ = writeln!(out, "Redirects ({}):", self.redirects.len());
            for chain in &self.redirects {
                let end = if chain.is_loop { " (a loop)" } else { "" };
                let _ = writeln!(
                    out,
                    "  {}{end}\n      linked from {}",
                    chain.chain.join(" -> "),
                    chain.linked_from.join(", ")
                );
            }
        }
        section(&mut out, "Timed out", &self.timed_out);
        section(&mut out, "Too large", &self.too_large);
        section(&mut out, "Retried", &self.retried);
        section(&mut out, "Failed", &self.failed);
        section(&mut out, "Not followed", &self.not_followed);
        out
    }
}

fn section(out: &mut String, title: &str, problems: &[Problem]) {
    if problems.is_empty() {
        return;
    }
    let _ = writeln!(out, "{title} ({}):", problems.len());
    for problem in problems {
        let _ = writeln!(out, "  {}: {}", problem.address, problem.what);
        if !problem.linked_from.is_empty() {
            let _ = writeln!(out, "      linked from {}", problem.linked_from.join(", "));
        }
    }
}

/// What the pages' links say: who links to what, what is not followed, what was found.
struct Gathered<'a> {
    linked_from: BTreeMap<String, BTreeSet<String>>,
    not_followed: BTreeMap<(String, &'static str), BTreeSet<String>>,
    found: BTreeSet<&'a Url>,
    links: usize,
}

fn gather<'a>(start: &Url, scope: &Scope, by_url: &BTreeMap<&'a Url, &'a Checked>) -> Gathered<'a> {
    let show = |url: &Url| shown(start, url);
    // Who links to what: the pages' links (a redirect's target is not a page's link).
    let mut linked_from: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
    let mut not_followed: BTreeMap<(String, &str), BTreeSet<String>> = BTreeMap::new();
    let mut found: BTreeSet<&Url> = BTreeSet::new();
    let mut links = 0;
    for checked in by_url.values() {
        let Ok(fetched) = &checked.result else {
            continue;
        };
        let from_a_page = !matches!(fetched, Fetched::Redirect { .. });
        for link in fetched.links() {
            if from_a_page {
                links += 1;
            }
            match (scope.refuses(link), &link.url) {
                (None, Some(url)) => {
                    found.insert(url);
                    if from_a_page {
                        linked_from
                            .entry(show(url))
                            .or_default()
                            .insert(show(&checked.url));
                    }
                }
                (Some(why), url) => {
                    let address = url.as_ref().map_or(link.href.clone(), Url::to_string);
                    not_followed
                        .entry((address, why))
                        .or_default()
                        .insert(show(&checked.url));
                }
                (None, None) => {}
            }
        }
    }
    Gathered {
        linked_from,
        not_followed,
        found,
        links,
    }
}

/// The chain of redirects that starts at `url`, to its end or until it comes back on itself.
fn chain(
    url: &Url,
    by_url: &BTreeMap<&Url, &Checked>,
    show: &impl Fn(&Url) -> String,
    linked_from: Vec<String>,
) -> Chain {
    let mut chain = vec![show(url)];
    let mut at = url;
    let mut is_loop = false;
    while let Some(Ok(Fetched::Redirect {
        to: Link { url: Some(to), .. },
        ..
    })) = by_url.get(at).map(|c| &c.result)
    {
        is_loop = chain.contains(&show(to));
        chain.push(show(to));
        if is_loop {
            break;
        }
        at = to;
    }
    Chain {
        chain,
        is_loop,
        linked_from,
    }
}

/// `url` as the report shows it: its path (and query) on the start address's host, the whole
/// address elsewhere.
fn shown(start: &Url, url: &Url) -> String {
    if url.origin() == start.origin() {
        url[url::Position::BeforePath..].to_string()
    } else {
        url.to_string()
    }
}

/// `404 Not Found`, `503 Service Unavailable`, …
pub fn status_text(status: u16) -> String {
    let reason = match status {
        400 => "Bad Request",
        401 => "Unauthorized",
        403 => "Forbidden",
        404 => "Not Found",
        410 => "Gone",
        429 => "Too Many Requests",
        500 => "Internal Server Error",
        502 => "Bad Gateway",
        503 => "Service Unavailable",
        504 => "Gateway Timeout",
        _ => "",
    };
    format!("{status} {reason}").trim_end().to_string()
}
