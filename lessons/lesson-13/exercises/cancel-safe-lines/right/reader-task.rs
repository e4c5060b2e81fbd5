//! Right: a task of its own reads the lines and sends each on a channel; the loop waits on two
//! channels, whose `recv` is cancel-safe.

use tokio::io::{AsyncBufRead, AsyncBufReadExt};
use tokio::sync::mpsc::Receiver;

/// What came, in the order it came.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Event {
    /// A line from the reader, without its `\n`.
    Line(String),
    /// A note from the channel.
    Note(String),
}

/// Reads the lines of `reader` until it ends, and takes the notes of `notes` as they come
/// meanwhile. Returns every line and note, in the order they came.
pub async fn lines_and_notes(
    reader: impl AsyncBufRead + Unpin + Send + 'static,
    mut notes: Receiver<String>,
) -> Vec<Event> {
    let (send_line, mut lines) = tokio::sync::mpsc::unbounded_channel();
    let reading = tokio::spawn(async move {
        let mut lines = reader.lines();
        while let Ok(Some(line)) = lines.next_line().await {
            if send_line.send(line).is_err() {
                break;
            }
        }
    });
    let mut events = Vec::new();
    loop {
        tokio::select! {
            line = lines.recv() => match line {
                Some(line) => events.push(Event::Line(line)),
                None => break,
            },
            Some(note) = notes.recv() => events.push(Event::Note(note)),
        }
    }
    let _ = reading.await;
    events
}

#[cfg(test)]
#[path = "../checks.rs"]
mod checks;
