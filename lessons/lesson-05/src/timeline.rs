//! `--timeline FILE`: which worker counted when, in part 3. The listing marks each chunk's end
//! with [`worked`]; without `--timeline` that does nothing.

use std::path::PathBuf;
use std::sync::OnceLock;
use std::time::Instant;

use course_support::timeline::{self, Activity, Recorder};

/// The run's timeline and its file, set once by [`keep`].
static TIMELINE: OnceLock<(Recorder, PathBuf)> = OnceLock::new();

/// From now on, records which worker counted when, for `file`.
pub fn keep(file: PathBuf) {
    let _ = TIMELINE.set((Recorder::new(), file));
}

/// Starts a section of the timeline: `threads` or `worker processes`.
pub fn section(name: &str) {
    if let Some((recorder, _)) = TIMELINE.get() {
        recorder.start_part(name);
    }
}

/// Records that the worker `row` counted a chunk from `since` until now.
pub fn worked(row: impl FnOnce() -> String, since: Instant) {
    if let Some((recorder, _)) = TIMELINE.get() {
        recorder.record(&row(), Activity::Working, since, Instant::now());
    }
}

/// Prints each section as text, writes the file and says where.
pub fn show(title: &str) -> std::io::Result<()> {
    let Some((recorder, file)) = TIMELINE.get() else {
        return Ok(());
    };
    let spans = recorder.spans();
    let mut sections: Vec<String> = spans.iter().map(|span| span.part.clone()).collect();
    sections.dedup();
    println!("Timeline (█ counting a chunk, blank: waiting for the next one):");
    for section in sections {
        println!("  {section}:");
        for line in timeline::text(&recorder.spans_of(&section), 48).lines() {
            println!("    {line}");
        }
    }
    timeline::write(file, title, &spans)?;
    println!("{}", timeline::written_to(file));
    Ok(())
}
