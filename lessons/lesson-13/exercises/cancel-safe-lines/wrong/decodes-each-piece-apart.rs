//! Wrong: cancel-safe (`fill_buf`, then `consume`), but each piece read is decoded as UTF-8 on
//! its own: a character cut in two between two pieces comes out as two `\u{FFFD}`. Decode a line
//! once it is whole.
//! verify says: "decoded half by half"

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
    // The line so far, kept across the loop; `fill_buf` takes nothing from the reader until
    // `consume`, so a dropped read loses nothing.
    let mut line = String::new();
    loop {
        tokio::select! {
            read = reader.fill_buf() => {
                let (read, text) = match read {
                    Err(_) => return events,
                    Ok(bytes) => (bytes.len(), String::from_utf8_lossy(bytes).into_owned()),
                };
                if read == 0 {
                    if !line.is_empty() {
                        events.push(Event::Line(std::mem::take(&mut line)));
                    }
                    return events;
                }
                reader.consume(read);
                for character in text.chars() {
                    if character == '\n' {
                        events.push(Event::Line(std::mem::take(&mut line)));
                    } else {
                        line.push(character);
                    }
                }
            },
            Some(note) = notes.recv() => events.push(Event::Note(note)),
        }
    }
}

#[cfg(test)]
#[path = "../checks.rs"]
mod checks;
