//! Lesson 13: cancellation, shutdown and structured concurrency. Run it with
//! `cargo run -p lesson-13`; `--help` lists the flags.
mod cli;
mod clock;
mod running;
mod serve_mode;

use std::collections::HashMap;
use std::io::{self, Read, Write};
use std::net::{Ipv4Addr, SocketAddr};
use std::process::ExitCode;
use std::time::{Duration, Instant};

use cli::{Args, Part};
use running::Running;
use tokio::io::{AsyncBufRead, AsyncBufReadExt, AsyncWriteExt, BufReader};
use tokio::net::{TcpListener, TcpStream};
use tokio::sync::oneshot;
use tokio::task::JoinSet;
use tokio::time::sleep;
use tokio_util::sync::CancellationToken;

// ANCHOR: check
/// Check `n` of five: each takes its own time, and check 3 fails.
async fn check(n: usize, running: Running) -> Result<usize, String> {
    let _alive = running.enter(); // counted until this future ends or is dropped
    let tenths = [4, 1, 3, 2, 5][n - 1];
    sleep(Duration::from_millis(100 * tenths)).await;
    if n == 3 {
        Err(format!("check {n} failed: disk full"))
    } else {
        Ok(n)
    }
}
// ANCHOR_END: check

// ANCHOR: spawned
/// Awaits the checks in the order they were spawned, and returns at the first error.
async fn first_error_with_spawn(running: &Running) -> Result<(), String> {
    let handles: Vec<_> = (1..=5)
        .map(|n| tokio::spawn(check(n, running.clone())))
        .collect();
    for handle in handles {
        let n = handle.await.expect("a check panicked")?; // returns here...
        println!("check {n}: ok");
    }
    Ok(())
} // ...and a dropped JoinHandle does not stop its task: the checks not awaited go on
// ANCHOR_END: spawned

// ANCHOR: join_set
/// Takes the checks' results as they finish; the first error aborts the others.
async fn first_error_cancels_the_rest(running: &Running) -> Result<(), String> {
    let mut checks = JoinSet::new();
    let mut number_of = HashMap::new();
    for n in 1..=5 {
        number_of.insert(checks.spawn(check(n, running.clone())).id(), n);
    }
    while let Some(joined) = checks.join_next().await {
        match joined.expect("a check panicked") {
            Ok(n) => println!("check {n}: ok"),
            Err(error) => {
                checks.abort_all(); // each task is dropped where it stands...
                let mut cancelled = Vec::new();
                while let Some(Err(aborted)) = checks.join_next().await {
                    cancelled.push(number_of[&aborted.id()]); // ...and reported here
                }
                cancelled.sort_unstable();
                println!("{error}; cancelled: checks {cancelled:?}");
                return Err(error);
            }
        }
    }
    Ok(())
} // a JoinSet dropped early aborts its tasks too: none outlives it
// ANCHOR_END: join_set

async fn compare_spawn_and_join_set() {
    let start = tokio::time::Instant::now();
    let running = Running::default();
    println!("tokio::spawn, awaited in order:");
    if let Err(error) = first_error_with_spawn(&running).await {
        println!("{error}");
    }
    let left = running.now();
    println!(
        "returned at {}; checks still running: {left}",
        clock::since(start)
    );
    sleep(Duration::from_secs(1)).await; // the runtime lets them end before the next run

    let start = tokio::time::Instant::now();
    println!("JoinSet, results as they finish:");
    let _ = first_error_cancels_the_rest(&running).await; // it prints its error
    let left = running.now();
    println!(
        "returned at {}; checks still running: {left}",
        clock::since(start)
    );
}

// ANCHOR: lines_lost
/// Prints each line and each tick, whichever comes first. `read_line` is not cancel-safe: when
/// the tick wins, the bytes it had already taken from the reader go with its dropped future.
async fn lines_with_read_line(mut reader: impl AsyncBufRead + Unpin) {
    let mut tick = tokio::time::interval(Duration::from_millis(100));
    loop {
        let mut line = String::new();
        tokio::select! {
            biased;
            read = reader.read_line(&mut line) => match read {
                Ok(0) | Err(_) => break,
                Ok(_) => println!("  line {:?}", line.trim_end()),
            },
            _ = tick.tick() => println!("  tick"),
        }
    }
}
// ANCHOR_END: lines_lost

