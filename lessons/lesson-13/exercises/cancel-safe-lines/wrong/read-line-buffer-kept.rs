//! Wrong: `read_line` into one `String` kept across the loop, cleared after each line: tokio's
//! `read_line` empties the buffer it was given while it reads, so a dropped read still loses
//! the part it had.
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
    let mut line = String::new();
    loop {
        tokio::select! {
            read = reader.read_line(&mut line) => match read {
                Ok(0) | Err(_) => return events,
                Ok(_) => {
                    events.push(Event::Line(line.trim_end_matches('\n').to_string()));
                    line.clear();
                }
            },
            Some(note) = notes.recv() => events.push(Event::Note(note)),
        }
    }
}

#[cfg(test)]
#[path = "../checks.rs"]
mod checks;
