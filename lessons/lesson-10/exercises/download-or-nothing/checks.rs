//! The checks of `download-or-nothing`. `cargo xtask verify download-or-nothing` runs them; they
//! are ignored by a plain `cargo test` so that the course's own test suite passes before you start.
//!
//! Two servers run inside this test program: the course's loopback HTTP server
//! (`course_loopback::FileServer`, which serves `file1.zip`, … after a latency, answers
//! `404 Not Found` to anything else, and sees how many requests wait at once), and one that
//! sends the first half of `file1.zip` at once, then a few bytes every [`TRICKLE`], and the rest
//! only after [`STALL`]; it sees whether the client is still there.
//!
//! Your function runs on a tokio runtime with a single thread, which goes on running after your
//! function has returned: whatever it left running is seen. The folder holds an older version
//! of the file before each download, which a download must replace whole or leave as it was.

use std::collections::HashMap;
use std::ffi::OsString;
use std::fs;
use std::future::Future;
use std::io::{self, BufRead, BufReader, Read, Write};
use std::net::{Ipv4Addr, TcpListener};
use std::path::Path;
use std::pin::Pin;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::{Arc, mpsc};
use std::task::Poll;
use std::thread::{self, JoinHandle};
use std::time::{Duration, Instant, SystemTime};

use course_loopback::{FILE_SIZE, FileServer, file_contents};

use super::download_or_nothing;

/// How long the stalling server goes on trickling before it sends the rest of the file.
const STALL: Duration = Duration::from_secs(2);

/// How often the stalling server sends a few more bytes while it stalls.
const TRICKLE: Duration = Duration::from_millis(100);

/// The deadline the checks give a download that stalls.
const DEADLINE: Duration = Duration::from_millis(300);

/// How long a check waits for a download that stalls to give up.
const PATIENCE: Duration = Duration::from_millis(1500);

/// How long the server of the downloads in time waits before it answers: longer than
/// [`PATIENCE`], so that no deadline written into the code suits both checks.
const LATENCY: Duration = Duration::from_millis(1600);

/// The deadline of the downloads in time, and how long the check waits for them.
const GENEROUS: Duration = Duration::from_secs(5);
const GENEROUS_PATIENCE: Duration = Duration::from_secs(6);

/// The older version of a file, in the folder before the download.
const OLDER: &[u8] = b"an older version, which a download replaces whole or leaves as it was\n";

/// What the downloads on the runtime's thread gave, each when it returned.
#[derive(Debug)]
struct Returned {
    /// For each download, what it returned and how long after its start, or `None` if it had
    /// not returned when the check stopped waiting.
    results: Vec<Option<(Result<(), String>, Duration)>>,
    /// How many bytes the runtime's own thread wrote while they ran (to files and sockets),
    /// where the system tells (Linux), once all have returned.
    written_by_runtime_thread: Option<u64>,
}

/// What the runtime's thread tells the check.
#[derive(Debug)]
enum Event {
    Returned(usize, Result<(), String>, Duration),
    AllReturned(Option<u64>),
}

/// Downloads running on a one-thread tokio runtime, on a thread of their own. The runtime goes
/// on running after they have returned, until this is dropped: a task they left behind goes on.
#[derive(Debug)]
struct Caller {
    events: mpsc::Receiver<Event>,
    count: usize,
    started: Instant,
    last_beat: Arc<AtomicU64>,
    _keep_running: tokio::sync::oneshot::Sender<()>,
}

