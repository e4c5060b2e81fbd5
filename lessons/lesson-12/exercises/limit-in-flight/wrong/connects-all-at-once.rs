//! Wrong: every request's connection is opened at once, and only the sending of the request
//! waits for a place: the server has every connection open together, `k` or not.
//! verify says: "connections were open at once"

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
    let permits = Arc::new(Semaphore::new(k));
    let tasks: Vec<_> = requests
        .iter()
        .cloned()
        .map(|request| {
            let permits = Arc::clone(&permits);
            tokio::spawn(async move {
                // Connect at once, so that the request goes out the moment a place is free.
                let mut stream = TcpStream::connect(server).await?;
                let _permit = permits.acquire().await.expect("never closed");
                stream.write_all(format!("{request}\n").as_bytes()).await?;
                let mut answer = String::new();
                BufReader::new(stream).read_line(&mut answer).await?;
                Ok(answer.trim_end().to_string())
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
