//! Wrong: `read_until` into a buffer made anew each time round: the part of a line it had read
//! goes with the buffer when a note wins.
//! verify says: "is not cancel-safe"

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
    mut reader: impl AsyncBufRead + Unpin,
    mut notes: Receiver<String>,
) -> Vec<Event> {
    let mut events = Vec::new();
    loop {
        let mut buffer = Vec::new();
        tokio::select! {
            read = reader.read_until(b'\n', &mut buffer) => match read {
                Ok(0) | Err(_) => return events,
                Ok(_) => {
                    if buffer.last() == Some(&b'\n') {
                        buffer.pop();
                    }
                    events.push(Event::Line(String::from_utf8_lossy(&buffer).into_owned()));
                }
            },
            Some(note) = notes.recv() => events.push(Event::Note(note)),
        }
    }
}

#[cfg(test)]
#[path = "../checks.rs"]
mod checks;
