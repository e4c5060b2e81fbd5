//! The checks of `chat-room`. `cargo xtask verify chat-room` runs them; they are ignored by a
//! plain `cargo test` so that the course's own test suite passes before you start.
//!
//! Each check starts your room on a tokio runtime of two threads, on `127.0.0.1` (a port the
//! system picks), and connects real TCP clients to it from threads of the test program: fast
//! readers, senders, and a client that reads nothing for a long while, with a small receive
//! buffer so that its socket fills soon. The senders wait for the fast readers to get each small
//! batch before they send the next, so a fast reader never falls behind by the checks' doing.
//! Every wait has a bound, and its message says what it waited for. The room's capacity is
//! drawn anew on every run; the seed is in the messages, and `COURSE_SEED=<seed>` draws it again.

use std::io::{BufRead, BufReader, ErrorKind, Write};
use std::net::{Ipv4Addr, Shutdown, SocketAddr, TcpStream};
use std::sync::mpsc::{self, Receiver, RecvTimeoutError, Sender};
use std::thread;
use std::time::{Duration, Instant};

use course_checks::seeded::Seeded;
use tokio::runtime::Runtime;

use super::serve_chat;

/// How long a check waits for one thing to happen: a batch of lines to arrive, a client to join.
const PATIENCE: Duration = Duration::from_secs(5);

/// How many lines the slow client lets go by while it reads nothing, and how long each is: 16 MB
/// in all, more than the buffers of both ends of its connection hold on any system.
const LAG_LINES: usize = 4_096;
const LINE_LENGTH: usize = 4_096;

/// How long the checks watch a room where nobody talks.
const QUIET: Duration = Duration::from_millis(300);

/// The most of that time the room's runtime may spend running tasks, all its threads together:
/// tasks that wait with `recv().await` run only when a line comes.
const RUNNING_WHILE_QUIET: f64 = 0.2;

/// The most times the room's runtime threads may go to sleep (park) during [`QUIET`], all
/// together: once each, and a little more; a task that sleeps a millisecond and looks again
/// makes hundreds.
const MOST_SLEEPS_WHILE_QUIET: u64 = 8;

/// What a reader thread saw: a line, or the end of the connection.
#[derive(Debug)]
enum Heard {
    Line(String),
    Closed(String),
}

/// The room, running on its own runtime: stopped when dropped.
struct Room {
    address: SocketAddr,
    runtime: Option<Runtime>,
}

impl Room {
    fn start(capacity: usize) -> Room {
        let runtime = tokio::runtime::Builder::new_multi_thread()
            .worker_threads(2)
            .enable_all()
            .build()
            .expect("a tokio runtime");
        let listener = runtime
            .block_on(tokio::net::TcpListener::bind((Ipv4Addr::LOCALHOST, 0)))
            .expect("a listener on 127.0.0.1");
        let address = listener.local_addr().unwrap();
        runtime.spawn(serve_chat(listener, capacity));
        Room {
            address,
            runtime: Some(runtime),
        }
    }

    /// A client that reads everything the room sends it, on a thread of its own.
    fn reader(&self) -> Client {
        let stream = TcpStream::connect(self.address).expect("connect to the room");
        Client::new(stream, None)
    }

    /// A client with a small receive buffer that reads until its first `hello` and then nothing,
    /// until `go` says so.
    fn slow_reader(&self, go: Receiver<()>) -> Client {
        let runtime = self.runtime.as_ref().unwrap();
        let address = self.address;
        let stream = runtime.block_on(async move {
            let socket = tokio::net::TcpSocket::new_v4()?;
            socket.set_recv_buffer_size(4096)?;
            socket.connect(address).await?.into_std()
        });
        let stream = stream.expect("connect to the room");
        stream.set_nonblocking(false).unwrap();
        Client::new(stream, Some(go))
    }
}

impl Drop for Room {
    fn drop(&mut self) {
        if let Some(runtime) = self.runtime.take() {
            runtime.shutdown_background();
        }
    }
}

