//! Right: the solution's semaphore, with a time-out of its own around each request, so that a
//! server that never answers does not hold a place for ever (a timer per request, never a poll).

use std::io;
use std::net::SocketAddr;
use std::sync::Arc;
use std::time::Duration;

use tokio::io::{AsyncBufReadExt, AsyncWriteExt, BufReader};
use tokio::net::TcpStream;
use tokio::sync::Semaphore;

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
    let permits = Arc::new(Semaphore::new(k));
    let tasks: Vec<_> = requests
        .iter()
        .cloned()
        .map(|request| {
            let permits = Arc::clone(&permits);
            tokio::spawn(async move {
                let _permit = permits.acquire().await.expect("never closed");
                // A server that never answers does not hold a place for ever.
                tokio::time::timeout(Duration::from_secs(30), ask(server, &request))
                    .await
                    .unwrap_or_else(|elapsed| Err(io::Error::new(io::ErrorKind::TimedOut, elapsed)))
            }) // the permit goes back when the answer is in: the next request may go
        })
        .collect();
    let mut answers = Vec::new();
    for task in tasks {
        answers.push(task.await.expect("a request's task panicked"));
    }
    answers
}

#[cfg(test)]
#[path = "../checks.rs"]
mod checks;
