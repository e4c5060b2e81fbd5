//! Right: writes into `dir/.NAME.part` with `tokio::fs`, watched by a guard of its own that
//! removes the part file when dropped (a cancelled future drops it), unless the download got
//! as far as renaming it to its real name.

use std::path::{Path, PathBuf};
use std::time::Duration;

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
    tokio::time::timeout(deadline, download_whole(url, dir, name))
        .await
        .unwrap_or_else(|_| Err(format!("gave up after {deadline:?}")))
}

/// A part file that is removed when this is dropped, unless it has been renamed.
struct PartFile {
    path: PathBuf,
    renamed: bool,
}

impl Drop for PartFile {
    fn drop(&mut self) {
        if !self.renamed {
            let _ = std::fs::remove_file(&self.path);
        }
    }
}

async fn download_whole(url: &str, dir: &Path, name: &str) -> Result<(), String> {
    let mut part = PartFile {
        path: dir.join(format!(".{name}.part")),
        renamed: false,
    };
    let mut file = tokio::fs::File::create(&part.path)
        .await
        .map_err(|error| error.to_string())?;
    let mut body = get(url).await?;
    while let Some(chunk) = next_chunk(&mut body).await? {
        file.write_all(&chunk)
            .await
            .map_err(|error| error.to_string())?;
    }
    file.flush().await.map_err(|error| error.to_string())?;
    drop(file);
    tokio::fs::rename(&part.path, dir.join(name))
        .await
        .map_err(|error| error.to_string())?;
    part.renamed = true;
    Ok(())
}

#[cfg(test)]
#[path = "../checks.rs"]
mod checks;
