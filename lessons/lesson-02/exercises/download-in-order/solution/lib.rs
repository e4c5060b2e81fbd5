//! Exercise `download-in-order` (lesson 02): reference solution.
//!
//! Download every URL at the same time, each on a thread of its own, and hand back the bodies in
//! the order of the URLs — whichever download finishes first. A download that fails keeps its
//! place in the list, as an `Err`.

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

// ANCHOR: solution
/// Downloads every URL of `urls` at the same time, one thread per URL, and returns what each
/// download gave, in the order of `urls`.
pub fn download_all_at_once(agent: &Agent, urls: &[String]) -> Vec<Result<Vec<u8>, ureq::Error>> {
    thread::scope(|scope| {
        // Start them all first: while one thread waits for its server, the others wait too.
        let handles: Vec<_> = urls
            .iter()
            .map(|url| scope.spawn(move || download(agent, url)))
            .collect();
        // Joining in the order of `handles` puts the bodies in the order of `urls`, whichever
        // download finished first.
        handles
            .into_iter()
            .map(|handle| handle.join().expect("a download thread panicked"))
            .collect()
    })
}
// ANCHOR_END: solution

#[cfg(test)]
#[path = "../checks.rs"]
mod checks;
