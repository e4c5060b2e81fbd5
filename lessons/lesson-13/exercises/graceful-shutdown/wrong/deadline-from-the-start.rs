//! Wrong: the deadline is counted from when the server starts, not from the shutdown: the
//! answers in flight get less time than `deadline` (none at all once the server has run longer),
//! and requests that would have finished are cut off.
//! verify says: "counts from the shutdown"

use std::time::Duration;

use tokio::net::{TcpListener, TcpStream};
use tokio::task::JoinSet;
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
    // The moment the answers must be done by, set once, when the server starts.
    let deadline_at = tokio::time::Instant::now() + deadline;
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
    if tokio::time::timeout_at(deadline_at, all_finish)
        .await
        .is_err()
    {
        in_flight.shutdown().await; // aborts the rest, and waits until each is dropped
    }
}

#[cfg(test)]
#[path = "../checks.rs"]
mod checks;
