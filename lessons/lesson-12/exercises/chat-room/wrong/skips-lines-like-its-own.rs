//! Wrong: a client's task knows its own lines by their words: it skips any line equal to the last
//! one it said, so when another client says the same words, this one never gets them.
//! verify says: "by their words"

use std::io;

use tokio::io::{AsyncBufReadExt, AsyncWriteExt, BufReader};
use tokio::net::{TcpListener, TcpStream};
use tokio::sync::broadcast;
use tokio::sync::broadcast::error::RecvError;

type Room = broadcast::Sender<String>;

/// Serves the chat room on `listener`: accepts clients for as long as it runs (until its
/// runtime stops), and lets each fall at most `capacity` (≥ 1) lines behind before it misses
/// some.
pub async fn serve_chat(listener: TcpListener, capacity: usize) -> io::Result<()> {
    let room: Room = broadcast::Sender::new(capacity);
    loop {
        let (stream, _) = listener.accept().await?;
        tokio::spawn(client(stream, room.clone()));
    }
}

async fn client(stream: TcpStream, room: Room) -> io::Result<()> {
    let mut inbox = room.subscribe();
    let (reader, mut writer) = stream.into_split();
    let mut lines = BufReader::new(reader).lines();
    // The last line this client said: the room sends it back, and it is skipped.
    let mut said = None;
    loop {
        tokio::select! {
            // `next_line` is cancel-safe: a line half read when the other branch wins is kept.
            line = lines.next_line() => match line {
                Ok(Some(line)) => {
                    said = Some(line.clone());
                    drop(room.send(line));
                }
                _ => return Ok(()),
            },
            message = inbox.recv() => match message {
                Ok(line) if said.as_ref() == Some(&line) => {}
                Ok(line) => writer.write_all(format!("{line}\n").as_bytes()).await?,
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