impl Caller {
    /// Starts `download_or_nothing(url, dir, name, deadline)` for every `(url, name)` of `jobs`,
    /// all at once on the runtime's one thread.
    fn start(jobs: Vec<(String, &str)>, dir: &Path, deadline: Duration) -> Caller {
        assert!(
            !STAYS_BLOCKED.load(Ordering::SeqCst),
            "not tried: download_or_nothing blocked the runtime's thread in the first check that \
             failed, and what it holds (a lock?) may still hold this one"
        );
        let count = jobs.len();
        let jobs: Vec<(String, String)> = jobs
            .into_iter()
            .map(|(url, name)| (url, name.to_string()))
            .collect();
        let dir = dir.to_path_buf();
        let (tell, events) = mpsc::channel();
        let (keep_running, stop) = tokio::sync::oneshot::channel::<()>();
        let started = Instant::now();
        let last_beat = Arc::new(AtomicU64::new(0));
        let beats = Arc::clone(&last_beat);
        thread::Builder::new()
            .name("download-caller".to_string())
            .spawn(move || {
                let runtime = tokio::runtime::Builder::new_current_thread()
                    .enable_all()
                    .build()
                    .expect("a tokio runtime");
                runtime.block_on(async {
                    tokio::spawn(heartbeat(beats, started));
                    let before = written_by_this_thread();
                    let downloads = jobs
                        .iter()
                        .enumerate()
                        .map(|(number, (url, name))| {
                            let tell = tell.clone();
                            let download = download_or_nothing(url, &dir, name, deadline);
                            async move {
                                let result = download.await;
                                let _ =
                                    tell.send(Event::Returned(number, result, started.elapsed()));
                            }
                        })
                        .collect();
                    all_at_once(downloads).await;
                    let written = written_by_this_thread()
                        .zip(before)
                        .map(|(now, then)| now - then);
                    let _ = tell.send(Event::AllReturned(written));
                    let _ = stop.await;
                });
            })
            .unwrap();
        Caller {
            events,
            count,
            started,
            last_beat,
            _keep_running: keep_running,
        }
    }

    /// How long the runtime's thread has been blocked (no beat of [`heartbeat`] for more than
    /// [`BLOCKED`]), or `None` if it is free.
    fn blocked_for(&self) -> Option<Duration> {
        let beat = Duration::from_millis(self.last_beat.load(Ordering::SeqCst));
        let blocked =
            Some(self.started.elapsed().saturating_sub(beat)).filter(|silent| *silent > BLOCKED);
        if blocked.is_some() {
            STAYS_BLOCKED.store(true, Ordering::SeqCst);
        }
        blocked
    }

    /// What the downloads returned within `patience` of their start.
    fn wait(&self, patience: Duration) -> Returned {
        let mut returned = Returned {
            results: (0..self.count).map(|_| None).collect(),
            written_by_runtime_thread: None,
        };
        loop {
            let left = patience.saturating_sub(self.started.elapsed());
            match self.events.recv_timeout(left) {
                Ok(Event::Returned(number, result, after)) => {
                    returned.results[number] = Some((result, after));
                }
                Ok(Event::AllReturned(written)) => {
                    returned.written_by_runtime_thread = written;
                    return returned;
                }
                Err(mpsc::RecvTimeoutError::Timeout) => return returned,
                Err(mpsc::RecvTimeoutError::Disconnected) => {
                    panic!(
                        "download_or_nothing panicked (see the message of thread \
                         'download-caller')"
                    )
                }
            }
        }
    }
}

/// Set once a download has blocked its runtime's thread for good: a lock it holds may block the
/// checks after it too, which do not try again.
static STAYS_BLOCKED: AtomicBool = AtomicBool::new(false);

/// How long the runtime's thread may go without a beat of [`heartbeat`] before it counts as
/// blocked: its beats come every 20 ms while the thread is free.
const BLOCKED: Duration = Duration::from_secs(1);

