//! Right: a channel per worker, URL i going to worker i % k.

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
    let workers = k.min(urls.len());
    let mut results: Vec<Option<Result<Vec<u8>, ureq::Error>>> =
        urls.iter().map(|_| None).collect();
    thread::scope(|scope| {
        let mut queues = Vec::new();
        let mut handles = Vec::new();
        for _ in 0..workers {
            let (queue, jobs) = mpsc::channel::<(usize, &String)>();
            queues.push(queue);
            handles.push(scope.spawn(move || {
                jobs.into_iter()
                    .map(|(index, url)| (index, download(agent, url)))
                    .collect::<Vec<_>>()
            }));
        }
        for (index, url) in urls.iter().enumerate() {
            queues[index % workers].send((index, url)).unwrap();
        }
        drop(queues);
        for handle in handles {
            for (index, result) in handle.join().unwrap() {
                results[index] = Some(result);
            }
        }
    });
    results.into_iter().map(Option::unwrap).collect()
}

#[cfg(test)]
#[path = "../checks.rs"]
mod checks;
