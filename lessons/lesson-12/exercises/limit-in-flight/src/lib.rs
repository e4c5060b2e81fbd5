//! Exercise `limit-in-flight` (lesson 12).
//!
//! A server takes many questions at once, but not too many from one client: ask it every
//! request of a list with at most `k` in flight at any moment. The answers take different times;
//! as soon as any one comes back, the next request goes out, so that `k` are in flight whenever
//! there are that many left. The answers come back in the order of the requests, whichever came
//! first.
//!
//! As shipped, the requests go one at a time.
//!
//! Check your work: `cargo xtask verify limit-in-flight`. Stuck? `cargo xtask hint limit-in-flight`.
//! The checks' server, inside the test program, holds every answer back until it sees `k`
//! requests in flight, then lets one go (not the oldest) and waits to see the next request
//! arrive, and so on; it answers with a token drawn anew on every run.

use std::io;
use std::net::SocketAddr;

use tokio::io::{AsyncBufReadExt, AsyncWriteExt, BufReader};
use tokio::net::TcpStream;

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
    // TODO: one request at a time, and `k` is never looked at. Give every request a task of
    // its own, and let at most `k` of them ask at once (`tokio::sync::Semaphore`).
    let _ = k;
    let mut answers = Vec::new();
    for request in requests {
        answers.push(ask(server, request).await);
    }
    answers
}

#[cfg(test)]
#[path = "../checks.rs"]
mod checks;
