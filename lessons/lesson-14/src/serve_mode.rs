//! `--serve`: the lesson's site on 127.0.0.1 until Ctrl-C or the end of standard input, for
//! another crawler to try. Kept apart from `main.rs`, which is the listing the book shows.
//!
//! `tokio::signal::ctrl_c` works on Linux, macOS and Windows. The end of standard input (Ctrl-D
//! on a terminal; Ctrl-Z then Enter on Windows; or the program that started this one closing
//! the pipe) does the same, so that a test can stop the server on every system.

use std::io::{self, BufRead, Write};
use std::process::ExitCode;
use std::thread;

use course_site::{Site, SiteOptions};

use crate::cli::Args;

pub fn run(args: &Args) -> io::Result<ExitCode> {
    let site = Site::start(SiteOptions {
        pages: args.pages,
        latency: args.latency_ms,
    })?;
    println!("serving a site of {} pages at {}", args.pages, site.url());
    println!("Ctrl-C (or the end of input) stops it and prints what the server saw");
    io::stdout().flush()?;
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()?;
    let why = runtime.block_on(async {
        tokio::select! {
            pressed = tokio::signal::ctrl_c() => pressed.map(|()| "Ctrl-C"),
            () = end_of_input() => Ok("end of input"),
        }
    })?;
    let seen = site.seen();
    let requests: usize = seen.requests.values().sum();
    println!(
        "{why}: {requests} requests for {} addresses, at most {} at once, {} to the other host",
        seen.requests.len(),
        seen.max_in_flight,
        seen.elsewhere
    );
    let mistakes = site.mistakes(course_site::site::BUSY_TIMES);
    if mistakes.is_empty() {
        println!("every page and trap fetched exactly once (the busy page with its retries)");
    } else {
        println!("as a crawl with retries on 503 would not:");
        for mistake in mistakes.iter().take(20) {
            println!("  {mistake}");
        }
    }
    Ok(ExitCode::SUCCESS)
}

/// Ends when standard input does (read on a thread of its own: tokio has no portable way to
/// wait for it without the feature "io-std").
async fn end_of_input() {
    let (ended, end) = tokio::sync::oneshot::channel::<()>();
    thread::spawn(move || {
        for line in io::stdin().lock().lines() {
            if line.is_err() {
                break;
            }
        }
        let _ = ended.send(());
    });
    let _ = end.await;
}
