//! The server under [`FileServer`](crate::FileServer) and lesson 14's site: a thread for each
//! connection, one request per connection, and an answer that a [`Route`] chooses, with a delay
//! before it starts. What the server saw is counted: requests, the most waiting at once, and the
//! connections still open.

use std::collections::HashMap;
use std::fmt::Write as _;
use std::io::{self, BufRead, BufReader, Read, Write};
use std::net::{Ipv4Addr, Shutdown, SocketAddr, TcpListener, TcpStream};
use std::sync::atomic::{AtomicBool, AtomicU64, AtomicUsize, Ordering};
use std::sync::{Arc, Condvar, Mutex, PoisonError};
use std::thread::{self, JoinHandle};
use std::time::{Duration, Instant};

/// Longest wait for a client to send its request line and headers.
const READ_TIMEOUT: Duration = Duration::from_secs(10);
/// Longest wait for a client to accept a piece of the answer.
const WRITE_TIMEOUT: Duration = Duration::from_secs(10);
/// Longest request head (request line and headers) the server reads.
const MAX_HEAD: usize = 16 * 1024;
/// How often a request that waits looks whether its client is still there.
const LOOK_FOR_CLIENT_EVERY: Duration = Duration::from_millis(20);

/// One request, as the server read it.
#[derive(Debug, Clone)]
pub struct Request {
    /// `GET`, `HEAD`, …
    pub method: String,
    /// The path and query, as sent: `/page/3?q=x`.
    pub target: String,
    /// The `Host` header, if any.
    pub host: Option<String>,
}

/// What the server answers, and how long it waits before the answer starts.
#[derive(Debug, Clone)]
pub struct Answer {
    pub status: u16,
    pub headers: Vec<(&'static str, String)>,
    pub body: Vec<u8>,
    pub delay: Duration,
}

impl Answer {
    /// `status` with `body`, as plain text, at once.
    pub fn new(status: u16, body: Vec<u8>) -> Self {
        Answer {
            status,
            headers: vec![("Content-Type", "text/plain".to_string())],
            body,
            delay: Duration::ZERO,
        }
    }

    /// The same answer with another `Content-Type`.
    #[must_use]
    pub fn content_type(mut self, value: &str) -> Self {
        self.headers.retain(|(name, _)| *name != "Content-Type");
        self.headers.push(("Content-Type", value.to_string()));
        self
    }

    /// The same answer with one more header.
    #[must_use]
    pub fn header(mut self, name: &'static str, value: impl Into<String>) -> Self {
        self.headers.push((name, value.into()));
        self
    }

    /// The same answer, started after `delay` (cut short if the server stops or the client
    /// goes away).
    #[must_use]
    pub fn after(mut self, delay: Duration) -> Self {
        self.delay = delay;
        self
    }
}

/// One request the server received: its target, when it arrived, and when it stopped waiting
/// for its answer (the answer started, or its client was last seen before it went away).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Wait {
    pub target: String,
    pub arrived: Instant,
    /// `None` while it waits.
    pub ended: Option<Instant>,
}

/// Chooses the answer to each request; called once per request, on the connection's thread.
pub type Route = dyn Fn(&Request) -> Answer + Send + Sync;

/// A loopback HTTP server whose answers a [`Route`] chooses. Dropping it stops it: waits are cut
/// short, open connections are shut down and every thread of the server is joined.
pub struct Server {
    address: SocketAddr,
    shared: Arc<Shared>,
    accept_thread: Option<JoinHandle<()>>,
}

impl std::fmt::Debug for Server {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Server")
            .field("address", &self.address)
            .finish_non_exhaustive()
    }
}

/// What the accepting thread and the connection threads share.
struct Shared {
    route: Arc<Route>,
    /// Set once when the server stops; `wake` is notified then.
    stopping: Mutex<bool>,
    wake: Condvar,
    /// Mirrors `stopping` for the accept loop, which must not take the lock on every connection.
    stopped: AtomicBool,
    /// A second handle on every open connection, so that stopping can shut them all down;
    /// `closed` is notified each time one is removed.
    open: Mutex<HashMap<u64, TcpStream>>,
    closed: Condvar,
    next_id: AtomicU64,
    /// Every request, in the order they arrived.
    waits: Mutex<Vec<Wait>>,
    requests: AtomicUsize,
    abandoned: AtomicUsize,
}

impl Server {
    /// Starts the server on `127.0.0.1` and a port the system chooses.
    pub fn start(route: Arc<Route>) -> io::Result<Server> {
        let listener = TcpListener::bind((Ipv4Addr::LOCALHOST, 0))?;
        let address = listener.local_addr()?;
        let shared = Arc::new(Shared {
            route,
            stopping: Mutex::new(false),
            wake: Condvar::new(),
            stopped: AtomicBool::new(false),
            open: Mutex::default(),
            closed: Condvar::new(),
            next_id: AtomicU64::new(0),
            waits: Mutex::default(),
            requests: AtomicUsize::new(0),
            abandoned: AtomicUsize::new(0),
        });
        let accept_thread = thread::Builder::new()
            .name("loopback-accept".to_string())
            .spawn({
                let shared = Arc::clone(&shared);
                move || accept_connections(&listener, &shared)
            })?;
        Ok(Server {
            address,
            shared,
            accept_thread: Some(accept_thread),
        })
    }

