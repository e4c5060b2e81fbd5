//! Right: one read of a line at a time, pinned outside the loop and polled by `&mut`; it is
//! replaced only when it has finished, so a note never drops it.

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
    let read = read_one_line(reader);
    tokio::pin!(read);
    loop {
        tokio::select! {
            (reader, line) = &mut read => match line {
                Some(line) => {
                    events.push(Event::Line(line));
                    read.set(read_one_line(reader));
                }
                None => return events,
            },
            Some(note) = notes.recv() => events.push(Event::Note(note)),
        }
    }
}

/// Reads one line, and gives the reader back with it (`None` at the end).
async fn read_one_line<R: AsyncBufRead + Unpin>(mut reader: R) -> (R, Option<String>) {
    let mut line = String::new();
    match reader.read_line(&mut line).await {
        Ok(0) | Err(_) => (reader, None),
        Ok(_) => {
            let line = line.strip_suffix('\n').unwrap_or(&line).to_string();
            (reader, Some(line))
        }
    }
}

#[cfg(test)]
#[path = "../checks.rs"]
mod checks;
