//! `--serve`: part 3's server on 127.0.0.1 with the real clock, until Ctrl-C or the end of
//! standard input. Kept apart from `main.rs`, which is the listing the book shows.
//!
//! `tokio::signal::ctrl_c` works on Linux, macOS and Windows. The end of standard input (Ctrl-D
//! on a terminal; Ctrl-Z then Enter on Windows; or the program that started this one closing
//! the pipe) does the same, so that a test can shut the server down on every system.

use std::io::{self, BufRead, Write};
use std::net::Ipv4Addr;
use std::thread;
use std::time::Duration;

use tokio::net::TcpListener;
use tokio_util::sync::CancellationToken;

use crate::{accept_until, drain};

pub fn run(deadline: Duration) -> io::Result<()> {
    let runtime = tokio::runtime::Runtime::new()?;
    runtime.block_on(async {
        let listener = TcpListener::bind((Ipv4Addr::LOCALHOST, 0)).await?;
        println!("serving on {}", listener.local_addr()?);
        println!("each request: a line with a number of milliseconds of work; the answers: working, then done");
        println!("Ctrl-C (or the end of input) shuts the server down");
        io::stdout().flush()?;
        let shutdown = CancellationToken::new();
        let server = tokio::spawn(accept_until(listener, shutdown.clone()));
        let why = tokio::select! {
            pressed = tokio::signal::ctrl_c() => {
                pressed?;
                "Ctrl-C"
            }
            () = end_of_input() => "end of input",
        };
        shutdown.cancel();
        let in_flight = server.await?;
        println!(
            "{why}: stopped accepting; {} in flight, a deadline of {deadline:?}",
            in_flight.len()
        );
        io::stdout().flush()?;
        let (finished, aborted) = drain(in_flight, deadline).await;
        println!("{finished} finished, {aborted} aborted");
        Ok(())
    })
}

/// Ends when standard input does (read on a thread of its own, since tokio's runtime has no
/// portable way to wait for it without the feature "io-std").
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
