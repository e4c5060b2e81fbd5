//! Right: plain `tokio::spawn`, results through a channel as they come, and at the first error
//! every handle aborted and awaited; each file goes to a `.part` file that a guard removes
//! unless it was renamed.

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
    let mut handles = Vec::new();
    for (name, chunks) in sources {
        let done = done.clone();
        let saving = save_one(dir.to_path_buf(), name, chunks);
        handles.push(tokio::spawn(async move {
            let _ = done.send(saving.await);
        }));
    }
    drop(done);
    let mut outcome = Ok(());
    while let Some(result) = results.recv().await {
        if let Err(error) = result {
            outcome = Err(error);
            break;
        }
    }
    for handle in &handles {
        handle.abort();
    }
    for handle in handles {
        let _ = handle.await;
    }
    outcome
}

/// Removes the file at its path when dropped, unless `keep` was called.
struct RemoveUnlessKept(Option<PathBuf>);

impl RemoveUnlessKept {
    fn keep(mut self) {
        self.0 = None;
    }
}

impl Drop for RemoveUnlessKept {
    fn drop(&mut self) {
        if let Some(path) = self.0.take() {
            let _ = std::fs::remove_file(path);
        }
    }
}

/// Saves one file: its chunks into `.name.part` as they come, renamed once whole.
async fn save_one(dir: PathBuf, name: String, mut chunks: Chunks) -> Result<(), String> {
    let part = dir.join(format!(".{name}.part"));
    let guard = RemoveUnlessKept(Some(part.clone()));
    let mut file = tokio::fs::File::create(&part)
        .await
        .map_err(|error| error.to_string())?;
    while let Some(chunk) = chunks.recv().await {
        file.write_all(&chunk?)
            .await
            .map_err(|error| error.to_string())?;
    }
    file.flush().await.map_err(|error| error.to_string())?;
    drop(file);
    tokio::fs::rename(&part, dir.join(&name))
        .await
        .map_err(|error| error.to_string())?;
    guard.keep();
    Ok(())
}

#[cfg(test)]
#[path = "../checks.rs"]
mod checks;
