//! Wrong: the download runs in a task of its own (`tokio::spawn`), and the time-out only stops
//! waiting for it: the task goes on, and writes the file after the error has been returned.
//! verify says: "the download went on after download_or_nothing had returned its error"

use std::path::{Path, PathBuf};
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
    let task = tokio::spawn(download_whole(
        url.to_string(),
        dir.to_path_buf(),
        name.to_string(),
    ));
    match tokio::time::timeout(deadline, task).await {
        Ok(downloaded) => downloaded.map_err(|error| error.to_string())?,
        Err(_) => Err(format!("gave up after {deadline:?}")),
    }
}

async fn download_whole(url: String, dir: PathBuf, name: String) -> Result<(), String> {
    let temporary = NamedTempFile::new_in(&dir).map_err(|error| error.to_string())?;
    let mut file = tokio::fs::File::from_std(temporary.reopen().map_err(|e| e.to_string())?);
    let mut body = get(&url).await?;
    while let Some(chunk) = next_chunk(&mut body).await? {
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
