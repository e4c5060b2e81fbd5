//~ starter:
//~ //! Exercise `at-most-k-downloads` (lesson 02).
//~ solution:
//! Exercise `at-most-k-downloads` (lesson 02): reference solution.
//~ end
//!
//! One thread per URL is fine for four files; for four thousand it opens four thousand
//! connections at once, which no server thanks you for. Here a small pool of `k` worker threads
//! shares the URLs: each worker takes the next URL that nobody has taken yet, downloads it, and
//! comes back for another, so that at most `k` downloads run at once. The bodies still come back
//! in the order of the URLs, and every worker has finished when the function returns.
//~ starter:
//~ //!
//~ //! Check your work: `cargo xtask verify at-most-k-downloads`. Stuck? `cargo xtask hint at-most-k-downloads`.
//~ //! The checks in `checks.rs` download from a loopback HTTP server inside the test program; every
//~ //! answer waits a while before it starts, like a slow network, and the server counts how many
//~ //! requests were waiting at the same moment.
//~ solution:
//~ end

use std::io::Read;
//~ starter:
//~ solution:
use std::sync::{Mutex, mpsc};
//~ end
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
    //~ starter:
    //~ // TODO: this starts a thread for every URL, all at once, and never looks at `k`.
    //~ // Start `k` workers instead. Put the URLs, each with its index, into a channel
    //~ // (`std::sync::mpsc`); the workers share the receiving end behind a `Mutex` and each takes
    //~ // one URL at a time until the channel is empty. Put every body back at its index.
    //~ let _ = k;
    //~ thread::scope(|scope| {
    //~     let handles: Vec<_> = urls
    //~         .iter()
    //~         .map(|url| scope.spawn(move || download(agent, url)))
    //~         .collect();
    //~     handles
    //~         .into_iter()
    //~         .map(|handle| handle.join().expect("a download thread panicked"))
    //~         .collect()
    //~ })
    //~ solution:
    assert!(k >= 1, "a pool needs at least one worker");
    // The queue: every URL with its index, then the sending end is dropped, so that `recv`
    // fails once the queue is empty and each worker knows it is done.
    let (queue, jobs) = mpsc::channel();
    for job in urls.iter().enumerate() {
        queue.send(job).expect("the receiving end is still here");
    }
    drop(queue);
    // One receiver for all the workers: the mutex lets one worker at a time take a URL.
    let jobs = Mutex::new(jobs);
    let mut results: Vec<Option<Result<Vec<u8>, ureq::Error>>> =
        urls.iter().map(|_| None).collect();
    thread::scope(|scope| {
        let workers: Vec<_> = (0..k.min(urls.len()))
            .map(|_| {
                scope.spawn(|| {
                    let mut done = Vec::new();
                    loop {
                        // The guard is a temporary of this statement: the lock is released
                        // before the download, so the other workers can take URLs meanwhile.
                        let job = jobs.lock().expect("no worker panics holding it").recv();
                        let Ok((index, url)) = job else { break };
                        done.push((index, download(agent, url)));
                    }
                    done
                })
            })
            .collect();
        // The workers finish in any order; the index puts each body back in its place.
        for worker in workers {
            for (index, result) in worker.join().expect("a worker panicked") {
                results[index] = Some(result);
            }
        }
    });
    results
        .into_iter()
        .map(|result| result.expect("every URL was taken by a worker"))
        .collect()
    //~ end
}

#[cfg(test)]
#[path = "../checks.rs"]
mod checks;
