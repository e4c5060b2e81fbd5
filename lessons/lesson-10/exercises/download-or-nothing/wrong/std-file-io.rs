//! Wrong: writes each chunk with std's blocking `Write` on the temporary file, inside the task:
//! the runtime's thread does the disk's work, and every other task on it waits.
//! verify says: "the runtime's own thread wrote"

use std::io::Write;
use std::path::Path;
use std::time::Duration;

use tempfile::NamedTempFile;

pub use async_download::{get, next_chunk};
use course_async_client as async_download;

/// Downloads `url` into the file `dir/name`, giving up when `deadline` has passed.
pub async fn download_or_nothing(
    url: &str,
    dir: &Path,
    name: &str,
    deadline: Duration,
) -> Result<(), String> {
    match tokio::time::timeout(deadline, download_whole(url, dir, name)).await {
        Ok(downloaded) => downloaded,
        Err(_) => Err(format!("gave up after {deadline:?}")),
    }
}

async fn download_whole(url: &str, dir: &Path, name: &str) -> Result<(), String> {
    let mut temporary = NamedTempFile::new_in(dir).map_err(|error| error.to_string())?;
    let mut body = get(url).await?;
    while let Some(chunk) = next_chunk(&mut body).await? {
        temporary.write_all(&chunk).map_err(|e| e.to_string())?;
    }
    temporary.flush().map_err(|e| e.to_string())?;
    temporary
        .persist(dir.join(name))
        .map_err(|e| e.to_string())?;
    Ok(())
}

#[cfg(test)]
#[path = "../checks.rs"]
mod checks;