/// A client of the room: its stream, to write to, and what its reader thread heard.
struct Client {
    stream: TcpStream,
    heard: Receiver<Heard>,
}

impl Client {
    fn new(stream: TcpStream, gate: Option<Receiver<()>>) -> Client {
        stream.set_write_timeout(Some(PATIENCE)).unwrap();
        let reading = stream.try_clone().unwrap();
        let (tell, heard) = mpsc::channel();
        thread::spawn(move || read_lines(reading, gate, &tell));
        Client { stream, heard }
    }

    fn send(&mut self, line: &str) -> Result<(), String> {
        self.stream
            .write_all(format!("{line}\n").as_bytes())
            .map_err(|error| match error.kind() {
                ErrorKind::WouldBlock | ErrorKind::TimedOut => format!(
                    "a client could not send {line:?} for {PATIENCE:?}: the room stopped \
                     reading what its clients send"
                ),
                _ => format!("a client could not send {line:?}: {error}"),
            })
    }

    /// The next line this client gets, within [`PATIENCE`].
    fn next(&self) -> Result<String, String> {
        match self.heard.recv_timeout(PATIENCE) {
            Ok(Heard::Line(line)) => Ok(line),
            Ok(Heard::Closed(why)) => Err(format!("the room closed the connection ({why})")),
            Err(RecvTimeoutError::Timeout) => Err(format!("nothing came for {PATIENCE:?}")),
            Err(RecvTimeoutError::Disconnected) => Err("the reader stopped".to_string()),
        }
    }

    /// The next line that is not a `hello`.
    fn next_but_hellos(&self) -> Result<String, String> {
        loop {
            let line = self.next()?;
            if !line.starts_with("hello ") {
                return Ok(line);
            }
        }
    }
}

/// Reads `stream` line by line and tells each line; a gated reader stops after its first
/// `hello` until the gate opens.
fn read_lines(stream: TcpStream, gate: Option<Receiver<()>>, tell: &Sender<Heard>) {
    let mut reader = BufReader::new(stream);
    let mut gate = gate;
    loop {
        let mut line = String::new();
        match reader.read_line(&mut line) {
            Ok(0) => {
                let _ = tell.send(Heard::Closed("end of stream".to_string()));
                return;
            }
            Ok(_) => {
                let line = line.trim_end_matches(['\n', '\r']).to_string();
                let hello = line.starts_with("hello ");
                if tell.send(Heard::Line(line)).is_err() {
                    return;
                }
                if hello && let Some(gate) = gate.take() {
                    // Reads nothing more until the check says so (or gives up).
                    let _ = gate.recv();
                }
            }
            Err(error) => {
                let _ = tell.send(Heard::Closed(error.to_string()));
                return;
            }
        }
    }
}

/// `sender` says `hello N` every 20 ms until each of `readers` has heard one: then they are all
/// in the room. Returns every hello sent, and the first each reader heard.
fn until_everyone_joined(sender: &mut Client, readers: &[&Client]) -> (Vec<String>, Vec<String>) {
    let started = Instant::now();
    let mut sent = Vec::new();
    let mut joined: Vec<Option<String>> = vec![None; readers.len()];
    while !joined.iter().all(Option::is_some) {
        assert!(
            started.elapsed() < PATIENCE,
            "clients connected to the room, and for {PATIENCE:?} a line said every 20 ms by one \
             of them reached only {} of the {} others: does the room accept every client, and \
             send every line to every other client?",
            joined.iter().filter(|j| j.is_some()).count(),
            readers.len()
        );
        let hello = format!("hello {}", sent.len());
        sender
            .send(&hello)
            .unwrap_or_else(|message| panic!("{message}"));
        sent.push(hello);
        thread::sleep(Duration::from_millis(20));
        for (reader, joined) in readers.iter().zip(&mut joined) {
            while let Ok(heard) = reader.heard.try_recv() {
                match heard {
                    Heard::Line(line) if line.starts_with("hello ") => {
                        joined.get_or_insert(line);
                    }
                    Heard::Line(line) => panic!("a client got {line:?}, which no one sent"),
                    Heard::Closed(why) => panic!("the room closed a client's connection: {why}"),
                }
            }
        }
    }
    (sent, joined.into_iter().flatten().collect())
}

