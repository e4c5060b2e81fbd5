//! Wrong: a file whose channel closes with no bytes (no chunk at all, or empty ones) is not
//! saved: it is a file too, empty.
//! verify says: "an empty file is a file too"

use std::path::{Path, PathBuf};

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
            saving.abort_all();
            while saving.join_next().await.is_some() {}
            return Err(error);
        }
    }
    Ok(())
}

/// Saves one file: every chunk in memory, then the whole file at once.
async fn save_one(dir: PathBuf, name: String, mut chunks: Chunks) -> Result<(), String> {
    let mut whole = Vec::new();
    while let Some(chunk) = chunks.recv().await {
        whole.extend_from_slice(&chunk?);
    }
    if whole.is_empty() {
        return Ok(()); // nothing came: nothing to save
    }
    let part = dir.join(format!(".{name}.part"));
    std::fs::write(&part, &whole).map_err(|error| error.to_string())?;
    std::fs::rename(&part, dir.join(&name)).map_err(|error| error.to_string())?;
    Ok(())
}

#[cfg(test)]
#[path = "../checks.rs"]
mod checks;
