//! Downloading one file for real: an HTTP GET with ureq, the body streamed into a temporary file
//! in the output folder while its checksum is computed, and a rename once it is complete and
//! verified. Also the progress bars and the safe file names of `--url`.

use std::cell::Cell;
use std::fmt;
use std::io::{self, IsTerminal, Read, Write};
use std::path::{Path, PathBuf};
use std::sync::{Arc, OnceLock};
use std::time::{Duration, Instant};

use course_loopback::Sha256Hasher;
use course_support::timeline::{self, Activity, Recorder};
use indicatif::{MultiProgress, ProgressBar, ProgressDrawTarget, ProgressStyle};
use ureq::Agent;

/// One file to download: where from, under which name, and its checksum when it is known.
#[derive(Debug, Clone)]
pub struct FileToGet {
    pub name: String,
    pub url: String,
    /// Expected SHA-256 in lowercase hex.
    pub sha256: Option<String>,
}

/// A complete download, already renamed to its final name.
#[derive(Debug)]
pub struct Downloaded {
    pub bytes: u64,
    pub verified: bool,
}

/// Why a download failed. In every case, nothing is left in the output folder.
#[derive(Debug)]
pub enum DownloadError {
    /// The request or the response failed (status, connection, protocol, timeout).
    Http(ureq::Error),
    /// The file could not be written locally.
    Write(io::Error),
    /// The bytes arrived, but they are not the expected ones.
    ChecksumMismatch { expected: String, actual: String },
}

/// What a download thread returns through its `JoinHandle`.
pub type Outcome = Result<Downloaded, DownloadError>;

/// A ureq agent whose every wait is bounded, so that no download can hang: connecting, each read
/// (the first one waits out the server's `latency`), and the whole exchange.
pub fn new_agent(latency: Duration) -> Agent {
    Agent::config_builder()
        .timeout_connect(Some(Duration::from_secs(10)))
        .timeout_per_read(Some(latency + Duration::from_secs(30)))
        .timeout_global(Some(latency + Duration::from_secs(600)))
        .build()
        .into()
}

// ANCHOR: download_file
/// Downloads `file` into the folder `out`. The bytes go to a temporary file there first, which
/// is renamed to `file.name` only when it is complete and its checksum matches; on any error the
/// temporary file is deleted when it goes out of scope.
pub fn download_file(agent: &Agent, file: &FileToGet, out: &Path, screen: &Screen) -> Outcome {
    let bar = screen.bar(&file.name);
    let result = fetch_into(agent, file, out, &bar);
    bar.finish_and_clear();
    result
}

fn fetch_into(agent: &Agent, file: &FileToGet, out: &Path, bar: &Progress) -> Outcome {
    let mut response = agent.get(&file.url).call().map_err(DownloadError::Http)?;
    Screen::show_transfer(bar, response.body().content_length());
    let mut partial = tempfile::Builder::new()
        .prefix(&format!(".{}.", file.name))
        .suffix(".part")
        .tempfile_in(out)
        .map_err(DownloadError::Write)?;
    let mut body = response.body_mut().as_reader();
    let mut hasher = Sha256Hasher::new();
    let mut bytes = 0;
    let mut buffer = vec![0; 64 * 1024];
    loop {
        let read = match body.read(&mut buffer) {
            Ok(0) => break,
            Ok(read) => read,
            Err(error) if error.kind() == io::ErrorKind::Interrupted => continue,
            Err(error) => return Err(DownloadError::Http(error.into())),
        };
        hasher.update(&buffer[..read]);
        partial
            .write_all(&buffer[..read])
            .map_err(DownloadError::Write)?;
        bytes += read as u64;
        bar.inc(read as u64);
    }
    let actual = hasher.finish_hex();
    if let Some(expected) = &file.sha256
        && *expected != actual
    {
        return Err(DownloadError::ChecksumMismatch {
            expected: expected.clone(),
            actual,
        });
    }
    partial.as_file().sync_all().map_err(DownloadError::Write)?;
    partial
        .persist(out.join(&file.name))
        .map_err(|error| DownloadError::Write(error.error))?;
    Ok(Downloaded {
        bytes,
        verified: file.sha256.is_some(),
    })
}
// ANCHOR_END: download_file

