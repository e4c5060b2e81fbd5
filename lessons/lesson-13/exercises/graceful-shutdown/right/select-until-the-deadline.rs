//! Right: one `select!` loop after the shutdown, between the next answer to finish and the
//! instant of the deadline.

use std::time::Duration;

use tokio::net::{TcpListener, TcpStream};
use tokio::task::JoinSet;
use tokio_util::sync::CancellationToken;

/// Accepts connections until `shutdown` is cancelled, then stops accepting, lets the answers in
/// flight finish for at most `deadline`, aborts the rest, and returns once all are gone.
pub async fn serve<F, Fut>(
    listener: TcpListener,
    shutdown: CancellationToken,
    deadline: Duration,
    answer: F,
) where
    F: Fn(TcpStream) -> Fut,
    Fut: Future<Output = ()> + Send + 'static,
{
    let mut in_flight = JoinSet::new();
    loop {
        tokio::select! {
            () = shutdown.cancelled() => break,
            accepted = listener.accept() => {
                if let Ok((stream, _)) = accepted {
                    in_flight.spawn(answer(stream));
                }
            }
        }
    }
    drop(listener);
    let stop_at = tokio::time::Instant::now() + deadline;
    loop {
        tokio::select! {
            finished = in_flight.join_next() => {
                if finished.is_none() {
                    break;
                }
            }
            () = tokio::time::sleep_until(stop_at) => {
                in_flight.abort_all();
                while in_flight.join_next().await.is_some() {}
                break;
            }
        }
    }
}

#[cfg(test)]
#[path = "../checks.rs"]
mod checks;