    /// The address the server listens on (`127.0.0.1:<port>`).
    pub fn address(&self) -> SocketAddr {
        self.address
    }

    /// The highest number of requests that were waiting for their answer at the same moment so
    /// far. A request is counted from its arrival until its answer starts, so a client that
    /// reads a whole answer before sending the next request is never counted twice. A request
    /// whose client went away is counted until the client was last seen, not until the server
    /// noticed, so a client that gives up on one request and sends the next is not counted
    /// twice either.
    pub fn max_concurrent_requests(&self) -> usize {
        let waits = self
            .shared
            .waits
            .lock()
            .unwrap_or_else(PoisonError::into_inner);
        // +1 when a request arrives, -1 when it stops waiting; at the same instant, the end first.
        let mut events: Vec<(Instant, i32)> = Vec::with_capacity(waits.len() * 2);
        for wait in waits.iter() {
            events.push((wait.arrived, 1));
            if let Some(ended) = wait.ended {
                events.push((ended, -1));
            }
        }
        events.sort_unstable();
        let (mut now, mut most) = (0_i32, 0_i32);
        for (_, change) in events {
            now += change;
            most = most.max(now);
        }
        usize::try_from(most).unwrap_or(0)
    }

    /// Every request received so far, in the order they arrived, each with its target and the
    /// time it waited, as [`Server::max_concurrent_requests`] counts it: a timeline of what was
    /// in flight, for checks that ask when, not only how many.
    pub fn waits(&self) -> Vec<Wait> {
        self.shared
            .waits
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .clone()
    }

    /// How many requests the server has received so far (any path, any answer).
    pub fn requests_served(&self) -> usize {
        self.shared.requests.load(Ordering::SeqCst)
    }

    /// How many requests their client gave up on (closed the connection) before the answer
    /// started: a time-out on the client's side, or a crawl stopped half-way.
    pub fn requests_abandoned(&self) -> usize {
        self.shared.abandoned.load(Ordering::SeqCst)
    }

    /// Waits until no connection is open, at most `patience`, and returns how many still are.
    /// A client that closed its connection while its request waited is seen within
    /// milliseconds; one that holds it open stays counted.
    pub fn open_connections_after(&self, patience: Duration) -> usize {
        let open = self
            .shared
            .open
            .lock()
            .unwrap_or_else(PoisonError::into_inner);
        let (open, _) = self
            .shared
            .closed
            .wait_timeout_while(open, patience, |open| !open.is_empty())
            .unwrap_or_else(PoisonError::into_inner);
        open.len()
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        self.shared.stopped.store(true, Ordering::SeqCst);
        *self
            .shared
            .stopping
            .lock()
            .unwrap_or_else(PoisonError::into_inner) = true;
        self.shared.wake.notify_all();
        for stream in self
            .shared
            .open
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .values()
        {
            let _ = stream.shutdown(Shutdown::Both);
        }
        // `accept` blocks until a client connects, so connect once to wake it up.
        let woken = TcpStream::connect_timeout(&self.address, Duration::from_secs(1)).is_ok();
        if let Some(handle) = self.accept_thread.take()
            && woken
        {
            let _ = handle.join();
        }
    }
}

fn accept_connections(listener: &TcpListener, shared: &Arc<Shared>) {
    let mut connections: Vec<JoinHandle<()>> = Vec::new();
    for stream in listener.incoming() {
        if shared.stopped.load(Ordering::SeqCst) {
            break;
        }
        let Ok(stream) = stream else {
            // Usually out of file descriptors: give running connections a moment to finish.
            thread::sleep(Duration::from_millis(10));
            continue;
        };
        connections.retain(|handle| !handle.is_finished());
        let id = shared.next_id.fetch_add(1, Ordering::SeqCst);
        if let Ok(second_handle) = stream.try_clone() {
            shared
                .open
                .lock()
                .unwrap_or_else(PoisonError::into_inner)
                .insert(id, second_handle);
        }
        // A connection accepted just as the server stops is shut down here, not left open.
        if shared.stopped.load(Ordering::SeqCst) {
            let _ = stream.shutdown(Shutdown::Both);
        }
        let spawned = thread::Builder::new()
            .name("loopback-connection".to_string())
            .spawn({
                let shared = Arc::clone(shared);
                move || {
                    let _ = serve_connection(&stream, &shared);
                    shared.forget(id);
                }
            });
        match spawned {
            Ok(handle) => connections.push(handle),
            // Out of threads: this connection is dropped, and so closed.
            Err(_) => shared.forget(id),
        }
    }
    for handle in connections {
        let _ = handle.join();
    }
}

impl Shared {
    fn forget(&self, id: u64) {
        self.open
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .remove(&id);
        self.closed.notify_all();
    }
}