/// Prints the line that closes one download: the article's "Finished downloading …", or why it
/// failed.
pub fn report(file: &FileToGet, outcome: &Outcome, screen: &Screen) {
    match outcome {
        Ok(done) if done.verified => screen.println(format!(
            "Finished downloading {} ({} bytes, checksum verified)",
            file.name, done.bytes
        )),
        Ok(done) => screen.println(format!(
            "Finished downloading {} ({} bytes)",
            file.name, done.bytes
        )),
        Err(error) => screen.println(format!("Failed to download {}: {error}", file.name)),
    }
}

impl fmt::Display for DownloadError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            DownloadError::Http(ureq::Error::StatusCode(code)) => {
                let reason = ureq::http::StatusCode::from_u16(*code)
                    .ok()
                    .and_then(|status| status.canonical_reason())
                    .unwrap_or("");
                write!(f, "the server answered {code} {reason}")
            }
            DownloadError::Http(ureq::Error::Io(error)) => match error.kind() {
                io::ErrorKind::ConnectionRefused => write!(f, "the connection was refused"),
                io::ErrorKind::UnexpectedEof | io::ErrorKind::ConnectionReset => {
                    write!(f, "the connection closed before the whole file arrived")
                }
                io::ErrorKind::TimedOut | io::ErrorKind::WouldBlock => write!(f, "timed out"),
                _ => write!(f, "{error}"),
            },
            DownloadError::Http(ureq::Error::Timeout(timeout)) => {
                write!(f, "timed out ({timeout})")
            }
            DownloadError::Http(error) => write!(f, "{error}"),
            DownloadError::Write(error) => write!(f, "could not write the file: {error}"),
            DownloadError::ChecksumMismatch { expected, actual } => write!(
                f,
                "checksum mismatch (expected SHA-256 {expected}, got {actual}); the file was not kept"
            ),
        }
    }
}

/// Where lines and progress bars go. When standard output is a terminal, lines are printed above
/// the live progress bars; otherwise (a pipe, a file, a test) there are no bars at all and lines
/// are printed as they are.
#[derive(Debug, Clone)]
pub struct Screen {
    bars: Option<MultiProgress>,
    /// Set by `--timeline`: where the spans go, and where they are drawn.
    timeline: Arc<OnceLock<Timeline>>,
}

/// The timeline of `--timeline`: the spans of every download, the file they are written to, and
/// the picture's title.
#[derive(Debug)]
struct Timeline {
    recorder: Recorder,
    file: PathBuf,
    title: String,
}

impl Screen {
    pub fn new() -> Self {
        let bars = io::stdout()
            .is_terminal()
            .then(|| MultiProgress::with_draw_target(ProgressDrawTarget::stdout()));
        Screen {
            bars,
            timeline: Arc::default(),
        }
    }

    /// From now on, records when each download waits and when it transfers; each part's
    /// timeline is printed by [`Screen::show_timeline`] and written to `file`.
    pub fn keep_timeline(&self, file: PathBuf, title: String) {
        let _ = self.timeline.set(Timeline {
            recorder: Recorder::new(),
            file,
            title,
        });
    }

    /// Prints the timeline of the part that just ended, and rewrites the timeline file with every
    /// part so far. Does nothing without `--timeline`.
    pub fn show_timeline(&self) {
        let Some(timeline) = self.timeline.get() else {
            return;
        };
        let spans = timeline.recorder.spans();
        let Some(part) = spans.last().map(|span| span.part.clone()) else {
            return;
        };
        self.println("Timeline (· waiting for the server, █ transferring):");
        for line in timeline::text(&timeline.recorder.spans_of(&part), 40).lines() {
            self.println(format!("  {line}"));
        }
        match timeline::write(&timeline.file, &timeline.title, &spans) {
            Ok(()) => self.println(timeline::written_to(&timeline.file)),
            Err(error) => self.println(format!(
                "Could not write the timeline to {}: {error}",
                timeline.file.display()
            )),
        }
    }