fn long_line(number: usize) -> String {
    let head = format!("line {number:05} ");
    format!("{head}{}", "x".repeat(LINE_LENGTH - head.len()))
}

#[test]
#[ignore = "checked by cargo xtask verify"]
fn a_client_that_reads_nothing_holds_up_no_one() {
    let mut seeded = Seeded::new();
    let seed = seeded.seed();
    // The smallest capacity, and a larger one drawn: a room that holds a number of its own (or
    // at least one), which one capacity may happen to match, meets the other.
    for capacity in [128, seeded.pick(&[256, 512])] {
        lag_behind(capacity, seed);
    }
}

/// A fast reader, a client that reads nothing while [`LAG_LINES`] lines go by, and a sender, in
/// a room of `capacity`.
fn lag_behind(capacity: usize, seed: u64) {
    let room = Room::start(capacity);
    let (go, gate) = mpsc::channel();
    let fast = room.reader();
    let slow = room.slow_reader(gate);
    let mut sender = room.reader();
    let (hellos, first_heard) = until_everyone_joined(&mut sender, &[&fast, &slow]);
    // The slow client reads nothing after the first hello it heard (its reader waits at the
    // gate): every line sent after that one is for it to get, or to be told it missed.
    let first_hello = first_heard[1].clone();
    let mut sent: Vec<String> = hellos
        .iter()
        .skip_while(|hello| **hello != first_hello)
        .skip(1)
        .cloned()
        .collect();
    // A window of lines in flight: the sender sends while fewer than half the capacity are on
    // their way to the fast reader, so that it never falls behind by the checks' doing.
    let window = capacity / 2;
    let mut next_to_send = 0;
    for number in 0..LAG_LINES {
        while next_to_send < LAG_LINES && next_to_send < number + window {
            let line = long_line(next_to_send);
            sender.send(&line).unwrap_or_else(|message| {
                panic!("{message}, after {next_to_send} of {LAG_LINES} lines (seed {seed})")
            });
            sent.push(line);
            next_to_send += 1;
        }
        match fast.next_but_hellos() {
            Ok(line) if line == long_line(number) => {}
            Ok(line) if line.starts_with("! missed") => panic!(
                "a fast reader was told {line:?}, though it never fell more than {window} \
                 lines behind and the room's capacity is {capacity} (seed {seed})"
            ),
            Ok(line) => panic!(
                "a fast reader expected line {number} and got {:?}: lines must reach every \
                 client in the order they were sent (seed {seed})",
                line.get(..20).unwrap_or(&line)
            ),
            Err(why) => panic!(
                "a fast reader got {number} of the {LAG_LINES} lines and then {why}, while \
                 another client read nothing at all: the room waits for the client that does \
                 not read (its socket is full), and so holds up everyone. Write to each client \
                 from a task of its own, fed by a channel that never waits for a slow receiver \
                 (`tokio::sync::broadcast`) (seed {seed})"
            ),
        }
    }
    // The slow client reads again; the sender says `ping N` until it hears one.
    go.send(()).unwrap();
    let mut got = Vec::new();
    let started = Instant::now();
    let mut pinged = 0;
    'reading: loop {
        let ping = format!("ping {pinged}");
        sender
            .send(&ping)
            .unwrap_or_else(|message| panic!("{message}"));
        sent.push(ping);
        pinged += 1;
        let mut quiet = Instant::now();
        loop {
            match slow.heard.recv_timeout(Duration::from_millis(20)) {
                Ok(Heard::Line(line)) => {
                    let ping = line.starts_with("ping ");
                    got.push(line);
                    if ping {
                        break 'reading;
                    }
                    quiet = Instant::now();
                }
                Ok(Heard::Closed(why)) => panic!(
                    "the room closed the connection of the client that fell behind ({why}), \
                     after sending it {} lines: a slow client stays in the room; it misses \
                     lines, and is told how many with `! missed N lines` (seed {seed})",
                    got.len()
                ),
                Err(_) if quiet.elapsed() >= Duration::from_millis(20) => break,
                Err(_) => {}
            }
        }
        assert!(
            started.elapsed() < PATIENCE * 2,
            "the client that fell behind read again, got {} lines, and then nothing more for \
             {:?}, though a line came every 20 ms: it must stay in the room (seed {seed})",
            got.len(),
            PATIENCE * 2
        );
    }
    account_for_every_line(&sent, &got, capacity, seed);
}