/// Notes, every 20 ms, the time since `started` in `last_beat`: so long as the runtime's thread is
/// free to run its tasks. When the beats stop, something holds the thread.
async fn heartbeat(last_beat: Arc<AtomicU64>, started: Instant) {
    loop {
        let now = u64::try_from(started.elapsed().as_millis()).unwrap_or(u64::MAX);
        last_beat.store(now, Ordering::SeqCst);
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
}

/// Polls every future in turn on the one task, as `tokio::join!` does, until all are done.
async fn all_at_once<F: Future<Output = ()>>(futures: Vec<F>) {
    let mut futures: Vec<Option<Pin<Box<F>>>> = futures
        .into_iter()
        .map(|future| Some(Box::pin(future)))
        .collect();
    std::future::poll_fn(|context| {
        for slot in &mut futures {
            if let Some(future) = slot
                && future.as_mut().poll(context).is_ready()
            {
                *slot = None;
            }
        }
        if futures.iter().all(Option::is_none) {
            Poll::Ready(())
        } else {
            Poll::Pending
        }
    })
    .await;
}

/// The bytes this thread has written so far, to files and sockets (Linux's per-thread count).
#[cfg(target_os = "linux")]
fn written_by_this_thread() -> Option<u64> {
    let io = fs::read_to_string("/proc/thread-self/io").ok()?;
    io.lines()
        .find_map(|line| line.strip_prefix("wchar:"))?
        .trim()
        .parse()
        .ok()
}

#[cfg(not(target_os = "linux"))]
fn written_by_this_thread() -> Option<u64> {
    None
}

/// A folder for a check, holding the older version of each of `names`.
fn folder_with_older(names: &[&str]) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    for name in names {
        fs::write(dir.path().join(name), OLDER).unwrap();
    }
    dir
}

/// What is in `dir`, in words: "nothing", or the names with their sizes.
fn left_in(dir: &Path) -> String {
    let mut names: Vec<String> = fs::read_dir(dir)
        .unwrap()
        .map(|entry| {
            let entry = entry.unwrap();
            let size = entry.metadata().map_or(0, |metadata| metadata.len());
            format!("{} ({size} bytes)", entry.file_name().to_string_lossy())
        })
        .collect();
    names.sort();
    if names.is_empty() {
        "nothing".to_string()
    } else {
        names.join(", ")
    }
}

/// Whether `dir` holds the older version of each of `names`, and nothing else.
fn as_it_was(dir: &Path, names: &[&str]) -> bool {
    let mut expected: Vec<String> = names
        .iter()
        .map(|name| format!("{name} ({} bytes)", OLDER.len()))
        .collect();
    expected.sort();
    left_in(dir) == expected.join(", ")
        && names
            .iter()
            .all(|name| fs::read(dir.join(name)).is_ok_and(|bytes| bytes == OLDER))
}

/// Watches, while a download runs, the system's temporary folder and the current folder (where
/// a relative path lands): a file that appears there holding the start of a downloaded file is
/// the download's, written outside the folder it was given.
#[derive(Debug)]
struct Watch {
    stop: Arc<AtomicBool>,
    watcher: Option<JoinHandle<Vec<String>>>,
}

impl Drop for Watch {
    /// A check that fails before [`Watch::stop`] stops the watcher all the same.
    fn drop(&mut self) {
        self.stop.store(true, Ordering::SeqCst);
    }
}

impl Watch {
    fn start(files: &[&str]) -> Watch {
        let starts: Vec<Vec<u8>> = files
            .iter()
            .map(|name| file_contents(name)[..64].to_vec())
            .collect();
        let places = [std::env::temp_dir(), std::env::current_dir().unwrap()];
        // Each entry's name and when it was last changed: a file the download makes, or writes
        // over, is new or changed.
        let entries_in = |place: &Path| -> HashMap<OsString, Option<SystemTime>> {
            fs::read_dir(place)
                .map(|read| {
                    read.flatten()
                        .map(|entry| {
                            let changed = entry.metadata().and_then(|m| m.modified()).ok();
                            (entry.file_name(), changed)
                        })
                        .collect()
                })
                .unwrap_or_default()
        };
        let before: Vec<_> = places.iter().map(|place| entries_in(place)).collect();
        let stop = Arc::new(AtomicBool::new(false));
        let watcher = thread::spawn({
            let stop = Arc::clone(&stop);
            move || {
                let mut seen = Vec::new();
                loop {
                    let last = stop.load(Ordering::SeqCst);
                    for (place, before) in places.iter().zip(&before) {
                        let now = entries_in(place);
                        let changed = now
                            .iter()
                            .filter(|(name, changed)| before.get(*name) != Some(changed))
                            .map(|(name, _)| name);
                        for name in changed {
                            let path = place.join(name);
                            let mut start = Vec::new();
                            if let Ok(file) = fs::File::open(&path) {
                                let _ = file.take(64).read_to_end(&mut start);
                            }
                            let ours = start.len() >= 16
                                && starts.iter().any(|whole| whole.starts_with(&start));
                            let shown = path.display().to_string();
                            if ours && !seen.contains(&shown) {
                                seen.push(shown);
                            }
                        }
                    }
                    if last {
                        return seen;
                    }
                    thread::sleep(Duration::from_millis(50));
                }
            }
        });
        Watch {
            stop,
            watcher: Some(watcher),
        }
    }

