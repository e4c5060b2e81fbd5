//! Right: a thread per URL, and a count of the running downloads under a Condvar that lets k run.

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
    let running = (Mutex::new(0), std::sync::Condvar::new());
    thread::scope(|scope| {
        let threads: Vec<_> = urls
            .iter()
            .map(|url| {
                let running = &running;
                scope.spawn(move || {
                    let (count, changed) = running;
                    let mut now = changed
                        .wait_while(count.lock().unwrap(), |now| *now >= k)
                        .unwrap();
                    *now += 1;
                    drop(now);
                    let result = download(agent, url);
                    *count.lock().unwrap() -= 1;
                    changed.notify_one();
                    result
                })
            })
            .collect();
        threads.into_iter().map(|t| t.join().unwrap()).collect()
    })
}

#[cfg(test)]
#[path = "../checks.rs"]
mod checks;
