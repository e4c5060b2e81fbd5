//! Wrong: stops the others as it should, but each file is written straight under its name, so a
//! file cancelled half way stays in the folder, half-written.
//! verify says: "half-written"

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
        if let Err(error) = saved.expect("saving a file panicked") {
            saving.shutdown().await;
            return Err(error);
        }
    }
    Ok(())
}

/// Saves one file: each chunk straight into `dir/name` as it comes.
async fn save_one(dir: PathBuf, name: String, mut chunks: Chunks) -> Result<(), String> {
    let mut file = tokio::fs::File::create(dir.join(&name))
        .await
        .map_err(|error| error.to_string())?;
    while let Some(chunk) = chunks.recv().await {
        file.write_all(&chunk?)
            .await
            .map_err(|error| error.to_string())?;
    }
    file.flush().await.map_err(|error| error.to_string())
}

#[cfg(test)]
#[path = "../checks.rs"]
mod checks;
