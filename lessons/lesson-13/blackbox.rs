//! Lesson 13 run as a learner runs it; its output is compared exactly by the conventions test
//! (parts 1, 2, 3 and 5 run on tokio's paused clock: the same on every run, to the tenth of a
//! second). Here: what is particular to it.

use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::process::{Child, Command, Stdio};
use std::sync::mpsc;
use std::thread;
use std::time::Duration;

use course_tests::{lesson_binary, run_ok, run_python, run_usage_error};

/// The figure after `label` on the line of `output` that contains it, as a duration.
fn latency_of(output: &str, label: &str) -> Duration {
    let line = output
        .lines()
        .find(|line| line.contains(label))
        .unwrap_or_else(|| panic!("no line with {label:?}:\n{output}"));
    let figure = line
        .split("the other task ")
        .nth(1)
        .and_then(|rest| rest.split(',').next())
        .unwrap_or_else(|| panic!("no latency in {line:?}"))
        .trim();
    let split = figure
        .find(|c: char| c.is_alphabetic() || c == 'µ')
        .unwrap_or_else(|| panic!("no unit in {line:?}"));
    let (number, unit) = figure.split_at(split);
    let number: f64 = number.parse().unwrap();
    Duration::from_secs_f64(match unit {
        "s" => number,
        "ms" => number / 1e3,
        "µs" => number / 1e6,
        "ns" => number / 1e9,
        other => panic!("unit {other} in {line:?}"),
    })
}

/// Part 4: while the job blocks the runtime's one thread, the other task cannot run at all (its
/// lateness is the job's length, by construction); on `spawn_blocking` it keeps running.
#[test]
fn a_job_on_spawn_blocking_leaves_the_other_tasks_running() {
    let job = Duration::from_millis(400);
    let output = run_ok("lesson-13", &["--job-ms", "400", "--part", "blocking"]);
    assert!(
        latency_of(&output, "job blocking the runtime") >= job * 9 / 10,
        "{output}"
    );
    assert!(
        latency_of(&output, "job on spawn_blocking") < job / 2,
        "{output}"
    );
}

/// The lines of a run without its headings, and with its times (tenths of a second) cut out:
/// Python's run on the real clock, Rust's on tokio's paused clock.
fn events(text: &str) -> Vec<String> {
    text.lines()
        .filter(|line| !line.starts_with("==") && !line.ends_with(':'))
        .map(|line| match line.split_once(" at ") {
            Some((before, after)) => {
                format!(
                    "{before} at _;{}",
                    after.split_once(';').map_or("", |(_, rest)| rest)
                )
            }
            None => line.to_string(),
        })
        .collect()
}

/// Part 1 in Python's asyncio: `create_task` leaves a task running, `TaskGroup` cancels the rest
/// at the first error, as the Rust lesson's `tokio::spawn` and `JoinSet` do.
#[test]
fn the_python_way_cancels_as_part_1_does() {
    let Some(python) = run_python(
        "lessons/lesson-13/python/cancellation_asyncio.py",
        &["--part", "join-set", "--unit", "0.05"],
    ) else {
        return;
    };
    let rust = run_ok("lesson-13", &["--part", "join-set"]);
    assert_eq!(events(&python), events(&rust), "{python}\n{rust}");
}

/// Python's blocking call against `asyncio.to_thread` prints the lines Rust's part 4 prints, and
/// shows the same: a job on another thread leaves the event loop running.
#[test]
fn the_python_way_blocks_the_event_loop_as_part_4_does() {
    let Some(python) = run_python(
        "lessons/lesson-13/python/cancellation_asyncio.py",
        &["--part", "blocking", "--job", "0.4"],
    ) else {
        return;
    };
    let job = Duration::from_millis(400);
    assert!(
        latency_of(&python, "job blocking the loop") >= job * 9 / 10,
        "{python}"
    );
    assert!(
        latency_of(&python, "job on asyncio.to_thread") < job / 2,
        "{python}"
    );
    let timeout = run_python(
        "lessons/lesson-13/python/cancellation_asyncio.py",
        &["--part", "timeout"],
    )
    .expect("Python was there a moment ago");
    assert!(
        timeout.contains("time-out: cancelled the hour"),
        "{timeout}"
    );
}

/// `lesson-13 --serve`, with what it prints read on a thread, so that no read waits for ever.
struct Server {
    child: Child,
    lines: mpsc::Receiver<String>,
    address: String,
}

