//! Exercise `chat-room` (lesson 12).
//!
//! A chat room over TCP. Every line a client sends reaches every other client in the room, as it
//! was sent, in one order for all. A client that reads slowly (or not at all) must never hold up
//! the others: once it is more than `capacity` lines behind, it misses lines, and it is told how
//! many with a line `! missed N lines` before the next one it gets. It stays in the room.
//!
//! As shipped, the room writes each line to every client in turn, and waits for each write: one
//! client that stops reading fills its socket's buffers, and then the room waits for it forever.
//!
//! Check your work: `cargo xtask verify chat-room`. Stuck? `cargo xtask hint chat-room`.
//! The checks connect real TCP clients over the loopback interface: fast readers, one that
//! reads nothing for a long while, and senders, and they count every line each one gets.

use std::io;
use std::net::SocketAddr;
use std::sync::Arc;

use tokio::io::{AsyncBufReadExt, AsyncWriteExt, BufReader};
use tokio::net::tcp::OwnedWriteHalf;
use tokio::net::{TcpListener, TcpStream};
use tokio::sync::Mutex;

/// Serves the chat room on `listener`: accepts clients for as long as it runs (until its
/// runtime stops), and lets each fall at most `capacity` (≥ 1) lines behind before it misses
/// some.
pub async fn serve_chat(listener: TcpListener, capacity: usize) -> io::Result<()> {
    // TODO: every client's line is written to every other client in turn, under one lock,
    // and each write is awaited: a client that reads nothing blocks them all. Give each
    // client a task of its own that writes what a `tokio::sync::broadcast` channel of
    // `capacity` brings it, and tell it `! missed N lines` when it lags.
    let _ = capacity;
    let clients: Arc<Mutex<Vec<(SocketAddr, OwnedWriteHalf)>>> = Arc::default();
    loop {
        let (stream, who) = listener.accept().await?;
        let clients = Arc::clone(&clients);
        tokio::spawn(async move {
            let _ = serve_client(stream, who, clients).await;
        });
    }
}

async fn serve_client(
    stream: TcpStream,
    who: SocketAddr,
    clients: Arc<Mutex<Vec<(SocketAddr, OwnedWriteHalf)>>>,
) -> io::Result<()> {
    let (reader, writer) = stream.into_split();
    clients.lock().await.push((who, writer));
    let mut lines = BufReader::new(reader).lines();
    while let Some(line) = lines.next_line().await? {
        let mut clients = clients.lock().await;
        for (address, writer) in clients.iter_mut() {
            if *address != who {
                let _ = writer.write_all(format!("{line}\n").as_bytes()).await;
            }
        }
    }
    clients.lock().await.retain(|(address, _)| *address != who);
    Ok(())
}

#[cfg(test)]
#[path = "../checks.rs"]
mod checks;
