//! Wrong: every chunk gets the whole deadline of its own, so a server that sends a few bytes
//! now and then is never given up.
//! verify says: "the download did not give up"
//! verify says: "around each chunk, never fires while bytes keep coming"

use std::path::Path;
use std::time::Duration;

use tempfile::NamedTempFile;
use tokio::io::AsyncWriteExt;
use tokio::time::timeout;

pub use async_download::{get, next_chunk};
use course_async_client as async_download;

/// Downloads `url` into the file `dir/name`, giving up when `deadline` has passed.
pub async fn download_or_nothing(
    url: &str,
    dir: &Path,
    name: &str,
    deadline: Duration,
) -> Result<(), String> {
    let gave_up = |_| format!("gave up after {deadline:?}");
    let temporary = NamedTempFile::new_in(dir).map_err(|error| error.to_string())?;
    let mut file = tokio::fs::File::from_std(temporary.reopen().map_err(|e| e.to_string())?);
    let mut body = timeout(deadline, get(url)).await.map_err(gave_up)??;
    while let Some(chunk) = timeout(deadline, next_chunk(&mut body))
        .await
        .map_err(gave_up)??
    {
        file.write_all(&chunk).await.map_err(|e| e.to_string())?;
    }
    file.flush().await.map_err(|e| e.to_string())?;
    temporary
        .persist(dir.join(name))
        .map_err(|e| e.to_string())?;
    Ok(())
}

#[cfg(test)]
#[path = "../checks.rs"]
mod checks;
