use std::collections::{BTreeSet, VecDeque};
use std::time::Duration;

use url::Url;

use super::*;

fn site(pages: usize) -> Site {
    Site::start(SiteOptions {
        pages,
        latency: Duration::from_millis(1),
    })
    .unwrap()
}

/// The simplest correct crawl: one address after another.
fn crawl(site: &Site, timeout: Duration) -> Vec<Checked> {
    let start = Url::parse(&site.url()).unwrap();
    let scope = Scope::new(&start, &[]);
    let client = fetch::blocking::Client::new(timeout);
    let mut seen = BTreeSet::from([start.clone()]);
    let mut queue = VecDeque::from([start]);
    let mut checked = Vec::new();
    while let Some(url) = queue.pop_front() {
        let result = client.fetch(&url);
        if let Ok(fetched) = &result {
            for link in fetched.links() {
                if scope.follows(link) && seen.insert(link.url.clone().unwrap()) {
                    queue.push_back(link.url.clone().unwrap());
                }
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

#[test]
fn links_are_resolved_as_a_browser_would() {
    let base = Url::parse("http://127.0.0.1:8000/page/3").unwrap();
    let html = r#"<a href="12">a</a><A HREF='../page/13#x'>b</A><a>none</a>
        <a href="/search?q=rust">c</a><a href="mailto:x@example.com">d</a><a href="http://[::1">e</a>"#;
    let links: Vec<String> = links_in(html, &base)
        .into_iter()
        .map(|l| l.url.map_or(format!("({})", l.href), |u| u.to_string()))
        .collect();
    assert_eq!(
        links,
        [
            "http://127.0.0.1:8000/page/12",
            "http://127.0.0.1:8000/page/13",
            "http://127.0.0.1:8000/search?q=rust",
            "mailto:x@example.com",
            "(http://[::1)",
        ]
    );
}

#[test]
fn a_correct_crawl_fetches_every_page_once_and_reports_every_trap() {
    let site = site(30);
    let checked = crawl(&site, Duration::from_millis(300));
    assert_eq!(site.mistakes(0), Vec::<String>::new());
    let start = Url::parse(&site.url()).unwrap();
    let report = Report::new(&start, &Scope::new(&start, &[]), &checked, None);
    let text = report.text();
    let elsewhere = site.elsewhere_url();
    for expected in [
        "/missing/1: 404 Not Found\n      linked from /page/1",
        "/missing/2: 404 Not Found\n      linked from /page/9",
        "/busy: 503 Service Unavailable\n      linked from /page/6",
        "/old/1 -> /old/2 -> /old/3 -> /page/7\n      linked from /page/2",
        "/loop/a -> /loop/b -> /loop/a (a loop)\n      linked from /page/3",
        "/slow: no answer within 300 ms\n      linked from /page/4",
        "/big: more than 1 MiB; the rest was not read\n      linked from /page/5",
        &format!("{elsewhere}: another host\n      linked from /page/8"),
        "mailto:pages@example.com: not http://\n      linked from /page/8",
    ] {
        assert!(text.contains(expected), "{expected:?} is not in:\n{text}");
    }
    // The 30 pages, the two searches, the large page and the busy one (a 200 once retried).
    assert_eq!(report.pages, 30 + 2 + 1, "{text}");
    assert!(report.not_checked.is_empty());
    let seen = site.seen();
    assert_eq!(seen.max_in_flight, 1);
    assert_eq!(seen.abandoned, 1, "the stalled page was given up on");
    assert_eq!(
        site.server().open_connections_after(Duration::from_secs(5)),
        0
    );
}

#[test]
fn the_server_names_what_a_wrong_crawl_did() {
    let site = site(10);
    let client = fetch::blocking::Client::new(Duration::from_secs(5));
    let page = |path: &str| Url::parse(&site.url()).unwrap().join(path).unwrap();
    client.fetch(&page("/page/3")).unwrap();
    client.fetch(&page("/page/3")).unwrap();
    client.fetch(&page("/page/77")).unwrap();
    client
        .fetch(&Url::parse(&site.elsewhere_url()).unwrap())
        .unwrap();
    let mistakes = site.mistakes(0);
    assert!(mistakes.contains(&"/page/3: fetched 2 times, expected 1".to_string()));
    assert!(mistakes.contains(&"/: fetched 0 times, expected 1".to_string()));
    assert!(
        mistakes.contains(
            &"/page/77: fetched 1 times, but no page of the site links to it".to_string()
        )
    );
    assert!(
        mistakes
            .iter()
            .any(|m| m.starts_with("the other host was fetched 1 times"))
    );
}

#[test]
fn the_async_fetch_reads_what_the_blocking_one_reads() {
    let site = site(20);
    let client = fetch::blocking::Client::new(Duration::from_secs(5));
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap();
    for path in [
        "/",
        "/page/2",
        "/old/2",
        "/missing/1",
        "/big",
        "/search?q=rust",
    ] {
        let url = Url::parse(&site.url()).unwrap().join(path).unwrap();
        let blocking = client.fetch(&url).unwrap();
        let asynchronous = runtime.block_on(fetch::asynchronous::fetch(&url)).unwrap();
        assert_eq!(blocking, asynchronous, "{path}");
    }
}

#[test]
fn a_fetch_given_up_on_closes_its_connection() {
    let site = site(10);
    let url = Url::parse(&site.url()).unwrap().join("/slow").unwrap();
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap();
    let result = runtime.block_on(async {
        tokio::time::timeout(Duration::from_millis(100), fetch::asynchronous::fetch(&url)).await
    });
    assert!(result.is_err(), "{result:?}");
    assert_eq!(
        site.server().open_connections_after(Duration::from_secs(5)),
        0
    );
    assert_eq!(site.seen().abandoned, 1);
    let blocking = fetch::blocking::Client::new(Duration::from_millis(100)).fetch(&url);
    assert_eq!(
        blocking,
        Err(FetchError::TimedOut(Duration::from_millis(100)))
    );
    assert_eq!(
        site.server().open_connections_after(Duration::from_secs(5)),
        0
    );
    assert_eq!(site.seen().abandoned, 2);
}
