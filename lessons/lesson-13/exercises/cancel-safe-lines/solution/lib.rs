//~ starter:
//~ //! Exercise `cancel-safe-lines` (lesson 13).
//~ solution:
//! Exercise `cancel-safe-lines` (lesson 13): the reference solution.
//~ end
//!
//! A connection brings lines, and meanwhile notes come on a channel: whichever comes first is
//! handled first, in a `select!` loop. Each time round, the branch that did not win is dropped.
//! A read that had already taken half a line from the reader must not lose it when a note wins.
//!
//! Check your work: `cargo xtask verify cancel-safe-lines`. Stuck? `cargo xtask hint
//! cancel-safe-lines`. The checks in `checks.rs` write the lines in pieces, cut anywhere, even
//! inside a character, and send notes between the pieces, on tokio's paused clock: after each
//! piece or note, everything your function can do happens before the next.

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
/// meanwhile (after `notes` has closed, only lines). Returns every line and note, in the order
/// they came; a last line without `\n` counts too.
pub async fn lines_and_notes(
    reader: impl AsyncBufRead + Unpin,
    mut notes: Receiver<String>,
) -> Vec<Event> {
    let mut events = Vec::new();
    //~ starter:
    //~ let mut reader = reader;
    //~ solution:
    // `Lines::next_line` is cancel-safe: a line read in part stays in `lines` for the next call.
    let mut lines = reader.lines();
    //~ end
    loop {
        //~ starter:
        //~ // TODO: `read_line` is not cancel-safe: when a note wins the `select!`, the part of a
        //~ // line it had already taken goes with it. Read with a method that is cancel-safe
        //~ // (`reader.lines()` once, before the loop, then `lines.next_line()` in it).
        //~ let mut line = String::new();
        //~ solution:
        //~ end
        tokio::select! {
            //~ starter:
            //~ read = reader.read_line(&mut line) => match read {
            //~     Ok(0) | Err(_) => return events,
            //~     Ok(_) => events.push(Event::Line(line.trim_end_matches('\n').to_string())),
            //~ },
            //~ solution:
            read = lines.next_line() => match read {
                Ok(Some(line)) => events.push(Event::Line(line)),
                Ok(None) | Err(_) => return events,
            },
            //~ end
            // `None` once the channel has closed: the pattern does not match, and `select!`
            // waits on the other branch alone.
            Some(note) = notes.recv() => events.push(Event::Note(note)),
        }
    }
}

#[cfg(test)]
#[path = "../checks.rs"]
mod checks;
