//! Wrong: each file is saved by a `tokio::spawn`ed task whose result comes through a channel;
//! at the first error it returns, and the other tasks go on: nobody stops them.
//! verify says: "still running"
//! verify says: "A dropped `JoinHandle` leaves its task running"

use std::path::{Path, PathBuf};

use tokio::io::AsyncWriteExt;
use tokio::sync::mpsc::Receiver;

/// The chunks of one file, in order: `Ok(bytes)` for each chunk, `Err(message)` if the file
/// failed; the channel closes after the last chunk.
pub type Chunks = Receiver<Result<Vec<u8>, String>>;

/// Saves every file of `sources` (a name and its chunks) into `dir`, all at the same time;
/// the first error stops the others.
pub async fn save_all(dir: &Path, sources: Vec<(String, Chunks)>) -> Result<(), String> {
    let (done, mut results) = tokio::sync::mpsc::unbounded_channel();
    let count = sources.len();
    for (name, chunks) in sources {
        let done = done.clone();
        let saving = save_one(dir.to_path_buf(), name, chunks);
        tokio::spawn(async move {
            let _ = done.send(saving.await);
        });
    }
    for _ in 0..count {
        match results.recv().await {
            Some(Err(error)) => return Err(error),
            Some(Ok(())) => {}
            None => break,
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