/// Checks what the slow client got against what was sent after its first hello: every line it
/// got was sent, in order, once; every line it did not get is counted by a notice.
fn account_for_every_line(sent: &[String], got: &[String], capacity: usize, seed: u64) {
    let mut next = 0; // the index in `sent` the next line must come from, or after
    let (mut received, mut told) = (0, 0);
    for line in got {
        if let Some(count) = line
            .strip_prefix("! missed ")
            .and_then(|rest| rest.strip_suffix(" lines"))
        {
            told += count.parse::<usize>().unwrap_or_else(|_| {
                panic!("the notice {line:?} must read `! missed N lines`, N a number")
            });
            continue;
        }
        let short = line.get(..20).unwrap_or(line);
        let Some(offset) = sent[next..].iter().position(|s| s == line) else {
            let twice = sent[..next].contains(line);
            panic!(
                "the client that fell behind got {short:?} {}: each line must reach it once, in \
                 the order it was sent (seed {seed})",
                if twice {
                    "twice, or out of order"
                } else {
                    "which no one sent"
                }
            );
        };
        next += offset + 1;
        received += 1;
    }
    let missed = next - received;
    assert!(
        missed > 0,
        "the client that fell behind read nothing while {LAG_LINES} lines of {LINE_LENGTH} bytes \
         went by, and then got every one of them: the room kept every line for it, without a \
         bound. A client may fall at most `capacity` ({capacity}) lines behind; after that it \
         misses lines, and is told how many (seed {seed})"
    );
    assert!(
        told > 0,
        "the client that fell behind missed {missed} lines and was never told: send it \
         `! missed N lines` before the next line it gets (broadcast's `RecvError::Lagged(N)` \
         says N) (seed {seed})"
    );
    assert_eq!(
        told, missed,
        "the notices told the client that fell behind it missed {told} lines, but it missed \
         {missed} of the lines sent while it was in the room (seed {seed})"
    );
    // The lines it got after its last notice that were sent while it read nothing: what the
    // room kept for it, at most `capacity`.
    let last_notice = got.iter().rposition(|line| line.starts_with("! missed "));
    let kept = got[last_notice.map_or(0, |at| at + 1)..]
        .iter()
        .filter(|line| !line.starts_with("ping "))
        .count();
    assert!(
        kept <= capacity,
        "after the notice of the lines it missed, the client that fell behind got {kept} more \
         lines sent while it read nothing: the room kept more than its capacity ({capacity}) \
         for it. Use `capacity` as the channel's size, not a number of your own (seed {seed})"
    );
}

