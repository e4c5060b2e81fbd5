//! Wrong: cancel-safe, but an empty line (a `\n` alone) is skipped, where it is a line too.
//! verify says: "an empty line is a line too"

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
    let mut buffer = Vec::new();
    loop {
        tokio::select! {
            read = reader.read_until(b'\n', &mut buffer) => match read {
                Ok(0) | Err(_) => return events,
                Ok(_) => {
                    if buffer.last() == Some(&b'\n') {
                        buffer.pop();
                    }
                    // A blank line carries nothing: skip it.
                    if !buffer.is_empty() {
                        events.push(Event::Line(String::from_utf8_lossy(&buffer).into_owned()));
                    }
                    buffer.clear();
                }
            },
            Some(note) = notes.recv() => events.push(Event::Note(note)),
        }
    }
}

#[cfg(test)]
#[path = "../checks.rs"]
mod checks;