// ANCHOR: lines_kept
/// The same loop with `Lines::next_line`, which is cancel-safe: a line read in part stays in
/// `lines` for the next call.
async fn lines_with_next_line(reader: impl AsyncBufRead + Unpin) {
    let mut tick = tokio::time::interval(Duration::from_millis(100));
    let mut lines = reader.lines();
    loop {
        tokio::select! {
            biased;
            read = lines.next_line() => match read {
                Ok(Some(line)) => println!("  line {line:?}"),
                Ok(None) | Err(_) => break,
            },
            _ = tick.tick() => println!("  tick"),
        }
    }
}

/// Or keep the one unfinished read alive across the loop: pinned outside it, polled by
/// reference, replaced only when it has finished. The tick never drops it.
async fn lines_with_a_pinned_read(reader: impl AsyncBufRead + Unpin) {
    let mut tick = tokio::time::interval(Duration::from_millis(100));
    let read = read_one_line(reader);
    tokio::pin!(read);
    loop {
        tokio::select! {
            biased;
            (reader, line) = &mut read => match line {
                Some(line) => {
                    println!("  line {line:?}");
                    read.set(read_one_line(reader));
                }
                None => break,
            },
            _ = tick.tick() => println!("  tick"),
        }
    }
}

/// Reads one line, and gives the reader back with it (`None` at the end).
async fn read_one_line<R: AsyncBufRead + Unpin>(mut reader: R) -> (R, Option<String>) {
    let mut line = String::new();
    match reader.read_line(&mut line).await {
        Ok(0) | Err(_) => (reader, None),
        Ok(_) => (reader, Some(line.trim_end().to_string())),
    }
}
// ANCHOR_END: lines_kept

/// Sends "alpha" and half of "bravo", then the rest 150 ms later, after the first tick.
async fn send_three_lines(mut to_reader: tokio::io::DuplexStream) {
    let _ = to_reader.write_all(b"alpha\nbra").await;
    sleep(Duration::from_millis(150)).await;
    let _ = to_reader.write_all(b"vo\ncharlie\n").await;
}

async fn compare_line_readers() {
    println!("The sender writes \"alpha\\nbra\", then \"vo\\ncharlie\\n\" 150 ms later.");
    println!("read_line inside select!, a tick every 100 ms:");
    let (sender, reader) = tokio::io::duplex(64);
    let sending = tokio::spawn(send_three_lines(sender));
    lines_with_read_line(BufReader::new(reader)).await;
    let _ = sending.await;
    println!("Lines::next_line, which is cancel-safe:");
    let (sender, reader) = tokio::io::duplex(64);
    let sending = tokio::spawn(send_three_lines(sender));
    lines_with_next_line(BufReader::new(reader)).await;
    let _ = sending.await;
    println!("read_line pinned outside the loop:");
    let (sender, reader) = tokio::io::duplex(64);
    let sending = tokio::spawn(send_three_lines(sender));
    lines_with_a_pinned_read(BufReader::new(reader)).await;
    let _ = sending.await;
}

// ANCHOR: answer
/// Reads a number of milliseconds of work, says `working`, works that long, and says `done`.
async fn answer(mut stream: TcpStream) -> io::Result<()> {
    let mut request = String::new();
    BufReader::new(&mut stream).read_line(&mut request).await?;
    let millis: u64 = request.trim().parse().map_err(io::Error::other)?;
    stream.write_all(b"working\n").await?;
    sleep(Duration::from_millis(millis)).await;
    stream.write_all(b"done\n").await
}
// ANCHOR_END: answer