#[test]
#[ignore = "checked by cargo xtask verify"]
fn every_client_gets_every_other_line_in_one_order() {
    let room = Room::start(64);
    let (first, second) = (room.reader(), room.reader());
    let (mut alice, mut bob) = (room.reader(), room.reader());
    // One client comes and goes: the room goes on without it.
    drop(room.reader());
    until_everyone_joined(&mut alice, &[&first, &second, &bob]);
    for round in 0..25 {
        let lines =
            |who: &str| -> Vec<String> { (0..8).map(|n| format!("{who} {round}.{n}")).collect() };
        let (from_alice, from_bob) = (lines("alice"), lines("bob"));
        // Both send at once, from two threads: the room decides the order.
        thread::scope(|scope| {
            scope.spawn(|| {
                for line in &from_alice {
                    alice
                        .send(line)
                        .unwrap_or_else(|message| panic!("{message}"));
                }
            });
            for line in &from_bob {
                bob.send(line).unwrap_or_else(|message| panic!("{message}"));
            }
        });
        let mut seen = [Vec::new(), Vec::new()];
        for (reader, seen) in [&first, &second].into_iter().zip(&mut seen) {
            for _ in 0..16 {
                let line = reader.next_but_hellos().unwrap_or_else(|why| {
                    panic!(
                        "a client got {} of the 16 lines of round {round} and then {why}",
                        seen.len()
                    )
                });
                seen.push(line);
            }
        }
        assert_eq!(
            seen[0], seen[1],
            "two clients got the lines of two senders in different orders: every client must \
             get every line in one order, the order the room took them in"
        );
        for (who, sent) in [("alice ", &from_alice), ("bob ", &from_bob)] {
            let theirs: Vec<&String> = seen[0].iter().filter(|l| l.starts_with(who)).collect();
            assert!(
                theirs.iter().copied().eq(sent.iter()),
                "one client sent {sent:?} in round {round}, and another got {theirs:?} of it: \
                 each line once, in the order it was sent"
            );
        }
    }
}

#[test]
#[ignore = "checked by cargo xtask verify"]
fn a_sender_does_not_get_its_own_lines() {
    let room = Room::start(16);
    let mut alice = room.reader();
    let mut bob = room.reader();
    until_everyone_joined(&mut alice, &[&bob]);
    until_everyone_joined(&mut bob, &[&alice]);
    // Alice may still get some of Bob's hellos; then Alice speaks, Bob hears it, Bob answers.
    alice
        .send("from alice")
        .unwrap_or_else(|message| panic!("{message}"));
    let heard = bob
        .next_but_hellos()
        .unwrap_or_else(|why| panic!("Bob: {why}"));
    assert_eq!(heard, "from alice", "Bob expected Alice's line");
    bob.send("from bob")
        .unwrap_or_else(|message| panic!("{message}"));
    let heard = alice
        .next_but_hellos()
        .unwrap_or_else(|why| panic!("Alice sent a line, then Bob did, and Alice: {why}"));
    assert_eq!(
        heard, "from bob",
        "Alice sent a line, then Bob did, and the next line Alice got was {heard:?}: a client \
         gets every line but its own"
    );
    // Lines as they were sent: spaces around them, and a blank one, reach Alice as they are.
    for line in ["  spaced out\t ", "", "after the blank line"] {
        bob.send(line).unwrap_or_else(|message| panic!("{message}"));
        let heard = alice
            .next_but_hellos()
            .unwrap_or_else(|why| panic!("Bob said {line:?}, and Alice: {why}"));
        assert_eq!(
            heard, line,
            "Bob said {line:?}, and Alice got {heard:?}: every line must reach the others as it \
             was sent, spaces and blank lines too"
        );
    }
    // Bob says Alice's very words: they are Bob's line, and Alice gets it.
    bob.send("from alice")
        .unwrap_or_else(|message| panic!("{message}"));
    match alice.next_but_hellos() {
        Ok(heard) => assert_eq!(
            heard, "from alice",
            "Bob said \"from alice\", the words Alice had said before, and the next line Alice got \
             was {heard:?}"
        ),
        Err(why) => panic!(
            "Bob said \"from alice\", the words Alice had said before, and Alice did not get it \
             ({why}): the room tells a client's own lines by their words, not by who sent them. \
             A client gets every line but its own: tag each line with its sender (its address, \
             or an id of its own) and skip only those"
        ),
    }
}

