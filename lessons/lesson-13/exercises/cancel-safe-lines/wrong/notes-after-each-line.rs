//! Wrong: no `select!`: it waits for each line, then takes the notes that came meanwhile, so a
//! note that came before a line was whole is put after it.
//! verify says: "not in the order it came"

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
    while let Ok(Some(line)) = lines.next_line().await {
        events.push(Event::Line(line));
        while let Ok(note) = notes.try_recv() {
            events.push(Event::Note(note));
        }
    }
    while let Ok(note) = notes.try_recv() {
        events.push(Event::Note(note));
    }
    events
}

#[cfg(test)]
#[path = "../checks.rs"]
mod checks;
