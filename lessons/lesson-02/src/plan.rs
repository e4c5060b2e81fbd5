//! What the lesson downloads and where to: the loopback server and its files (or the `--url`
//! addresses), the HTTP agent, and the output folder. Set up once, before the first part.

use std::path::{Path, PathBuf};
use std::time::Duration;

use course_loopback::{FileServer, file_contents, sha256_hex};
use tempfile::TempDir;
use ureq::Agent;

use crate::cli::Args;
use crate::download::{FileToGet, Screen, make_names_unique, new_agent};

#[derive(Debug)]
pub struct Plan {
    pub agent: Agent,
    pub files: Vec<FileToGet>,
    /// Kept alive for as long as the plan: dropping it stops the server.
    server: Option<FileServer>,
    folder: Folder,
    /// Where `--timeline` writes the run's timeline.
    timeline: Option<PathBuf>,
}

#[derive(Debug)]
enum Folder {
    /// Removed, with everything in it, when the plan is dropped.
    Temporary(TempDir),
    Kept(PathBuf),
}

impl Plan {
    pub fn from_args(args: &Args) -> Result<Plan, String> {
        let (server, mut files, latency) = if args.url.is_empty() {
            let server = FileServer::start(args.latency_ms)
                .map_err(|error| format!("cannot start the loopback server: {error}"))?;
            let files: Vec<FileToGet> = (1..=args.files)
                .map(|n| {
                    let name = format!("file{n}.zip");
                    FileToGet {
                        url: server.url(&name),
                        sha256: Some(sha256_hex(&file_contents(&name))),
                        name,
                    }
                })
                .collect();
            (Some(server), files, args.latency_ms)
        } else {
            let files: Vec<FileToGet> = args
                .url
                .iter()
                .map(|url| FileToGet {
                    name: url.name.clone(),
                    url: url.url.clone(),
                    sha256: url.sha256.clone(),
                })
                .collect();
            (None, files, Duration::ZERO)
        };
        make_names_unique(&mut files);
        let folder = match &args.out {
            Some(dir) => {
                std::fs::create_dir_all(dir)
                    .map_err(|error| format!("cannot create {}: {error}", dir.display()))?;
                Folder::Kept(dir.clone())
            }
            None => Folder::Temporary(
                tempfile::Builder::new()
                    .prefix("lesson-02-")
                    .tempdir()
                    .map_err(|error| format!("cannot create a temporary folder: {error}"))?,
            ),
        };
        Ok(Plan {
            agent: new_agent(latency),
            files,
            server,
            folder,
            timeline: args.timeline.clone(),
        })
    }

    /// The folder the files are written to.
    pub fn out(&self) -> &Path {
        match &self.folder {
            Folder::Temporary(dir) => dir.path(),
            Folder::Kept(dir) => dir,
        }
    }

    /// Prints where the files come from and where they go; with `--timeline`, has the screen
    /// record when each download waits and transfers.
    pub fn describe(&self, screen: &Screen) {
        let count = self.files.len();
        if let Some(file) = &self.timeline {
            let title = match &self.server {
                Some(server) => format!(
                    "{count} downloads from the loopback server, each answer {:.1?} late",
                    server.latency()
                ),
                None => format!("{count} downloads"),
            };
            screen.keep_timeline(file.clone(), title);
        }
        match &self.server {
            Some(server) => {
                let names = match count {
                    1 => "file1.zip".to_string(),
                    2 => "file1.zip and file2.zip".to_string(),
                    _ => format!("file1.zip … file{count}.zip"),
                };
                screen.println(format!(
                    "A server on 127.0.0.1, inside this program, serves {names}; each answer waits {:.1?}.",
                    server.latency()
                ));
            }
            None if count == 1 => screen.println("Downloading the address given with --url."),
            None => screen.println(format!(
                "Downloading the {count} addresses given with --url."
            )),
        }
        match &self.folder {
            Folder::Temporary(_) => {
                screen.println("Files are saved to a temporary folder, removed at the end.");
            }
            Folder::Kept(dir) => screen.println(format!("Files are saved to {}.", dir.display())),
        }
    }
}
