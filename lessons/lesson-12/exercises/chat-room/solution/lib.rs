//~ starter:
//~ //! Exercise `chat-room` (lesson 12).
//~ solution:
//! Exercise `chat-room` (lesson 12): the reference solution.
//~ end
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
//~ starter:
//~ use std::sync::Arc;
//~ solution:
//~ end

use tokio::io::{AsyncBufReadExt, AsyncWriteExt, BufReader};
use tokio::net::tcp::OwnedWriteHalf;
use tokio::net::{TcpListener, TcpStream};
//~ starter:
//~ use tokio::sync::Mutex;
//~ solution:
use tokio::sync::broadcast;
use tokio::sync::broadcast::error::RecvError;
//~ end

/// Serves the chat room on `listener`: accepts clients for as long as it runs (until its
/// runtime stops), and lets each fall at most `capacity` (≥ 1) lines behind before it misses
/// some.
pub async fn serve_chat(listener: TcpListener, capacity: usize) -> io::Result<()> {
    //~ starter:
    //~ // TODO: every client's line is written to every other client in turn, under one lock,
    //~ // and each write is awaited: a client that reads nothing blocks them all. Give each
    //~ // client a task of its own that writes what a `tokio::sync::broadcast` channel of
    //~ // `capacity` brings it, and tell it `! missed N lines` when it lags.
    //~ let _ = capacity;
    //~ let clients: Arc<Mutex<Vec<(SocketAddr, OwnedWriteHalf)>>> = Arc::default();
    //~ loop {
    //~     let (stream, who) = listener.accept().await?;
    //~     let clients = Arc::clone(&clients);
    //~     tokio::spawn(async move {
    //~         let _ = serve_client(stream, who, clients).await;
    //~     });
    //~ }
    //~ solution:
    let (room, _) = broadcast::channel(capacity);
    loop {
        let (stream, who) = listener.accept().await?;
        let (room, inbox) = (room.clone(), room.subscribe());
        tokio::spawn(async move {
            let _ = serve_client(stream, who, room, inbox).await;
        });
    }
    //~ end
}

//~ starter:
//~ async fn serve_client(
//~     stream: TcpStream,
//~     who: SocketAddr,
//~     clients: Arc<Mutex<Vec<(SocketAddr, OwnedWriteHalf)>>>,
//~ ) -> io::Result<()> {
//~     let (reader, writer) = stream.into_split();
//~     clients.lock().await.push((who, writer));
//~     let mut lines = BufReader::new(reader).lines();
//~     while let Some(line) = lines.next_line().await? {
//~         let mut clients = clients.lock().await;
//~         for (address, writer) in clients.iter_mut() {
//~             if *address != who {
//~                 let _ = writer.write_all(format!("{line}\n").as_bytes()).await;
//~             }
//~         }
//~     }
//~     clients.lock().await.retain(|(address, _)| *address != who);
//~     Ok(())
//~ }
//~ solution:
/// One client: its lines go into the room; what the room brings goes out to it, on a task of
/// its own, so that a client that reads slowly holds up nobody but itself.
async fn serve_client(
    stream: TcpStream,
    who: SocketAddr,
    room: broadcast::Sender<(SocketAddr, String)>,
    inbox: broadcast::Receiver<(SocketAddr, String)>,
) -> io::Result<()> {
    let (reader, writer) = stream.into_split();
    let forwarding = tokio::spawn(forward(who, inbox, writer));
    let mut lines = BufReader::new(reader).lines();
    while let Ok(Some(line)) = lines.next_line().await {
        // An error means nobody is in the room to hear it: nothing to do.
        let _ = room.send((who, line));
    }
    forwarding.abort(); // the client left: stop writing to it
    Ok(())
}

/// Writes to the client `who` every line of the room but its own, and a notice of the lines it
/// missed when it fell more than the room's capacity behind.
async fn forward(
    who: SocketAddr,
    mut inbox: broadcast::Receiver<(SocketAddr, String)>,
    mut writer: OwnedWriteHalf,
) -> io::Result<()> {
    loop {
        let text = match inbox.recv().await {
            Ok((from, _)) if from == who => continue,
            Ok((_, line)) => format!("{line}\n"),
            Err(RecvError::Lagged(missed)) => format!("! missed {missed} lines\n"),
            Err(RecvError::Closed) => return Ok(()),
        };
        writer.write_all(text.as_bytes()).await?;
    }
}
//~ end

#[cfg(test)]
#[path = "../checks.rs"]
mod checks;
