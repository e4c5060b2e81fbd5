//! Right: one task per client, which `select!`s between the client's next line and the room's
//! next message; a client whose socket is full holds up only its own task.

use std::io;
use std::net::SocketAddr;

use tokio::io::{AsyncBufReadExt, AsyncWriteExt, BufReader};
use tokio::net::{TcpListener, TcpStream};
use tokio::sync::broadcast;
use tokio::sync::broadcast::error::RecvError;

type Room = broadcast::Sender<(SocketAddr, String)>;

/// Serves the chat room on `listener`: accepts clients for as long as it runs (until its
/// runtime stops), and lets each fall at most `capacity` (≥ 1) lines behind before it misses
/// some.
pub async fn serve_chat(listener: TcpListener, capacity: usize) -> io::Result<()> {
    let room: Room = broadcast::Sender::new(capacity);
    loop {
        let (stream, who) = listener.accept().await?;
        tokio::spawn(client(stream, who, room.clone()));
    }
}

async fn client(stream: TcpStream, who: SocketAddr, room: Room) -> io::Result<()> {
    let mut inbox = room.subscribe();
    let (reader, mut writer) = stream.into_split();
    let mut lines = BufReader::new(reader).lines();
    loop {
        tokio::select! {
            // `next_line` is cancel-safe: a line half read when the other branch wins is kept.
            line = lines.next_line() => match line {
                Ok(Some(line)) => drop(room.send((who, line))),
                _ => return Ok(()),
            },
            message = inbox.recv() => match message {
                Ok((from, _)) if from == who => {}
                Ok((_, line)) => writer.write_all(format!("{line}\n").as_bytes()).await?,
                Err(RecvError::Lagged(n)) => {
                    writer.write_all(format!("! missed {n} lines\n").as_bytes()).await?;
                }
                Err(RecvError::Closed) => return Ok(()),
            },
        }
    }
}

#[cfg(test)]
#[path = "../checks.rs"]
mod checks;
