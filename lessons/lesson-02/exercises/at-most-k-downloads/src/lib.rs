//! Exercise `at-most-k-downloads` (lesson 02).
//!
//! One thread per URL is fine for four files; for four thousand it opens four thousand
//! connections at once, which no server thanks you for. Here a small pool of `k` worker threads
//! shares the URLs: each worker takes the next URL that nobody has taken yet, downloads it, and
//! comes back for another, so that at most `k` downloads run at once. The bodies still come back
//! in the order of the URLs, and every worker has finished when the function returns.
//!
//! Check your work: `cargo xtask verify at-most-k-downloads`. Stuck? `cargo xtask hint at-most-k-downloads`.
//! The checks in `checks.rs` download from a loopback HTTP server inside the test program; every
//! answer waits a while before it starts, like a slow network, and the server counts how many
//! requests were waiting at the same moment.

use std::io::Read;
use std::thread;

use ureq::Agent;

/// Downloads one URL with `agent` and returns its whole body.
pub fn download(agent: &Agent, url: &str) -> Result<Vec<u8>, ureq::Error> {
    let mut body = Vec::new();
    agent
        .get(url)
        .call()?
        .body_mut()
        .as_reader()
        .read_to_end(&mut body)?;
    Ok(body)
}

/// Downloads every URL of `urls` with `k` worker threads (`k` ≥ 1), so that at most `k`
/// downloads run at the same time, and returns what each download gave, in the order of `urls`.
pub fn download_with_at_most(
    k: usize,
    agent: &Agent,
    urls: &[String],
) -> Vec<Result<Vec<u8>, ureq::Error>> {
    // TODO: this starts a thread for every URL, all at once, and never looks at `k`.
    // Start `k` workers instead. Put the URLs, each with its index, into a channel
    // (`std::sync::mpsc`); the workers share the receiving end behind a `Mutex` and each takes
    // one URL at a time until the channel is empty. Put every body back at its index.
    let _ = k;
    thread::scope(|scope| {
        let handles: Vec<_> = urls
            .iter()
            .map(|url| scope.spawn(move || download(agent, url)))
            .collect();
        handles
            .into_iter()
            .map(|handle| handle.join().expect("a download thread panicked"))
            .collect()
    })
}

#[cfg(test)]
#[path = "../checks.rs"]
mod checks;
