//! Exercise `download-in-order` (lesson 02).
//!
//! Download every URL at the same time, each on a thread of its own, and hand back the bodies in
//! the order of the URLs — whichever download finishes first. A download that fails keeps its
//! place in the list, as an `Err`.
//!
//! Check your work: `cargo xtask verify download-in-order`. Stuck? `cargo xtask hint download-in-order`.
//! The checks in `checks.rs` download from a loopback HTTP server inside the test program; every
//! answer waits a while before it starts, like a slow network, and the server counts how many
//! requests were waiting at the same moment.

use std::io::Read;

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

/// Downloads every URL of `urls` at the same time, one thread per URL, and returns what each
/// download gave, in the order of `urls`.
pub fn download_all_at_once(agent: &Agent, urls: &[String]) -> Vec<Result<Vec<u8>, ureq::Error>> {
    // TODO: this downloads the URLs one after another: each download waits for the one before.
    // Start a thread for every URL first (`std::thread::scope` lets the threads borrow `agent`
    // and `urls`), and only then join the threads, in the order of `urls`.
    urls.iter().map(|url| download(agent, url)).collect()
}

#[cfg(test)]
#[path = "../checks.rs"]
mod checks;
