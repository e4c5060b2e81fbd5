//! Exercise `download-or-nothing` (lesson 10).
//!
//! A download that stalls must not hold up the program for ever, and a download that is given up
//! must not leave half a file behind under the real name: whoever finds `report.pdf` in the folder
//! will believe it. Here a download gets a deadline; when the deadline passes first, the download
//! is cancelled, and the folder is left as it was.
//!
//! Check your work: `cargo xtask verify download-or-nothing`. Stuck? `cargo xtask hint download-or-nothing`.
//! The checks in `checks.rs` download from a loopback HTTP server inside the test program, and
//! from one that sends half of a file and then stalls; several downloads share one thread.

use std::path::Path;
use std::time::Duration;

use tokio::io::AsyncWriteExt;

pub use async_download::{get, next_chunk};
use course_async_client as async_download;

/// Downloads `url` into the file `dir/name`, giving up when `deadline` has passed. `Ok(())` when
/// the whole file is there (in place of an older `name`, if there was one); otherwise an error,
/// and `dir` as it was: an older `name` untouched, and no new file, whole or in part.
pub async fn download_or_nothing(
    url: &str,
    dir: &Path,
    name: &str,
    deadline: Duration,
) -> Result<(), String> {
    // TODO: there is no deadline, and each chunk goes straight into `dir/name`, so a download
    // that stalls waits for ever and one that fails leaves part of a file. Give the whole
    // download a deadline (`tokio::time::timeout`), and write into a temporary file in `dir`
    // (`tempfile::NamedTempFile::new_in`) that becomes `dir/name` only when it is whole.
    let _ = deadline;
    let mut file = tokio::fs::File::create(dir.join(name))
        .await
        .map_err(|error| error.to_string())?;
    let mut body = get(url).await?;
    while let Some(chunk) = next_chunk(&mut body).await? {
        file.write_all(&chunk)
            .await
            .map_err(|error| error.to_string())?;
    }
    file.flush().await.map_err(|error| error.to_string())
}

#[cfg(test)]
#[path = "../checks.rs"]
mod checks;
