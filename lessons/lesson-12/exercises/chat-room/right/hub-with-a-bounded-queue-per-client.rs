//! Right: a hub task owns the list of clients and gives each line to each client's bounded
//! queue with `try_send`, which never waits; a full queue drops the line and counts it, and the
//! count goes out as a notice before the next line that fits.

use std::io;
use std::net::SocketAddr;

use tokio::io::{AsyncBufReadExt, AsyncWriteExt, BufReader};
use tokio::net::TcpListener;
use tokio::sync::mpsc;
use tokio::sync::mpsc::error::TrySendError;

enum Event {
    Joined(SocketAddr, mpsc::Sender<String>),
    Said(SocketAddr, String),
    Left(SocketAddr),
}

/// A client as the hub sees it: its queue, and how many lines it missed since its last notice.
struct Member {
    address: SocketAddr,
    queue: mpsc::Sender<String>,
    missed: usize,
}

impl Member {
    /// Queues `line` (after the notice it is owed, if any) without waiting; false once the client
    /// has gone.
    fn offer(&mut self, line: &str) -> bool {
        if self.missed > 0 {
            match self
                .queue
                .try_send(format!("! missed {} lines", self.missed))
            {
                Ok(()) => self.missed = 0,
                Err(TrySendError::Full(_)) => {
                    self.missed += 1;
                    return true;
                }
                Err(TrySendError::Closed(_)) => return false,
            }
        }
        match self.queue.try_send(line.to_string()) {
            Ok(()) => true,
            Err(TrySendError::Full(_)) => {
                self.missed += 1;
                true
            }
            Err(TrySendError::Closed(_)) => false,
        }
    }
}

/// Serves the chat room on `listener`: accepts clients for as long as it runs (until its
/// runtime stops), and lets each fall at most `capacity` (≥ 1) lines behind before it misses
/// some.
pub async fn serve_chat(listener: TcpListener, capacity: usize) -> io::Result<()> {
    let (events, mut inbox) = mpsc::unbounded_channel::<Event>();
    tokio::spawn(async move {
        let mut members: Vec<Member> = Vec::new();
        while let Some(event) = inbox.recv().await {
            match event {
                Event::Joined(address, queue) => members.push(Member {
                    address,
                    queue,
                    missed: 0,
                }),
                Event::Left(address) => members.retain(|m| m.address != address),
                Event::Said(from, line) => {
                    members.retain_mut(|m| m.address == from || m.offer(&line));
                }
            }
        }
    });
    loop {
        let (stream, who) = listener.accept().await?;
        let (reader, mut writer) = stream.into_split();
        let (queue, mut lines_for_it) = mpsc::channel::<String>(capacity);
        let _ = events.send(Event::Joined(who, queue));
        tokio::spawn(async move {
            while let Some(line) = lines_for_it.recv().await {
                if writer
                    .write_all(format!("{line}\n").as_bytes())
                    .await
                    .is_err()
                {
                    break;
                }
            }
        });
        let events = events.clone();
        tokio::spawn(async move {
            let mut lines = BufReader::new(reader).lines();
            while let Ok(Some(line)) = lines.next_line().await {
                let _ = events.send(Event::Said(who, line));
            }
            let _ = events.send(Event::Left(who));
        });
    }
}

#[cfg(test)]
#[path = "../checks.rs"]
mod checks;
