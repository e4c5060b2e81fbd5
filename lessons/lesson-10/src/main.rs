//! Lesson 10: async I/O with tokio. Run it with `cargo run -p lesson-10`; `--help` lists the
//! flags.
mod cli;
mod growth;
mod http;
mod report;

use std::net::SocketAddr;
use std::path::Path;
use std::process::ExitCode;
use std::thread;
use std::time::{Duration, Instant};

use cli::{Args, Hidden, Part, Role, Strategy};
use growth::{POOL_THREADS, measure_in_child};
use report::{expected_checksum, left_behind, verdict};
use tokio::io::AsyncWriteExt;

const FILES: [&str; 3] = ["file1.zip", "file2.zip", "file3.zip"];

// ANCHOR: tasks
async fn download_as_tasks(server: SocketAddr) {
    let mut tasks = Vec::new();
    for name in FILES {
        println!("Starting download of {name}...");
        // A task is a future handed to the runtime: it starts now and runs alongside main.
        tasks.push(tokio::spawn(http::get_all(server, format!("/{name}"))));
    }
    // Awaited in the order they were spawned, like lesson 02's joins.
    for (task, name) in tasks.into_iter().zip(FILES) {
        match task.await.expect("a download task panicked") {
            Ok(body) if course_loopback::sha256_hex(&body) == expected_checksum(name) => {
                println!("Finished downloading {name}");
            }
            Ok(_) => println!("{name}: wrong checksum"),
            Err(error) => println!("{name}: {error}"),
        }
    }
    println!("All files have been downloaded.");
}
// ANCHOR_END: tasks

// ANCHOR: growth
fn compare_as_downloads_grow(server: SocketAddr, latency: Duration, max_downloads: usize) {
    println!("Each download waits {latency:?} for its answer; each line is one fresh process.");
    let mut measured = Vec::new();
    for count in [10, 100, 1_000, 10_000]
        .into_iter()
        .filter(|&n| n <= max_downloads)
    {
        for strategy in [Strategy::Threads, Strategy::Pool, Strategy::Tasks] {
            let label = growth::label(strategy);
            let rounds = count.div_ceil(POOL_THREADS);
            if strategy == Strategy::Pool && rounds > 10 {
                println!("{count:>6}  {label:<21} not run: {rounds} rounds of the latency");
                continue;
            }
            let timeout =
                latency * 3 * u32::try_from(rounds).unwrap_or(u32::MAX) + Duration::from_secs(60);
            match measure_in_child(strategy, count, server, timeout) {
                Ok(cost) => {
                    growth::print_cost(count, label, &cost, latency);
                    measured.push((strategy, count, cost));
                }
                Err(error) => println!("{count:>6}  {label:<21} {error}"),
            }
        }
    }
    growth::print_memory_per_download(&measured);
}
// ANCHOR_END: growth

// ANCHOR: blocking
/// Blocks the thread: no other task can run on it meanwhile.
#[allow(clippy::unused_async, reason = "a task's body, blocking on purpose")]
async fn wait_blocking(latency: Duration) {
    thread::sleep(latency);
}

/// Yields to the runtime, which runs other tasks and wakes this one when the time is up.
async fn wait_async(latency: Duration) {
    tokio::time::sleep(latency).await;
}

/// Blocks a thread of tokio's blocking pool, not the one the tasks run on.
async fn wait_on_blocking_pool(latency: Duration) {
    let blocked = tokio::task::spawn_blocking(move || thread::sleep(latency));
    blocked.await.expect("the blocking call panicked");
}
// ANCHOR_END: blocking

/// A task's body that waits one latency, in one of the three ways above.
type Wait = fn(Duration) -> std::pin::Pin<Box<dyn Future<Output = ()> + Send>>;

// ANCHOR: three_waits
async fn three_tasks(wait: Wait, latency: Duration) -> Duration {
    let started = Instant::now();
    let tasks: Vec<_> = (0..3).map(|_| tokio::spawn(wait(latency))).collect();
    for task in tasks {
        task.await.expect("a task panicked");
    }
    started.elapsed()
}
// ANCHOR_END: three_waits

fn show_a_blocking_call(latency: Duration) -> std::io::Result<()> {
    // One thread runs every task, as on a busy runtime where all its threads are taken.
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_time()
        .build()?;
    println!("Three tasks on one thread, each waiting {latency:?}:");
    let ways: [(&str, Wait); 3] = [
        ("std::thread::sleep", |d| Box::pin(wait_blocking(d))),
        ("tokio::time::sleep", |d| Box::pin(wait_async(d))),
        ("spawn_blocking", |d| Box::pin(wait_on_blocking_pool(d))),
    ];
    for (how, wait) in ways {
        let spinner = course_progress::Spinner::start(format!("  {how:<20}"));
        let wall = runtime.block_on(three_tasks(wait, latency));
        drop(spinner);
        let ratio = wall.as_secs_f64() / latency.as_secs_f64();
        println!("  {how:<20} wall {wall:.1?}, ×{ratio:.2} the latency");
    }
    Ok(())
}

// ANCHOR: straight_to_file
/// Writes each chunk into `dir/name` as it arrives.
async fn download_straight_to_file(
    server: SocketAddr,
    name: &str,
    dir: &Path,
) -> Result<(), String> {
    let mut file = tokio::fs::File::create(dir.join(name))
        .await
        .map_err(|e| e.to_string())?;
    let mut body = http::get(server, &format!("/stalling/{name}")).await?;
    while let Some(chunk) = http::next_chunk(&mut body).await? {
        file.write_all(&chunk).await.map_err(|e| e.to_string())?;
    }
    file.flush().await.map_err(|e| e.to_string())
}
// ANCHOR_END: straight_to_file

