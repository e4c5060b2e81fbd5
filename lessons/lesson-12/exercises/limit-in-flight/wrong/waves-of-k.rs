//! Wrong: the requests go in waves of `k`: the next wave starts only when the whole wave before
//! it has been answered.
//! verify says: "the requests went in waves"

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
    let mut answers = Vec::new();
    for wave in requests.chunks(k) {
        let tasks: Vec<_> = wave
            .iter()
            .cloned()
            .map(|request| tokio::spawn(async move { ask(server, &request).await }))
            .collect();
        for task in tasks {
            answers.push(task.await.expect("a request's task panicked"));
        }
    }
    answers
}

#[cfg(test)]
#[path = "../checks.rs"]
mod checks;