// ANCHOR: accept
/// Accepts connections until `shutdown` is cancelled; each is answered by a task of the set it
/// returns. Returning drops the listener: from then on, a new connection is refused.
async fn accept_until(listener: TcpListener, shutdown: CancellationToken) -> JoinSet<()> {
    let mut in_flight = JoinSet::new();
    loop {
        tokio::select! {
            () = shutdown.cancelled() => return in_flight,
            Some(_) = in_flight.join_next() => {} // the finished ones leave the set
            accepted = listener.accept() => {
                if let Ok((stream, _)) = accepted {
                    in_flight.spawn(async { let _ = answer(stream).await; });
                }
            }
        }
    }
}
// ANCHOR_END: accept

// ANCHOR: drain
/// Lets the requests in flight finish within `deadline`, then aborts the rest. Returns how many
/// finished and how many were aborted.
async fn drain(mut in_flight: JoinSet<()>, deadline: Duration) -> (usize, usize) {
    let mut finished = 0;
    let all_finish = async {
        while in_flight.join_next().await.is_some() {
            finished += 1;
        }
    };
    if tokio::time::timeout(deadline, all_finish).await.is_ok() {
        return (finished, 0);
    }
    let aborted = in_flight.len();
    in_flight.shutdown().await; // aborts them, and waits until each is dropped
    (finished, aborted)
}
// ANCHOR_END: drain

// ANCHOR: shutdown
async fn shut_down_gracefully(listener: TcpListener, address: SocketAddr) -> io::Result<()> {
    let start = tokio::time::Instant::now();
    let shutdown = CancellationToken::new();
    let server = tokio::spawn(accept_until(listener, shutdown.clone()));
    sleep(Duration::from_millis(500)).await; // in a real server: tokio::signal::ctrl_c()
    println!(
        "{}: shutting down, with a deadline of 10 s",
        clock::since(start)
    );
    shutdown.cancel();
    let in_flight = server.await?;
    match TcpStream::connect(address).await {
        Ok(_) => println!("a new connection: accepted"),
        Err(_) => println!("a new connection: refused"),
    }
    let (finished, aborted) = drain(in_flight, Duration::from_secs(10)).await;
    println!(
        "{}: {finished} finished, {aborted} aborted",
        clock::since(start)
    );
    Ok(())
}
// ANCHOR_END: shutdown

/// Three clients send their request before the server starts (they wait in the listener's
/// queue), so that the order of events depends on tokio's clock alone; then part 3 runs, and
/// each client reads what it got.
fn show_graceful_shutdown() -> io::Result<()> {
    let listener = std::net::TcpListener::bind((Ipv4Addr::LOCALHOST, 0))?;
    let address = listener.local_addr()?;
    let mut clients = Vec::new();
    for millis in [1_000, 1_000, 60_000] {
        let mut client = std::net::TcpStream::connect(address)?;
        client.set_read_timeout(Some(Duration::from_secs(30)))?;
        writeln!(client, "{millis}")?;
        clients.push((millis, client));
    }
    println!("Three requests in flight: 1 s, 1 s and 60 s of work.");
    let runtime = clock::paused_runtime()?;
    runtime.block_on(async {
        listener.set_nonblocking(true)?;
        shut_down_gracefully(TcpListener::from_std(listener)?, address).await
    })?;
    drop(runtime);
    for (millis, mut client) in clients {
        let mut answer = String::new();
        let got = match client.read_to_string(&mut answer) {
            Ok(_) if answer == "working\ndone\n" => "working, done",
            Ok(_) if answer == "working\n" => "working, then closed without an answer",
            Ok(_) => "something else",
            Err(_) => "no answer in 30 s",
        };
        println!(
            "client asking {} of work: {got}",
            clock::seconds(Duration::from_millis(millis))
        );
    }
    Ok(())
}

// ANCHOR: cpu_job
/// Keeps a core busy for `length`. No `.await` inside: it never gives its thread back.
fn cpu_job(length: Duration) -> u64 {
    let started = Instant::now();
    let mut rounds: u64 = 0;
    while started.elapsed() < length {
        rounds = std::hint::black_box(rounds + 1);
    }
    rounds
}

