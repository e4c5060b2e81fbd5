//! Wrong: each client's writing task is left running when the client leaves, and goes on past
//! every failed write: it stays subscribed to the room, writing into a closed connection, for as
//! long as the room runs, a task that leaks with every client that comes and goes.
//! verify says: "still running"

use std::io;
use std::net::SocketAddr;

use tokio::io::{AsyncBufReadExt, AsyncWriteExt, BufReader};
use tokio::net::tcp::OwnedWriteHalf;
use tokio::net::{TcpListener, TcpStream};
use tokio::sync::broadcast;
use tokio::sync::broadcast::error::RecvError;

/// Serves the chat room on `listener`: accepts clients for as long as it runs (until its
/// runtime stops), and lets each fall at most `capacity` (≥ 1) lines behind before it misses
/// some.
pub async fn serve_chat(listener: TcpListener, capacity: usize) -> io::Result<()> {
    let (room, _) = broadcast::channel(capacity);
    loop {
        let (stream, who) = listener.accept().await?;
        let (room, inbox) = (room.clone(), room.subscribe());
        tokio::spawn(async move {
            let _ = serve_client(stream, who, room, inbox).await;
        });
    }
}

/// One client: its lines go into the room; what the room brings goes out to it, on a task of
/// its own, so that a client that reads slowly holds up nobody but itself.
async fn serve_client(
    stream: TcpStream,
    who: SocketAddr,
    room: broadcast::Sender<(SocketAddr, String)>,
    inbox: broadcast::Receiver<(SocketAddr, String)>,
) -> io::Result<()> {
    let (reader, writer) = stream.into_split();
    tokio::spawn(forward(who, inbox, writer));
    let mut lines = BufReader::new(reader).lines();
    while let Ok(Some(line)) = lines.next_line().await {
        // An error means nobody is in the room to hear it: nothing to do.
        let _ = room.send((who, line));
    }
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
        let _ = writer.write_all(text.as_bytes()).await; // a client that left: try the next
    }
}

#[cfg(test)]
#[path = "../checks.rs"]
mod checks;