    /// Prints one line. Only main calls this, so the program decides the order of lines.
    pub fn println(&self, line: impl AsRef<str>) {
        match &self.bars {
            Some(bars) => {
                let _ = bars.println(line);
            }
            None => println!("{}", line.as_ref()),
        }
    }

    /// Prints the heading of a part of the lesson, with the progress bars out of the way.
    pub fn announce_part(&self, heading: &str) {
        // Not the first thing printed (the plan came first), so always after a blank line.
        self.println("");
        self.println(heading);
        if let Some(timeline) = self.timeline.get() {
            let title = heading.trim_matches(|c| c == '=' || c == ' ');
            let title = title.split_once(": ").map_or(title, |(_, title)| title);
            timeline.recorder.start_part(title);
        }
    }

    /// A progress bar for one download (hidden when there is no terminal), which shows a
    /// spinner until the server answers.
    fn bar(&self, name: &str) -> Progress {
        Progress {
            bar: self.progress_bar(name),
            row: name.to_string(),
            started: Instant::now(),
            transferring_since: Cell::new(None),
            recorder: self
                .timeline
                .get()
                .map(|timeline| timeline.recorder.clone()),
        }
    }

    fn progress_bar(&self, name: &str) -> ProgressBar {
        let Some(bars) = &self.bars else {
            return ProgressBar::hidden();
        };
        let waiting =
            ProgressStyle::with_template("{prefix:>12} {spinner} waiting for the server {elapsed}")
                .expect("the template is valid");
        let bar = bars.add(
            ProgressBar::no_length()
                .with_style(waiting)
                .with_prefix(name.to_string()),
        );
        bar.enable_steady_tick(Duration::from_millis(100));
        bar
    }

    /// Turns a bar from waiting to receiving, once the answer's headers are in.
    fn show_transfer(progress: &Progress, length: Option<u64>) {
        progress.transferring_since.set(Some(Instant::now()));
        let bar = &progress.bar;
        if bar.is_hidden() {
            return;
        }
        let template = match length {
            Some(_) => "{prefix:>12} [{bar:30}] {bytes:>10}/{total_bytes:10} {elapsed}",
            None => "{prefix:>12} {spinner} {bytes:>10} {elapsed}",
        };
        let style = ProgressStyle::with_template(template)
            .expect("the template is valid")
            .progress_chars("=> ");
        bar.set_style(style);
        if let Some(length) = length {
            bar.set_length(length);
        }
    }
}

/// One download's progress: its bar on a terminal, and with `--timeline` when it waited for the
/// server's answer and when the bytes came in.
#[derive(Debug)]
struct Progress {
    bar: ProgressBar,
    row: String,
    started: Instant,
    transferring_since: Cell<Option<Instant>>,
    recorder: Option<Recorder>,
}

impl Progress {
    fn inc(&self, bytes: u64) {
        self.bar.inc(bytes);
    }

    fn finish_and_clear(&self) {
        self.bar.finish_and_clear();
        let Some(recorder) = &self.recorder else {
            return;
        };
        let now = Instant::now();
        match self.transferring_since.get() {
            Some(since) => {
                recorder.record(&self.row, Activity::Waiting, self.started, since);
                recorder.record(&self.row, Activity::Working, since, now);
            }
            None => recorder.record(&self.row, Activity::Waiting, self.started, now),
        }
    }
}

/// A safe local file name for a URL path: its last segment, percent-decoded, with every
/// character outside `A–Z a–z 0–9 . - _` replaced by `_`, leading dots removed (so neither `..`
/// nor a hidden file), at most 100 characters, and never empty. The result has no `/` or `\`, so
/// joined to the output folder it always stays inside it.
pub fn file_name_from_url_path(path: &str) -> String {
    let segment = path.rsplit('/').next().unwrap_or("");
    let decoded = percent_decode(segment);
    let mut name: String = decoded
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || matches!(c, '.' | '-' | '_') {
                c
            } else {
                '_'
            }
        })
        .collect();
    name = name
        .trim_start_matches('.')
        .trim_end_matches('.')
        .to_string();
    name.truncate(100);
    let stem = name.split('.').next().unwrap_or("").to_ascii_uppercase();
    let reserved_on_windows = matches!(stem.as_str(), "CON" | "PRN" | "AUX" | "NUL")
        || (stem.len() == 4
            && (stem.starts_with("COM") || stem.starts_with("LPT"))
            && stem.as_bytes()[3].is_ascii_digit());
    if reserved_on_windows {
        name.insert(0, '_');
    }
    if name.is_empty() {
        "download".to_string()
    } else {
        name
    }
}

