//! Wrong: `.map(spawn).map(join)`: iterators are lazy, so each worker is joined before the next starts.
//! verify says: "only one download ran at a time"
//! verify says: "Iterators are lazy"

use std::io::Read;
use std::sync::{Mutex, mpsc};
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
    use std::sync::atomic::{AtomicUsize, Ordering};
    let next = AtomicUsize::new(0);
    let mut results: Vec<Option<Result<Vec<u8>, ureq::Error>>> =
        urls.iter().map(|_| None).collect();
    thread::scope(|scope| {
        let workers: Vec<_> = (0..k)
            .map(|_| {
                scope.spawn(|| {
                    let mut done = Vec::new();
                    loop {
                        let index = next.fetch_add(1, Ordering::SeqCst);
                        let Some(url) = urls.get(index) else { break };
                        done.push((index, download(agent, url)));
                    }
                    done
                })
            })
            .map(|worker| worker.join().unwrap())
            .collect();
        for worker in workers {
            for (index, result) in worker {
                results[index] = Some(result);
            }
        }
    });
    results.into_iter().map(Option::unwrap).collect()
}

#[cfg(test)]
#[path = "../checks.rs"]
mod checks;
