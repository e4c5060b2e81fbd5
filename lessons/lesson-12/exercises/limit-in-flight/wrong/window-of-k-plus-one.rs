//! Wrong: a window over a `JoinSet` that waits only once it holds more than `k`: an off-by-one
//! that lets `k + 1` requests out at once.
//! verify says: "the limit is"

use std::io;
use std::net::SocketAddr;

use tokio::io::{AsyncBufReadExt, AsyncWriteExt, BufReader};
use tokio::net::TcpStream;
use tokio::task::JoinSet;

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
    let mut answers: Vec<Option<io::Result<String>>> = requests.iter().map(|_| None).collect();
    let mut in_flight = JoinSet::new();
    for (index, request) in requests.iter().cloned().enumerate() {
        if in_flight.len() > k {
            let (done, answer) = in_flight.join_next().await.unwrap().unwrap();
            answers[done] = Some(answer);
        }
        in_flight.spawn(async move { (index, ask(server, &request).await) });
    }
    while let Some(finished) = in_flight.join_next().await {
        let (done, answer) = finished.unwrap();
        answers[done] = Some(answer);
    }
    answers.into_iter().map(Option::unwrap).collect()
}

#[cfg(test)]
#[path = "../checks.rs"]
mod checks;
