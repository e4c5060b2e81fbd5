//! Right: `k` worker tasks take the next request from a shared queue until it is empty; each
//! answer goes to the place of its request.

use std::io;
use std::net::SocketAddr;
use std::sync::Arc;

use tokio::io::{AsyncBufReadExt, AsyncWriteExt, BufReader};
use tokio::net::TcpStream;
use tokio::sync::{Mutex, mpsc};

/// Asks `server` one question over TCP: sends `request` on a line, and returns the line the
/// server answers (without its end of line).
pub async fn ask(server: SocketAddr, request: &str) -> io::Result<String> {
    let mut stream = TcpStream::connect(server).await?;
    stream.write_all(format!("{request}\n").as_bytes()).await?;
    let mut answer = String::new();
    BufReader::new(stream).read_line(&mut answer).await?;
    Ok(answer.trim_end().to_string())
}

/// Asks `server` every request of `requests` with [`ask`], with at most `k` (≥ 1) in flight at
/// any moment, the next one starting as soon as any answer comes; returns the answers in the
/// order of `requests`.
pub async fn ask_all(server: SocketAddr, k: usize, requests: &[String]) -> Vec<io::Result<String>> {
    let (jobs, queue) = mpsc::unbounded_channel();
    for job in requests.iter().cloned().enumerate() {
        jobs.send(job).expect("the queue is open");
    }
    drop(jobs);
    let queue = Arc::new(Mutex::new(queue));
    let (done, mut answers_in) = mpsc::unbounded_channel();
    for _ in 0..k.min(requests.len()) {
        let (queue, done) = (Arc::clone(&queue), done.clone());
        tokio::spawn(async move {
            loop {
                let next = queue.lock().await.recv().await;
                let Some((index, request)) = next else { break };
                let _ = done.send((index, ask(server, &request).await));
            }
        });
    }
    drop(done);
    let mut answers: Vec<Option<io::Result<String>>> = requests.iter().map(|_| None).collect();
    while let Some((index, answer)) = answers_in.recv().await {
        answers[index] = Some(answer);
    }
    answers.into_iter().map(Option::unwrap).collect()
}

#[cfg(test)]
#[path = "../checks.rs"]
mod checks;
