//! Wrong: each client's writing task looks for the room's next line with `try_recv`, and sleeps a
//! millisecond and looks again while there is none: little CPU, but the runtime's threads wake a
//! thousand times a second while nobody says anything.
//! verify says: "while nobody said anything"
//! verify says: "went to sleep and woke up"

use std::io;
use std::net::SocketAddr;

use tokio::io::{AsyncBufReadExt, AsyncWriteExt, BufReader};
use tokio::net::tcp::OwnedWriteHalf;
use tokio::net::{TcpListener, TcpStream};
use tokio::sync::broadcast;
use tokio::sync::broadcast::error::TryRecvError;

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
        let text = match inbox.try_recv() {
            Ok((from, _)) if from == who => continue,
            Ok((_, line)) => format!("{line}\n"),
            Err(TryRecvError::Lagged(missed)) => format!("! missed {missed} lines\n"),
            Err(TryRecvError::Empty) => {
                // Nothing yet: sleep a millisecond, then look again.
                tokio::time::sleep(std::time::Duration::from_millis(1)).await;
                continue;
            }
            Err(TryRecvError::Closed) => return Ok(()),
        };
        writer.write_all(text.as_bytes()).await?;
    }
}

#[cfg(test)]
#[path = "../checks.rs"]
mod checks;
