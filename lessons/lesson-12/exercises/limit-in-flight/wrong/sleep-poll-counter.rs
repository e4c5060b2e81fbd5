//! Wrong: the tasks wait for a free place by checking a counter again and again, sleeping a
//! millisecond (`tokio::time::sleep`) between two looks: the runtime is idle in between, so the
//! time it spends busy is small, yet its thread sleeps and wakes a thousand times a second.
//! verify says: "checks again and again"

use std::io;
use std::net::SocketAddr;
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};

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
    let in_flight = Arc::new(AtomicUsize::new(0));
    let tasks: Vec<_> = requests
        .iter()
        .cloned()
        .map(|request| {
            let in_flight = Arc::clone(&in_flight);
            tokio::spawn(async move {
                while in_flight
                    .fetch_update(Ordering::SeqCst, Ordering::SeqCst, |n| {
                        (n < k).then_some(n + 1)
                    })
                    .is_err()
                {
                    // Look again in a millisecond: the runtime sleeps in between.
                    tokio::time::sleep(std::time::Duration::from_millis(1)).await;
                }
                let answer = ask(server, &request).await;
                in_flight.fetch_sub(1, Ordering::SeqCst);
                answer
            })
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
