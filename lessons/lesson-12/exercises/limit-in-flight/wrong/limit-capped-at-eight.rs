//! Wrong: at most 8 requests in flight, however many `k` allows: a cap of its own, right for
//! every limit the checks used to ask for (6 at most), and it wastes the rest.
//! verify says: "only 8 requests were in flight at once, though"

use std::io;
use std::net::SocketAddr;
use std::sync::Arc;

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
    // No more than 8 connections at once, to be kind to the server.
    let permits = Arc::new(Semaphore::new(k.min(8)));
    let tasks: Vec<_> = requests
        .iter()
        .cloned()
        .map(|request| {
            let permits = Arc::clone(&permits);
            tokio::spawn(async move {
                let _permit = permits.acquire().await.expect("never closed");
                ask(server, &request).await
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
