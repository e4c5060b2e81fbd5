//~ starter:
//~ //! Exercise `graceful-shutdown` (lesson 13).
//~ solution:
//! Exercise `graceful-shutdown` (lesson 13): the reference solution.
//~ end
//!
//! A server told to stop must stop accepting at once (a new connection is refused), let every
//! request in flight finish, and not wait for ever: after `deadline`, what is left is aborted.
//! When `serve` returns, nothing it started is still running.
//!
//! Check your work: `cargo xtask verify graceful-shutdown`. Stuck? `cargo xtask hint
//! graceful-shutdown`. The checks in `checks.rs` run your server on 127.0.0.1 on tokio's paused
//! clock, with requests of their own that note when they start, finish or are dropped.

use std::time::Duration;

use tokio::net::{TcpListener, TcpStream};
//~ starter:
//~ solution:
use tokio::task::JoinSet;
//~ end
use tokio_util::sync::CancellationToken;

/// Accepts connections on `listener` until `shutdown` is cancelled, each answered by a task
/// running `answer(stream)`. Then stops accepting, lets the answers in flight finish for at most
/// `deadline`, aborts those still running, and returns once every task it started is gone.
pub async fn serve<F, Fut>(
    listener: TcpListener,
    shutdown: CancellationToken,
    deadline: Duration,
    answer: F,
) where
    F: Fn(TcpStream) -> Fut,
    Fut: Future<Output = ()> + Send + 'static,
{
    //~ starter:
    //~ // TODO: at the shutdown this returns at once, and the answers in flight go on with nobody
    //~ // to stop them. Keep them in a `JoinSet`; at the shutdown, drop the listener, wait for
    //~ // them with `tokio::time::timeout(deadline, …)`, and abort the rest
    //~ // (`JoinSet::shutdown().await`) when the deadline comes first.
    //~ let _ = deadline;
    //~ loop {
    //~     tokio::select! {
    //~         () = shutdown.cancelled() => return,
    //~         accepted = listener.accept() => {
    //~             if let Ok((stream, _)) = accepted {
    //~                 tokio::spawn(answer(stream));
    //~             }
    //~         }
    //~     }
    //~ }
    //~ solution:
    let mut in_flight = JoinSet::new();
    loop {
        tokio::select! {
            () = shutdown.cancelled() => break,
            accepted = listener.accept() => {
                if let Ok((stream, _)) = accepted {
                    in_flight.spawn(answer(stream));
                }
            }
            Some(_) = in_flight.join_next() => {} // the finished ones leave the set
        }
    }
    drop(listener); // from here on, a new connection is refused
    let all_finish = async { while in_flight.join_next().await.is_some() {} };
    if tokio::time::timeout(deadline, all_finish).await.is_err() {
        in_flight.shutdown().await; // aborts the rest, and waits until each is dropped
    }
    //~ end
}

#[cfg(test)]
#[path = "../checks.rs"]
mod checks;