    /// The files outside the folder that held downloaded bytes, seen while the download ran.
    /// Those still there are removed: the check leaves no litter of its own.
    fn stop(mut self) -> Vec<String> {
        self.stop.store(true, Ordering::SeqCst);
        let seen = self
            .watcher
            .take()
            .map(|watcher| watcher.join().unwrap_or_default())
            .unwrap_or_default();
        for path in &seen {
            let _ = fs::remove_file(path);
        }
        seen
    }
}

/// How the stalling server's one connection ended.
#[derive(Debug)]
enum Ending {
    /// The client closed the connection, this long after the first half was sent.
    ClientLeft(Duration),
    /// The client was still there after [`STALL`], and was sent the whole file.
    SentTheWhole,
}

/// What a stalling server sends between the first half and the rest.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Stall {
    /// A few bytes every [`TRICKLE`].
    Trickle,
    /// Nothing.
    Silence,
}

impl Stall {
    /// What the server does, and why a download that did not give up did not, in words.
    fn words(self) -> (&'static str, &'static str) {
        match self {
            Stall::Trickle => (
                "sent half of the file at once, then a few bytes every 100ms",
                "a time-out around the request alone, or around each chunk, never fires while \
                 bytes keep coming",
            ),
            Stall::Silence => (
                "sent half of the file at once, then nothing",
                "a deadline checked when a chunk comes is never checked while none comes, \
                 whereas `timeout` wakes the task at the deadline itself",
            ),
        }
    }
}

/// A server that answers one request for `file` with its first half, then `stall` until
/// [`STALL`] has passed, then the rest. Returns its URL, and how the connection ended.
fn start_stalling_server(file: &'static str, stall: Stall) -> (String, mpsc::Receiver<Ending>) {
    let listener = TcpListener::bind((Ipv4Addr::LOCALHOST, 0)).unwrap();
    let url = format!("http://{}/{file}", listener.local_addr().unwrap());
    let (ended, ending) = mpsc::channel();
    thread::spawn(move || {
        let Ok((mut stream, _)) = listener.accept() else {
            return;
        };
        let _ = stream.set_read_timeout(Some(Duration::from_secs(5)));
        let _ = stream.set_write_timeout(Some(Duration::from_secs(5)));
        let mut reader = BufReader::new(stream.try_clone().unwrap());
        let mut line = String::new();
        while reader.read_line(&mut line).is_ok_and(|read| read > 2) {
            line.clear(); // the request line and headers, up to the empty line
        }
        let body = file_contents(file);
        let head = format!(
            "HTTP/1.1 200 OK\r\nContent-Length: {}\r\nConnection: close\r\n\r\n",
            body.len()
        );
        let (first, mut rest) = body.split_at(body.len() / 2);
        if stream.write_all(head.as_bytes()).is_err() || stream.write_all(first).is_err() {
            return;
        }
        let _ = stream.flush();
        let stalled = Instant::now();
        let _ = stream.set_read_timeout(Some(TRICKLE));
        while stalled.elapsed() < STALL {
            // Waits one TRICKLE for the client to close the connection: a read that ends (or
            // fails otherwise than by timing out), or a write that fails.
            let closed = match stream.read(&mut [0; 64]) {
                Ok(read) => read == 0,
                Err(error) => !matches!(
                    error.kind(),
                    io::ErrorKind::WouldBlock | io::ErrorKind::TimedOut
                ),
            };
            let closed = closed
                || (stall == Stall::Trickle && {
                    let (few, after) = rest.split_at(16);
                    rest = after;
                    stream.write_all(few).and_then(|()| stream.flush()).is_err()
                });
            if closed {
                let _ = ended.send(Ending::ClientLeft(stalled.elapsed()));
                return;
            }
        }
        if stream.write_all(rest).is_err() {
            let _ = ended.send(Ending::ClientLeft(stalled.elapsed()));
            return;
        }
        // Waits until the client has read it all and closes.
        let _ = stream.set_read_timeout(Some(Duration::from_secs(5)));
        let _ = stream.read(&mut [0; 64]);
        let _ = ended.send(Ending::SentTheWhole);
    });
    (url, ending)
}