impl Server {
    fn start(deadline_ms: &str) -> Server {
        let mut child = Command::new(lesson_binary("lesson-13"))
            .args(["--serve", "--deadline-ms", deadline_ms])
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .expect("the lesson starts");
        let stdout = child.stdout.take().expect("piped");
        let (tell, lines) = mpsc::channel();
        thread::spawn(move || {
            for line in BufReader::new(stdout).lines().map_while(Result::ok) {
                if tell.send(line).is_err() {
                    break;
                }
            }
        });
        let mut server = Server {
            child,
            lines,
            address: String::new(),
        };
        let first = server.next_line("the address it serves on");
        server.address = first
            .strip_prefix("serving on ")
            .unwrap_or_else(|| panic!("first line: {first:?}"))
            .to_string();
        while !server
            .next_line("how to shut the server down")
            .starts_with("Ctrl-C")
        {}
        server
    }

    fn next_line(&mut self, waited_for: &str) -> String {
        if let Ok(line) = self.lines.recv_timeout(Duration::from_secs(20)) {
            line
        } else {
            let _ = self.child.kill();
            panic!("lesson-13 --serve printed no line in 20 s; waited for {waited_for}")
        }
    }

    /// Sends a request of `millis` of work, and waits until the server says `working`: it has
    /// accepted the request, which is in flight from then on.
    fn request_in_flight(&self, millis: u32) -> BufReader<TcpStream> {
        let mut client = TcpStream::connect(&self.address).expect("the server accepts");
        client
            .set_read_timeout(Some(Duration::from_secs(20)))
            .unwrap();
        writeln!(client, "{millis}").unwrap();
        let mut client = BufReader::new(client);
        let mut working = String::new();
        client
            .read_line(&mut working)
            .expect("the server says it is working within 20 s");
        assert_eq!(working, "working\n");
        client
    }

    fn wait_for_exit(mut self) {
        let status = (0..200)
            .find_map(|_| {
                thread::sleep(Duration::from_millis(100));
                self.child.try_wait().unwrap()
            })
            .unwrap_or_else(|| {
                let _ = self.child.kill();
                panic!("lesson-13 --serve did not exit within 20 s of its shutdown")
            });
        assert!(status.success(), "{status}");
    }
}

fn answer_of(mut client: BufReader<TcpStream>) -> String {
    let mut answer = String::new();
    client
        .read_to_string(&mut answer)
        .expect("an answer or the end of the connection within 20 s");
    answer
}

/// The end of standard input shuts the server down on every system: it stops accepting (a new
/// connection is refused) and aborts what the deadline does not let finish.
#[test]
fn the_end_of_input_shuts_the_server_down() {
    let mut server = Server::start("200");
    let long = server.request_in_flight(60_000);
    drop(server.child.stdin.take());
    let line = server.next_line("the shutdown");
    assert!(
        line.starts_with("end of input: stopped accepting; 1 in flight"),
        "{line}"
    );
    assert!(
        TcpStream::connect(&server.address).is_err(),
        "a new connection was accepted after the server stopped accepting"
    );
    assert_eq!(server.next_line("the drain"), "0 finished, 1 aborted");
    assert_eq!(
        answer_of(long),
        "",
        "the aborted request must get no answer"
    );
    server.wait_for_exit();
}

/// Ctrl-C (SIGINT, sent with `kill`) shuts the server down; the request in flight finishes.
#[cfg(unix)]
#[test]
fn ctrl_c_shuts_the_server_down_and_lets_requests_finish() {
    let mut server = Server::start("10000");
    let short = server.request_in_flight(300);
    let killed = Command::new("kill")
        .args(["-INT", &server.child.id().to_string()])
        .status()
        .expect("kill runs");
    assert!(killed.success());
    let line = server.next_line("the shutdown");
    assert!(
        line.starts_with("Ctrl-C: stopped accepting; 1 in flight"),
        "{line}"
    );
    assert_eq!(server.next_line("the drain"), "1 finished, 0 aborted");
    assert_eq!(answer_of(short), "done\n");
    server.wait_for_exit();
}

#[test]
fn the_serve_flags_are_checked() {
    let stderr = run_usage_error("lesson-13", &["--deadline-ms", "100"]);
    assert!(stderr.contains("--serve"), "{stderr}");
    let stderr = run_usage_error("lesson-13", &["--serve", "--part", "shutdown"]);
    assert!(stderr.contains("--part"), "{stderr}");
}
