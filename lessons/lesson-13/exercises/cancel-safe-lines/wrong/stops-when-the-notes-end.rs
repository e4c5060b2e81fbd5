//! Wrong: returns when the notes channel closes, and the lines that come after are never read.
//! verify says: "stopped early"

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
    reader: impl AsyncBufRead + Unpin,
    mut notes: Receiver<String>,
) -> Vec<Event> {
    let mut events = Vec::new();
    let mut lines = reader.lines();
    loop {
        tokio::select! {
            read = lines.next_line() => match read {
                Ok(Some(line)) => events.push(Event::Line(line)),
                Ok(None) | Err(_) => return events,
            },
            note = notes.recv() => match note {
                Some(note) => events.push(Event::Note(note)),
                None => return events,
            },
        }
    }
}

#[cfg(test)]
#[path = "../checks.rs"]
mod checks;