#[test]
#[ignore = "checked by cargo xtask verify"]
fn a_download_that_stalls_is_given_up_at_its_deadline_and_leaves_nothing() {
    let stalls = [
        (Stall::Trickle, "file1.zip", "report.pdf"),
        (Stall::Silence, "file2.zip", "photo.jpg"),
    ];
    let servers: Vec<_> = stalls
        .iter()
        .map(|(stall, file, _)| start_stalling_server(file, *stall))
        .collect();
    let dir = folder_with_older(&["report.pdf", "photo.jpg"]);
    let watch = Watch::start(&["file1.zip", "file2.zip"]);
    let caller = Caller::start(
        servers
            .iter()
            .zip(&stalls)
            .map(|((url, _), (_, _, name))| (url.clone(), *name))
            .collect(),
        dir.path(),
        DEADLINE,
    );
    let returned = caller.wait(PATIENCE);
    for ((stall, _, name), result) in stalls.iter().zip(&returned.results) {
        let (how, why) = stall.words();
        let Some((result, after)) = result else {
            if let Some(blocked) = caller.blocked_for() {
                panic!(
                    "the runtime's only thread has been blocked for the last {blocked:.1?}: two \
                     downloads ran on it, and one of them blocks it (a std `Mutex` guard held \
                     across an `.await`, which the other download then waits for; \
                     `std::thread::sleep`; a blocking call), so neither the other download nor \
                     its deadline can run"
                );
            }
            panic!(
                "the download did not give up: the server {how}; the deadline was {DEADLINE:?}, \
                 and download_or_nothing(…, {name:?}, …) had not returned after {PATIENCE:?}. \
                 Wrap the whole download (the request and every chunk) in one \
                 `tokio::time::timeout(deadline, …)`: {why}"
            );
        };
        assert!(
            result.is_err(),
            "download_or_nothing returned Ok after {after:.1?}, though its deadline was \
             {DEADLINE:?} and the server {how}: a download given up at its deadline returns an \
             error"
        );
        assert!(
            *after >= DEADLINE,
            "download_or_nothing gave up after {after:.1?}, before its deadline of {DEADLINE:?}: \
             give the download the deadline it is given"
        );
    }
    // The runtime goes on running: a download that goes on is seen by its server.
    let mut went_on = false;
    for (_, ending) in &servers {
        let ending = ending.recv_timeout(STALL + Duration::from_secs(3)).ok();
        went_on |= !matches!(ending, Some(Ending::ClientLeft(after)) if after < STALL);
    }
    if went_on {
        thread::sleep(Duration::from_millis(300));
    }
    let now = left_in(dir.path());
    assert!(
        !went_on,
        "the download went on after download_or_nothing had returned its error: the server was \
         still sending the file to it {STALL:?} later, and the folder then held: {now}. A task \
         started with `tokio::spawn` goes on when the time-out drops its `JoinHandle`: give \
         `timeout` the download itself (it drops the future, which cancels it), or `abort()` \
         the task when the deadline passes"
    );
    assert!(
        as_it_was(dir.path(), &["report.pdf", "photo.jpg"]),
        "a download given up must leave the folder as it was (photo.jpg and report.pdf, {} \
         bytes each, the older versions); it holds: {now}. Write into a temporary file in the \
         same folder (`tempfile::NamedTempFile::new_in(dir)`), which deletes itself when it is \
         dropped (a cancelled future drops everything it holds), and `persist` it under its \
         name only once the whole file is in",
        OLDER.len()
    );
    let outside = watch.stop();
    assert!(
        outside.is_empty(),
        "the download wrote into {}, outside the folder it was given. A part of a file belongs \
         in that folder: anywhere else (the system's temporary folder, the current folder) it \
         is litter when nothing removes it, and renaming it into place can fail (another disk) \
         or copy it half by half. Make the temporary file in the folder itself: \
         `tempfile::NamedTempFile::new_in(dir)`",
        outside.join(", ")
    );
}

