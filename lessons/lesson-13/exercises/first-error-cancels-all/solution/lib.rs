//~ starter:
//~ //! Exercise `first-error-cancels-all` (lesson 13).
//~ solution:
//! Exercise `first-error-cancels-all` (lesson 13): the reference solution.
//~ end
//!
//! Several files arrive at once, each as a stream of chunks, and each is saved under its name in
//! a folder. When one of them fails, the others are pointless: they must stop at once, and
//! leave nothing behind them. No task of `save_all` may still run when it has returned, and no
//! file in the folder may be half-written: a file is there whole, or not at all.
//!
//! Check your work: `cargo xtask verify first-error-cancels-all`. Stuck? `cargo xtask hint
//! first-error-cancels-all`. The checks in `checks.rs` send the chunks on tokio's paused clock,
//! so they know to the millisecond when each chunk was sent and taken, when the first error came
//! and when `save_all` returned.

use std::path::{Path, PathBuf};

//~ starter:
//~ solution:
use tempfile::NamedTempFile;
//~ end
use tokio::io::AsyncWriteExt;
use tokio::sync::mpsc::Receiver;
//~ starter:
//~ solution:
use tokio::task::JoinSet;
//~ end

/// The chunks of one file, in order: `Ok(bytes)` for each chunk, `Err(message)` if the file
/// failed; the channel closes after the last chunk.
pub type Chunks = Receiver<Result<Vec<u8>, String>>;

/// Saves every file of `sources` (a name and its chunks) into `dir`, all at the same time.
/// `Ok(())` when every file is whole in `dir`. At the first `Err` a file sends, the others are
/// cancelled, and it returns that error once they are all stopped: nothing still running, and no
/// file in `dir` that is not whole.
pub async fn save_all(dir: &Path, sources: Vec<(String, Chunks)>) -> Result<(), String> {
    //~ starter:
    //~ // TODO: the files are saved by tasks nobody stops, straight under their names, and their
    //~ // results are looked at in the order of `sources`, not as they come. Save them in a
    //~ // `JoinSet` (`join_next` gives each result when it comes), stop the others at the first
    //~ // error (`shutdown().await` aborts them and waits until they are gone), and make
    //~ // `save_one` write into a temporary file in `dir` that takes its name only when whole.
    //~ let mut saving = Vec::new();
    //~ for (name, chunks) in sources {
    //~     saving.push(tokio::spawn(save_one(dir.to_path_buf(), name, chunks)));
    //~ }
    //~ for task in saving {
    //~     task.await.expect("saving a file panicked")?;
    //~ }
    //~ Ok(())
    //~ solution:
    let mut saving = JoinSet::new();
    for (name, chunks) in sources {
        saving.spawn(save_one(dir.to_path_buf(), name, chunks));
    }
    while let Some(saved) = saving.join_next().await {
        if let Err(error) = saved.expect("saving a file panicked") {
            // Aborts the others, and waits until each is dropped: their temporary files with it.
            saving.shutdown().await;
            return Err(error);
        }
    }
    Ok(())
    //~ end
}

/// Saves one file: its chunks as they come, then the whole file under `dir/name`.
async fn save_one(dir: PathBuf, name: String, mut chunks: Chunks) -> Result<(), String> {
    //~ starter:
    //~ let mut file = tokio::fs::File::create(dir.join(&name))
    //~     .await
    //~     .map_err(|error| error.to_string())?;
    //~ solution:
    // A temporary file in `dir` that deletes itself when dropped, unless it is given its name.
    let (file, temporary) = NamedTempFile::new_in(&dir)
        .map_err(|error| error.to_string())?
        .into_parts();
    let mut file = tokio::fs::File::from_std(file);
    //~ end
    while let Some(chunk) = chunks.recv().await {
        file.write_all(&chunk?)
            .await
            .map_err(|error| error.to_string())?;
    }
    file.flush().await.map_err(|error| error.to_string())?;
    //~ starter:
    //~ Ok(())
    //~ solution:
    drop(file); // closed before it is renamed (Windows renames no open file)
    temporary
        .persist(dir.join(name))
        .map_err(|error| error.to_string())
    //~ end
}

#[cfg(test)]
#[path = "../checks.rs"]
mod checks;
