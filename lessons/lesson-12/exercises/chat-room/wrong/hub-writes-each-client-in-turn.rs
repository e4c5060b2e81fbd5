//! Wrong: one hub task takes every line from a channel and writes it to each client in turn,
//! awaiting each write: when one client's socket is full, the hub waits for it, and nobody else
//! gets a line.
//! verify says: "the room waits for the client that does not read"

use std::io;
use std::net::SocketAddr;

use tokio::io::{AsyncBufReadExt, AsyncWriteExt, BufReader};
use tokio::net::TcpListener;
use tokio::net::tcp::OwnedWriteHalf;
use tokio::sync::mpsc;

enum Event {
    Joined(SocketAddr, OwnedWriteHalf),
    Said(SocketAddr, String),
    Left(SocketAddr),
}

/// Serves the chat room on `listener`: accepts clients for as long as it runs (until its
/// runtime stops), and lets each fall at most `capacity` (≥ 1) lines behind before it misses
/// some.
pub async fn serve_chat(listener: TcpListener, capacity: usize) -> io::Result<()> {
    let (events, mut inbox) = mpsc::channel::<Event>(capacity);
    tokio::spawn(async move {
        let mut clients: Vec<(SocketAddr, OwnedWriteHalf)> = Vec::new();
        while let Some(event) = inbox.recv().await {
            match event {
                Event::Joined(who, writer) => clients.push((who, writer)),
                Event::Left(who) => clients.retain(|(address, _)| *address != who),
                Event::Said(who, line) => {
                    for (address, writer) in &mut clients {
                        if *address != who {
                            let _ = writer.write_all(format!("{line}\n").as_bytes()).await;
                        }
                    }
                }
            }
        }
    });
    loop {
        let (stream, who) = listener.accept().await?;
        let events = events.clone();
        tokio::spawn(async move {
            let (reader, writer) = stream.into_split();
            let _ = events.send(Event::Joined(who, writer)).await;
            let mut lines = BufReader::new(reader).lines();
            while let Ok(Some(line)) = lines.next_line().await {
                let _ = events.send(Event::Said(who, line)).await;
            }
            let _ = events.send(Event::Left(who)).await;
        });
    }
}

#[cfg(test)]
#[path = "../checks.rs"]
mod checks;