/// Serves one request on `stream`, then closes the connection.
fn serve_connection(stream: &TcpStream, shared: &Shared) -> io::Result<()> {
    stream.set_read_timeout(Some(READ_TIMEOUT))?;
    stream.set_write_timeout(Some(WRITE_TIMEOUT))?;
    let mut reader = BufReader::new(stream);
    let Some(request) = read_request(&mut reader)? else {
        return Ok(());
    };
    shared.requests.fetch_add(1, Ordering::SeqCst);
    let arrived = Instant::now();
    let index = {
        let mut waits = shared.waits.lock().unwrap_or_else(PoisonError::into_inner);
        waits.push(Wait {
            target: request.target.clone(),
            arrived,
            ended: None,
        });
        waits.len() - 1
    };
    let answer = (shared.route)(&request);
    let (waited, ended) = wait_out(shared, stream, answer.delay);
    // Counted out before the first byte of the answer leaves: a client that waits for the whole
    // answer before its next request can never be seen as two requests at once.
    shared.waits.lock().unwrap_or_else(PoisonError::into_inner)[index].ended = Some(ended);
    match waited {
        Waited::Elapsed => write_answer(stream, &request, &answer),
        Waited::Stopping => Ok(()),
        Waited::ClientGone => {
            shared.abandoned.fetch_add(1, Ordering::SeqCst);
            Ok(())
        }
    }
}

enum Waited {
    Elapsed,
    Stopping,
    ClientGone,
}

/// Waits for `delay`; returns early if the server stops or the client closes the connection
/// (looked at every [`LOOK_FOR_CLIENT_EVERY`]). Also returns when the wait ended: now, or when
/// the client was last seen.
fn wait_out(shared: &Shared, stream: &TcpStream, delay: Duration) -> (Waited, Instant) {
    let deadline = Instant::now() + delay;
    let mut stopping = shared
        .stopping
        .lock()
        .unwrap_or_else(PoisonError::into_inner);
    let mut client_seen = Instant::now();
    loop {
        if *stopping {
            return (Waited::Stopping, Instant::now());
        }
        let now = Instant::now();
        let left = deadline.saturating_duration_since(now);
        if left.is_zero() {
            return (Waited::Elapsed, now);
        }
        if client_is_gone(stream) {
            return (Waited::ClientGone, client_seen);
        }
        client_seen = now;
        stopping = shared
            .wake
            .wait_timeout(stopping, left.min(LOOK_FOR_CLIENT_EVERY))
            .unwrap_or_else(PoisonError::into_inner)
            .0;
    }
}

/// Whether the client closed its side: a read would see the end (or a reset) rather than wait.
fn client_is_gone(stream: &TcpStream) -> bool {
    if stream.set_nonblocking(true).is_err() {
        return false;
    }
    let gone = match stream.peek(&mut [0_u8; 1]) {
        Ok(read) => read == 0,
        Err(error) => error.kind() != io::ErrorKind::WouldBlock,
    };
    let _ = stream.set_nonblocking(false);
    gone
}

/// Reads the request line and headers; `None` for anything that is not a complete request (the
/// client went away).
fn read_request(reader: &mut impl BufRead) -> io::Result<Option<Request>> {
    let mut request_line = String::new();
    Read::take(&mut *reader, MAX_HEAD as u64).read_line(&mut request_line)?;
    let mut head_len = request_line.len();
    let mut host = None;
    loop {
        let mut header = String::new();
        let read = Read::take(&mut *reader, MAX_HEAD as u64).read_line(&mut header)?;
        head_len += read;
        if read == 0 || head_len > MAX_HEAD {
            return Ok(None);
        }
        if header == "\r\n" || header == "\n" {
            break;
        }
        if let Some((name, value)) = header.split_once(':')
            && name.trim().eq_ignore_ascii_case("host")
        {
            host = Some(value.trim().to_string());
        }
    }
    let mut words = request_line.split_whitespace();
    match (words.next(), words.next()) {
        (Some(method), Some(target)) => Ok(Some(Request {
            method: method.to_string(),
            target: target.to_string(),
            host,
        })),
        _ => Ok(None),
    }
}

fn write_answer(mut stream: &TcpStream, request: &Request, answer: &Answer) -> io::Result<()> {
    let reason = reason(answer.status);
    let mut head = format!("HTTP/1.1 {} {reason}\r\n", answer.status);
    for (name, value) in &answer.headers {
        let _ = write!(head, "{name}: {value}\r\n");
    }
    let _ = write!(
        head,
        "Content-Length: {}\r\nConnection: close\r\n\r\n",
        answer.body.len()
    );
    stream.write_all(head.as_bytes())?;
    if request.method != "HEAD" {
        stream.write_all(&answer.body)?;
    }
    stream.flush()?;
    stream.shutdown(Shutdown::Write)
}

fn reason(status: u16) -> &'static str {
    match status {
        200 => "OK",
        301 => "Moved Permanently",
        302 => "Found",
        404 => "Not Found",
        503 => "Service Unavailable",
        _ => "",
    }
}
