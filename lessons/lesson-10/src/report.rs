//! What a download left behind, and how long a part took: the lesson's reports, kept apart from
//! `main.rs`, which is the listing the book shows.

use std::path::Path;
use std::time::Instant;

use tokio::time::error::Elapsed;

/// The SHA-256 of `name` as the loopback server serves it.
pub fn expected_checksum(name: &str) -> String {
    course_loopback::sha256_hex(&course_loopback::file_contents(name))
}

/// Runs `part` and prints its wall time, as lesson 02 does for its downloads.
pub fn print_wall_time(label: &str, part: impl FnOnce()) {
    let started = Instant::now();
    part();
    println!("Wall time, {label}: {:.1?}", started.elapsed());
}

/// What a download of `name` under a time-out came to, and what it left in `dir`.
pub fn verdict(result: Result<Result<(), String>, Elapsed>, dir: &Path, name: &str) -> String {
    let outcome = match result {
        Ok(Ok(())) => "finished".to_string(),
        Ok(Err(error)) => format!("failed: {error}"),
        Err(_) => "cancelled at the deadline".to_string(),
    };
    format!("{outcome}; left behind: {}", left_behind(dir, name))
}

/// What `dir` holds, for a download of `name` into it.
pub fn left_behind(dir: &Path, name: &str) -> String {
    let files = std::fs::read_dir(dir).map_or(0, Iterator::count);
    match std::fs::read(dir.join(name)) {
        Err(_) if files == 0 => "nothing".to_string(),
        Err(_) => "a file under another name".to_string(),
        Ok(bytes) if course_loopback::sha256_hex(&bytes) == expected_checksum(name) => {
            let others = if files == 1 {
                "nothing else"
            } else {
                "and other files"
            };
            format!("{name} ({} bytes, checksum right), {others}", bytes.len())
        }
        Ok(_) => format!("{name}, cut short"),
    }
}
