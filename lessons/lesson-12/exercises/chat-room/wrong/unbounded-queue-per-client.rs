//! Wrong: each client has a queue of its own, unbounded, so a client that reads nothing never
//! misses a line: the room keeps every line for it, and its memory grows without end.
//! verify says: "without a bound"

use std::collections::HashMap;
use std::io;
use std::net::SocketAddr;
use std::sync::{Arc, Mutex};

use tokio::io::{AsyncBufReadExt, AsyncWriteExt, BufReader};
use tokio::net::TcpListener;
use tokio::sync::mpsc;

type Queues = Arc<Mutex<HashMap<SocketAddr, mpsc::UnboundedSender<String>>>>;

/// Serves the chat room on `listener`: accepts clients for as long as it runs (until its
/// runtime stops), and lets each fall at most `capacity` (≥ 1) lines behind before it misses
/// some.
pub async fn serve_chat(listener: TcpListener, capacity: usize) -> io::Result<()> {
    let _ = capacity;
    let queues: Queues = Arc::default();
    loop {
        let (stream, who) = listener.accept().await?;
        let (reader, mut writer) = stream.into_split();
        let (queue, mut lines_for_it) = mpsc::unbounded_channel::<String>();
        queues.lock().unwrap().insert(who, queue);
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
        let queues = Arc::clone(&queues);
        tokio::spawn(async move {
            let mut lines = BufReader::new(reader).lines();
            while let Ok(Some(line)) = lines.next_line().await {
                for (address, queue) in queues.lock().unwrap().iter() {
                    if *address != who {
                        let _ = queue.send(line.clone());
                    }
                }
            }
            queues.lock().unwrap().remove(&who);
        });
    }
}

#[cfg(test)]
#[path = "../checks.rs"]
mod checks;
