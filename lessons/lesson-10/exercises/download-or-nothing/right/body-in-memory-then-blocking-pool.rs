//! Right: gathers the body in memory within the deadline, then writes it to a temporary file in
//! the folder and renames it, on tokio's threads for blocking work (`spawn_blocking`).

use std::io::Write;
use std::path::Path;
use std::time::Duration;

use tempfile::NamedTempFile;

pub use async_download::{get, next_chunk};
use course_async_client as async_download;

/// Downloads `url` into the file `dir/name`, giving up when `deadline` has passed. `Ok(())` when
/// the whole file is there; otherwise an error, and the folder as it was.
pub async fn download_or_nothing(
    url: &str,
    dir: &Path,
    name: &str,
    deadline: Duration,
) -> Result<(), String> {
    let bytes = tokio::time::timeout(deadline, whole_body(url))
        .await
        .map_err(|_| format!("gave up after {deadline:?}"))??;
    let (dir, name) = (dir.to_path_buf(), name.to_string());
    tokio::task::spawn_blocking(move || {
        let mut temporary = NamedTempFile::new_in(&dir)?;
        temporary.write_all(&bytes)?;
        temporary.flush()?;
        temporary.persist(dir.join(name))?;
        Ok::<(), std::io::Error>(())
    })
    .await
    .map_err(|error| error.to_string())?
    .map_err(|error| error.to_string())
}

async fn whole_body(url: &str) -> Result<Vec<u8>, String> {
    let mut body = get(url).await?;
    let mut bytes = Vec::new();
    while let Some(chunk) = next_chunk(&mut body).await? {
        bytes.extend_from_slice(&chunk);
    }
    Ok(bytes)
}

#[cfg(test)]
#[path = "../checks.rs"]
mod checks;