// ANCHOR: whole_or_nothing
/// Writes into a temporary file whose path deletes it when dropped, and renames it to
/// `dir/name` only once the whole file is in. A cancelled download drops the file (declared
/// last, so closed first) and then its path: nothing is left behind, on Windows too, where a
/// file still open elsewhere (by a write tokio still runs in the background) would only be
/// deleted when closed.
async fn download_whole_or_nothing(
    server: SocketAddr,
    path: &str,
    dir: &Path,
) -> Result<(), String> {
    let name = path.rsplit('/').next().unwrap_or(path);
    let (file, temporary) = tempfile::NamedTempFile::new_in(dir)
        .map_err(|e| e.to_string())?
        .into_parts();
    let mut file = tokio::fs::File::from_std(file);
    let mut body = http::get(server, path).await?;
    while let Some(chunk) = http::next_chunk(&mut body).await? {
        file.write_all(&chunk).await.map_err(|e| e.to_string())?;
        // tokio writes in the background: flushed, no write holds the file while we wait for
        // the next chunk, so a cancellation then closes it at once.
        file.flush().await.map_err(|e| e.to_string())?;
    }
    drop(file);
    temporary
        .persist(dir.join(name))
        .map_err(|e| e.to_string())?;
    Ok(())
}
// ANCHOR_END: whole_or_nothing

// ANCHOR: timeout
async fn cancel_with_time_outs(server: SocketAddr, latency: Duration, dir: &Path) {
    let deadline = latency * 3 / 2; // the answer starts after 1 latency, ends after 2
    println!("The server sends half of file1.zip, then stalls; we give up after {deadline:?}.");
    let cut = tokio::time::timeout(
        deadline,
        download_straight_to_file(server, "file1.zip", dir),
    );
    println!(
        "straight to the file: {}",
        verdict(cut.await, dir, "file1.zip")
    );
    std::fs::remove_file(dir.join("file1.zip")).ok();
    let cut = tokio::time::timeout(
        deadline,
        download_whole_or_nothing(server, "/stalling/file1.zip", dir),
    );
    println!(
        "whole or nothing:     {}",
        verdict(cut.await, dir, "file1.zip")
    );
    let no_deadline = download_whole_or_nothing(server, "/stalling/file1.zip", dir).await;
    println!(
        "whole or nothing, no deadline: {}",
        verdict(Ok(no_deadline), dir, "file1.zip")
    );
}
// ANCHOR_END: timeout

// ANCHOR: select
/// `select!` polls every branch, takes the first that ends and drops the others where they
/// stand, as a time-out drops its future.
async fn first_of_two_mirrors(server: SocketAddr, latency: Duration, dir: &Path) {
    let deadline = latency * 10;
    println!("file2.zip from two mirrors, one stalls half way; a deadline of {deadline:?}.");
    let first = tokio::select! {
        result = download_whole_or_nothing(server, "/stalling/file2.zip", dir) => {
            result.map(|()| "the stalling mirror")
        }
        result = download_whole_or_nothing(server, "/file2.zip", dir) => {
            result.map(|()| "the mirror that does not stall")
        }
        () = tokio::time::sleep(deadline) => Ok("the deadline"),
    };
    match first {
        Ok(first) => println!("first to end: {first}"),
        Err(error) => println!("a download failed first: {error}"),
    }
    println!("left behind: {}", left_behind(dir, "file2.zip"));
}
// ANCHOR_END: select

// ANCHOR: main
fn main() -> ExitCode {
    let args: Args = course_support::parse_args();
    if let Some(Hidden::Worker { role }) = args.hidden {
        let done = match role {
            Role::Serve { latency_ms } => growth::serve(latency_ms),
            Role::Measure {
                strategy,
                count,
                server,
            } => growth::measure(strategy, count, server),
        };
        return match done {
            Ok(()) => ExitCode::SUCCESS,
            Err(error) => {
                eprintln!("error: {error}");
                ExitCode::FAILURE
            }
        };
    }
    match run(&args) {
        Ok(()) => ExitCode::SUCCESS,
        Err(error) => {
            eprintln!("error: {error}");
            ExitCode::FAILURE
        }
    }
}

fn run(args: &Args) -> std::io::Result<()> {
    // What `#[tokio::main]` writes for you: a runtime with one worker thread per core.
    let runtime = tokio::runtime::Runtime::new()?;
    let latency = args.latency_ms;
    let (_server, address) = growth::start_server(latency)?;
    let out = tempfile::tempdir()?;
    for part in args.parts.announced() {
        match part {
            Part::Tasks => report::print_wall_time("tokio tasks", || {
                runtime.block_on(download_as_tasks(address));
            }),
            Part::Growth => compare_as_downloads_grow(address, latency, args.max_downloads),
            Part::Blocking => show_a_blocking_call(latency)?,
            Part::Timeout => {
                runtime.block_on(cancel_with_time_outs(address, latency, out.path()));
            }
            Part::Select => {
                let dir = tempfile::tempdir()?;
                runtime.block_on(first_of_two_mirrors(address, latency, dir.path()));
            }
        }
    }
    Ok(())
}
// ANCHOR_END: main
