//! Wrong: stops everything at the first error, but then reports success.
//! verify says: "returned Ok(()), though"

use std::path::{Path, PathBuf};

use tokio::io::AsyncWriteExt;
use tokio::sync::mpsc::Receiver;

/// The chunks of one file, in order: `Ok(bytes)` for each chunk, `Err(message)` if the file
/// failed; the channel closes after the last chunk.
pub type Chunks = Receiver<Result<Vec<u8>, String>>;

/// Saves every file of `sources` (a name and its chunks) into `dir`, all at the same time;
/// the first error stops the others.
pub async fn save_all(dir: &Path, sources: Vec<(String, Chunks)>) -> Result<(), String> {
    let mut saving = tokio::task::JoinSet::new();
    for (name, chunks) in sources {
        saving.spawn(save_one(dir.to_path_buf(), name, chunks));
    }
    while let Some(saved) = saving.join_next().await {
        if saved.expect("saving a file panicked").is_err() {
            saving.shutdown().await;
            break;
        }
    }
    Ok(())
}

/// Saves one file: its chunks as they come, then the whole file under `dir/name`.
async fn save_one(dir: PathBuf, name: String, mut chunks: Chunks) -> Result<(), String> {
    let (file, temporary) = tempfile::NamedTempFile::new_in(&dir)
        .map_err(|error| error.to_string())?
        .into_parts();
    let mut file = tokio::fs::File::from_std(file);
    while let Some(chunk) = chunks.recv().await {
        file.write_all(&chunk?)
            .await
            .map_err(|error| error.to_string())?;
    }
    file.flush().await.map_err(|error| error.to_string())?;
    drop(file);
    temporary
        .persist(dir.join(name))
        .map_err(|error| error.to_string())
}

#[cfg(test)]
#[path = "../checks.rs"]
mod checks;