/// Another task: asks to wake every millisecond, and notes how late it woke at worst.
async fn worst_lateness(started: oneshot::Sender<()>, stop: CancellationToken) -> Duration {
    let mut worst = Duration::ZERO;
    let mut started = Some(started);
    loop {
        let due = tokio::time::Instant::now() + Duration::from_millis(1);
        tokio::select! {
            biased;
            () = tokio::time::sleep_until(due) => worst = worst.max(due.elapsed()),
            // Still waiting when told to stop: late by now, if it was due.
            () = stop.cancelled() => return worst.max(due.elapsed()),
        }
        started.take().map(|started| started.send(()));
    }
}

async fn lateness_while(job: impl Future<Output = ()>) -> Duration {
    let stop = CancellationToken::new();
    let (started, has_started) = oneshot::channel();
    let other = tokio::spawn(worst_lateness(started, stop.clone()));
    let _ = has_started.await; // the other task is waiting for its next wake-up
    job.await;
    stop.cancel();
    other.await.expect("the other task panicked")
}

#[allow(clippy::unused_async, reason = "a task's body, blocking on purpose")]
async fn job_inside_the_task(length: Duration) {
    cpu_job(length);
}

async fn job_on_spawn_blocking(length: Duration) {
    let job = tokio::task::spawn_blocking(move || cpu_job(length));
    job.await.expect("the job panicked");
}
// ANCHOR_END: cpu_job

fn compare_blocking_and_spawn_blocking(length: Duration) -> io::Result<()> {
    // One thread runs every task, as on a busy runtime whose threads are all taken.
    let runtime = clock::one_thread_runtime()?;
    println!(
        "A CPU job of {length:?} on a runtime with one thread; another task asks to wake every 1ms."
    );
    let blocked = runtime.block_on(lateness_while(job_inside_the_task(length)));
    let beside = runtime.block_on(lateness_while(job_on_spawn_blocking(length)));
    for (how, late) in [
        ("job blocking the runtime", blocked),
        ("job on spawn_blocking", beside),
    ] {
        let ratio = late.as_secs_f64() / length.as_secs_f64();
        println!("  {how:<25} worst latency of the other task {late:.1?}, ×{ratio:.2} the job");
    }
    Ok(())
}

// ANCHOR: paused_clock
async fn a_time_out_in_no_time() {
    let on_tokio = tokio::time::Instant::now();
    let on_the_wall = Instant::now();
    let an_hour = sleep(Duration::from_secs(3600));
    let cut = tokio::time::timeout(Duration::from_secs(10), an_hour).await;
    println!(
        "time-out: {}, after {} on tokio's clock and {:.1?} on the wall",
        if cut.is_err() {
            "cancelled the hour"
        } else {
            "the hour passed"
        },
        clock::since(on_tokio),
        on_the_wall.elapsed()
    );
}
// ANCHOR_END: paused_clock

// ANCHOR: main
fn main() -> ExitCode {
    let args: Args = course_support::parse_args();
    let done = if args.serve {
        serve_mode::run(args.deadline_ms)
    } else {
        run(&args)
    };
    match done {
        Ok(()) => ExitCode::SUCCESS,
        Err(error) => {
            eprintln!("error: {error}");
            ExitCode::FAILURE
        }
    }
}

fn run(args: &Args) -> io::Result<()> {
    for part in args.parts.announced() {
        match part {
            Part::JoinSet => clock::paused_runtime()?.block_on(compare_spawn_and_join_set()),
            Part::CancelSafety => clock::paused_runtime()?.block_on(compare_line_readers()),
            Part::Shutdown => show_graceful_shutdown()?,
            Part::Blocking => compare_blocking_and_spawn_blocking(args.job_ms)?,
            Part::PausedClock => clock::paused_runtime()?.block_on(a_time_out_in_no_time()),
        }
    }
    Ok(())
}
// ANCHOR_END: main
