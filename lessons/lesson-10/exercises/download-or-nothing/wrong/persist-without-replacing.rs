//! Wrong: gives the temporary file its name with `persist_noclobber`, which refuses to replace
//! an older file of that name: the download fails though the whole file came.
//! verify says: "replace the older report.pdf"

use std::path::Path;
use std::time::Duration;

use tempfile::NamedTempFile;
use tokio::io::AsyncWriteExt;

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
    let temporary = NamedTempFile::new_in(dir).map_err(|error| error.to_string())?;
    let mut file = tokio::fs::File::from_std(temporary.reopen().map_err(|e| e.to_string())?);
    let mut body = get(url).await?;
    while let Some(chunk) = next_chunk(&mut body).await? {
        file.write_all(&chunk).await.map_err(|e| e.to_string())?;
    }
    file.flush().await.map_err(|e| e.to_string())?;
    temporary
        .persist_noclobber(dir.join(name))
        .map_err(|e| e.to_string())?;
    Ok(())
}

#[cfg(test)]
#[path = "../checks.rs"]
mod checks;