#[test]
#[ignore = "checked by cargo xtask verify"]
fn a_failed_download_leaves_the_folder_as_it_was() {
    let server = FileServer::start(Duration::from_millis(50)).unwrap();
    let dir = folder_with_older(&["report.pdf"]);
    let caller = Caller::start(
        vec![(server.url("missing.zip"), "report.pdf")],
        dir.path(),
        GENEROUS,
    );
    let Some((result, _)) = caller.wait(GENEROUS_PATIENCE).results.remove(0) else {
        if let Some(blocked) = caller.blocked_for() {
            panic!(
                "the runtime's only thread has been blocked for the last {blocked:.1?}: \
                 download_or_nothing blocks it (a std `Mutex` that is never unlocked, \
                 `std::thread::sleep`, a blocking call)"
            );
        }
        panic!(
            "download_or_nothing did not return within {GENEROUS_PATIENCE:?}, though the server \
             answers 404 Not Found in 50 ms"
        )
    };
    assert!(
        result.is_err(),
        "the server answers 404 Not Found: the download must return an error"
    );
    assert!(
        as_it_was(dir.path(), &["report.pdf"]),
        "a download that fails must leave the folder as it was (report.pdf, {} bytes, the older \
         version); it holds: {}. Write into a temporary file in the same folder, and give it \
         the real name only once the whole file is in",
        OLDER.len(),
        left_in(dir.path())
    );
}