#[test]
#[ignore = "checked by cargo xtask verify"]
fn when_clients_leave_their_tasks_end() {
    let mut seeded = Seeded::new();
    let seed = seeded.seed();
    let guests = seeded.size(2, 5);
    let room = Room::start(16);
    let tasks_alive = || {
        room.runtime
            .as_ref()
            .map_or(0, |runtime| runtime.metrics().num_alive_tasks())
    };
    let mut alice = room.reader();
    let mut bob = room.reader();
    until_everyone_joined(&mut alice, &[&bob]);
    until_everyone_joined(&mut bob, &[&alice]);
    let before = tasks_alive();
    let visitors: Vec<Client> = (0..guests).map(|_| room.reader()).collect();
    let mut everyone: Vec<&Client> = visitors.iter().collect();
    everyone.push(&bob);
    until_everyone_joined(&mut alice, &everyone);
    // The guests leave (their connections closed both ways); Alice goes on talking to Bob, so
    // that a task that writes to a client that left finds out.
    for visitor in &visitors {
        let _ = visitor.stream.shutdown(Shutdown::Both);
    }
    drop(visitors);
    let started = Instant::now();
    let mut said = 0;
    while tasks_alive() > before {
        assert!(
            started.elapsed() < PATIENCE,
            "{guests} clients came into the room and left (their connections closed), and \
             {PATIENCE:?} later, while the others still talked, the room ran {} tasks, {} more \
             than before they came: tasks for clients that left are still running (a task that \
             writes to a client and goes on after a failed write, or is never stopped when the \
             client's reading ends). End each client's tasks when it leaves (seed {seed})",
            tasks_alive(),
            tasks_alive().saturating_sub(before)
        );
        let line = format!("after {said}");
        alice
            .send(&line)
            .unwrap_or_else(|message| panic!("{message}"));
        said += 1;
        let heard = bob
            .next_but_hellos()
            .unwrap_or_else(|why| panic!("Bob, after the guests left: {why}"));
        assert_eq!(heard, line, "Bob expected Alice's line");
        thread::sleep(Duration::from_millis(20));
    }
}

#[test]
#[ignore = "checked by cargo xtask verify"]
fn a_room_where_nobody_talks_sleeps() {
    let room = Room::start(16);
    let mut alice = room.reader();
    let mut bob = room.reader();
    until_everyone_joined(&mut alice, &[&bob]);
    until_everyone_joined(&mut bob, &[&alice]);
    // The last hellos settle; then nobody says anything while the runtime is watched.
    thread::sleep(Duration::from_millis(100));
    let metrics = room.runtime.as_ref().expect("the room runs").metrics();
    let workers = 0..metrics.num_workers();
    let busy = || -> Duration {
        workers
            .clone()
            .map(|worker| metrics.worker_total_busy_duration(worker))
            .sum()
    };
    let parks = || -> u64 {
        workers
            .clone()
            .map(|worker| metrics.worker_park_count(worker))
            .sum()
    };
    let (busy_before, parks_before) = (busy(), parks());
    let started = Instant::now();
    thread::sleep(QUIET);
    let wall = started.elapsed();
    let (busy, parks) = (busy().saturating_sub(busy_before), parks() - parks_before);
    let running = busy.as_secs_f64() / wall.as_secs_f64().max(1e-9);
    assert!(
        running < RUNNING_WHILE_QUIET,
        "while nobody said anything for {wall:.1?}, the room's runtime kept its threads running \
         tasks for {busy:.1?} ({:.0}% of one thread): a task checks for the next line again and \
         again (`try_recv` and `yield_now` in a loop) instead of sleeping until one comes \
         (`recv().await`)",
        running * 100.0
    );
    assert!(
        parks <= MOST_SLEEPS_WHILE_QUIET,
        "while nobody said anything for {wall:.1?}, the room's runtime threads went to sleep and \
         woke up {parks} times: a task checks for the next line again and again, sleeping a \
         little in between (`try_recv` and `tokio::time::sleep` in a loop), instead of sleeping \
         until one comes (`recv().await`)"
    );
    alice
        .send("after the quiet")
        .unwrap_or_else(|message| panic!("{message}"));
    let heard = bob
        .next_but_hellos()
        .unwrap_or_else(|why| panic!("Bob, after the quiet: {why}"));
    assert_eq!(heard, "after the quiet", "Bob expected Alice's line");
}