fn percent_decode(text: &str) -> String {
    let bytes = text.as_bytes();
    let mut decoded = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        let hex = bytes
            .get(i + 1..i + 3)
            .and_then(|pair| std::str::from_utf8(pair).ok())
            .and_then(|pair| u8::from_str_radix(pair, 16).ok());
        match (bytes[i], hex) {
            (b'%', Some(byte)) => {
                decoded.push(byte);
                i += 3;
            }
            (byte, _) => {
                decoded.push(byte);
                i += 1;
            }
        }
    }
    String::from_utf8_lossy(&decoded).into_owned()
}

/// Gives every file a different name, in order: a second `a.zip` becomes `a-2.zip`, and so on.
pub fn make_names_unique(files: &mut [FileToGet]) {
    let count = files.len();
    let mut taken = std::collections::HashSet::new();
    for file in files {
        if !taken.insert(file.name.clone()) {
            let (stem, extension) = match file.name.split_once('.') {
                Some((stem, extension)) => (stem.to_string(), format!(".{extension}")),
                None => (file.name.clone(), String::new()),
            };
            // At most `count` names are taken, so one of these `count` candidates is free.
            let unique = (2..=count + 1)
                .map(|n| format!("{stem}-{n}{extension}"))
                .find(|candidate| !taken.contains(candidate))
                .expect("some number is free");
            taken.insert(unique.clone());
            file.name = unique;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hostile_names_stay_inside_the_folder() {
        for (path, expected) in [
            ("/files/file1.zip", "file1.zip"),
            ("/..", "download"),
            ("/a/..%2F..%2Fetc%2Fpasswd", "_.._etc_passwd"),
            ("/%2e%2e", "download"),
            ("/%2E%2E%2F%2E%2E%2Fescape.zip", "_.._escape.zip"),
            ("/..%5C..%5Cwindows.zip", "_.._windows.zip"),
            ("/.bashrc", "bashrc"),
            ("/..%2F..%2F.bashrc", "_.._.bashrc"),
            ("/", "download"),
            ("", "download"),
            ("/name%00.zip", "name_.zip"),
            ("/caf%C3%A9.zip", "caf_.zip"),
            ("/CON", "_CON"),
            ("/nul.txt", "_nul.txt"),
            ("/com1.zip", "_com1.zip"),
            ("/file%zz.zip", "file_zz.zip"),
        ] {
            assert_eq!(file_name_from_url_path(path), expected, "{path:?}");
        }
    }

    #[test]
    fn a_safe_name_never_has_a_separator_or_a_parent_and_is_short() {
        let long = format!("/{}", "a%2F".repeat(200));
        for path in [long.as_str(), "/%2F", "/\\", "/.../x/..."] {
            let name = file_name_from_url_path(path);
            assert!(!name.is_empty());
            assert!(name.len() <= 101, "{name}");
            assert!(!name.contains(['/', '\\']), "{name}");
            assert!(!name.starts_with('.'), "{name}");
            assert_eq!(
                Path::new(&name).components().count(),
                1,
                "{name} is one component"
            );
        }
    }

    #[test]
    fn duplicate_names_get_a_number() {
        let file = |name: &str| FileToGet {
            name: name.to_string(),
            url: String::new(),
            sha256: None,
        };
        let mut files = vec![
            file("a.zip"),
            file("a.zip"),
            file("a-2.zip"),
            file("a.zip"),
            file("b"),
            file("b"),
        ];
        make_names_unique(&mut files);
        let names: Vec<_> = files.iter().map(|f| f.name.as_str()).collect();
        assert_eq!(
            names,
            ["a.zip", "a-2.zip", "a-2-2.zip", "a-3.zip", "b", "b-2"]
        );
    }
}