#[test]
#[ignore = "checked by cargo xtask verify"]
fn three_downloads_on_one_thread_in_time_are_whole_under_their_names() {
    let server = FileServer::start(LATENCY).unwrap();
    let jobs = [
        ("file1.zip", "report.pdf"),
        ("file2.zip", "photo.jpg"),
        ("file3.zip", "notes.txt"),
    ];
    let dir = folder_with_older(&["report.pdf"]);
    let older = fs::metadata(dir.path().join("report.pdf")).unwrap();
    let watch = Watch::start(&["file1.zip", "file2.zip", "file3.zip"]);
    let caller = Caller::start(
        jobs.iter()
            .map(|(file, name)| (server.url(file), *name))
            .collect(),
        dir.path(),
        GENEROUS,
    );
    let returned = caller.wait(GENEROUS_PATIENCE);
    assert_every_download_succeeded(&caller, &returned, &jobs);
    let together = server.max_concurrent_requests();
    assert_eq!(
        together, 3,
        "the three downloads, started at once on one thread, did not wait for the server \
         together (at most {together} at once): something in a download keeps the others from \
         running (a lock held for a whole download, a blocking call)"
    );
    let whole = jobs.iter().all(|(file, name)| {
        fs::read(dir.path().join(name)).is_ok_and(|bytes| bytes == file_contents(file))
    });
    let now = left_in(dir.path());
    let expected = format!(
        "notes.txt ({FILE_SIZE} bytes), photo.jpg ({FILE_SIZE} bytes), report.pdf ({FILE_SIZE} bytes)"
    );
    assert!(
        whole && now == expected,
        "after three downloads in time, the folder must hold report.pdf (file1.zip), photo.jpg \
         (file2.zip) and notes.txt (file3.zip), each whole under the name it was given, and \
         nothing else; it holds: {now}"
    );
    if let Some(same) = same_file(
        &older,
        &fs::metadata(dir.path().join("report.pdf")).unwrap(),
    ) {
        assert!(
            !same,
            "report.pdf was written in place: the older report.pdf was emptied and written over, \
             so for a while the folder held part of a file under the real name (and would keep \
             it, if the program stopped then). Write the whole file under another name in the \
             same folder, then rename it over the older one (`NamedTempFile::persist`, \
             `tokio::fs::rename`): a rename replaces it in one step"
        );
    }
    if let Some(written) = returned.written_by_runtime_thread {
        assert!(
            written < (FILE_SIZE / 2) as u64,
            "the runtime's own thread wrote {written} bytes into files itself, with std's \
             blocking file I/O (`std::fs`, `std::io::Write`): while it writes, no other task on \
             that thread runs. Write with `tokio::fs::File` (which hands each write to tokio's \
             threads for blocking work), or do the blocking work in \
             `tokio::task::spawn_blocking`"
        );
    }
    let outside = watch.stop();
    assert!(
        outside.is_empty(),
        "the download wrote into {}, outside the folder it was given: make the temporary file \
         in the folder itself: `tempfile::NamedTempFile::new_in(dir)`",
        outside.join(", ")
    );
}

/// Checks that each of the downloads in time returned `Ok`, and if not, says why.
fn assert_every_download_succeeded(caller: &Caller, returned: &Returned, jobs: &[(&str, &str)]) {
    for ((file, name), result) in jobs.iter().zip(&returned.results) {
        let Some((result, after)) = result else {
            if let Some(blocked) = caller.blocked_for() {
                panic!(
                    "the runtime's only thread has been blocked for the last {blocked:.1?}: three \
                     downloads ran on it, and one of them blocks it (a std `Mutex` guard held \
                     across an `.await`, which the next download then waits for; \
                     `std::thread::sleep`; a blocking call), so no other download can run"
                );
            }
            panic!(
                "three downloads at once on a runtime with one thread did not all return within \
                 {GENEROUS_PATIENCE:?} (the one of {file} into {name} had not), though each one \
                 waits {LATENCY:?} for the server, and the three can wait together: something \
                 makes them wait for each other (a lock held for a whole download?)"
            );
        };
        if let Err(error) = result {
            assert!(
                *after >= LATENCY,
                "the download of {file} into {name} gave up after {after:.1?} ({error}), before \
                 the server could answer ({LATENCY:?}), though the deadline was {GENEROUS:?}: \
                 give the download the deadline it is given"
            );
            panic!(
                "the download of {file} into {name} failed after {after:.1?}: {error}. The \
                 server answered, and the deadline was {GENEROUS:?}: it must succeed{}",
                if name == &"report.pdf" {
                    ", and replace the older report.pdf that was in the folder"
                } else {
                    ""
                }
            );
        }
    }
}

/// Whether two metadata are of the same file (not only the same name), where the system tells.
#[cfg(unix)]
#[expect(
    clippy::unnecessary_wraps,
    reason = "elsewhere the system does not tell: `None`"
)]
fn same_file(a: &fs::Metadata, b: &fs::Metadata) -> Option<bool> {
    use std::os::unix::fs::MetadataExt;
    Some(a.dev() == b.dev() && a.ino() == b.ino())
}

#[cfg(not(unix))]
fn same_file(_: &fs::Metadata, _: &fs::Metadata) -> Option<bool> {
    None
}
