//! Right: races the download against `tokio::time::sleep(deadline)` with `tokio::select!`; the
//! branch that loses is dropped, and with it the temporary file.

use std::path::Path;
use std::time::Duration;

use tempfile::NamedTempFile;
use tokio::io::AsyncWriteExt;

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
    tokio::select! {
        downloaded = download_whole(url, dir, name) => downloaded,
        () = tokio::time::sleep(deadline) => Err(format!("gave up after {deadline:?}")),
    }
}

async fn download_whole(url: &str, dir: &Path, name: &str) -> Result<(), String> {
    let mut body = get(url).await?;
    let temporary = NamedTempFile::new_in(dir).map_err(|error| error.to_string())?;
    let mut file = tokio::fs::File::from_std(
        temporary
            .as_file()
            .try_clone()
            .map_err(|error| error.to_string())?,
    );
    while let Some(chunk) = next_chunk(&mut body).await? {
        file.write_all(&chunk)
            .await
            .map_err(|error| error.to_string())?;
    }
    file.flush().await.map_err(|error| error.to_string())?;
    temporary
        .persist(dir.join(name))
        .map_err(|error| error.to_string())?;
    Ok(())
}

#[cfg(test)]
#[path = "../checks.rs"]
mod checks;
