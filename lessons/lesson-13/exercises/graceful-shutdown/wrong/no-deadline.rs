//! Wrong: waits for every answer in flight, however long it takes: the deadline never stops
//! anything.
//! verify says: "the deadline did not hold"

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
    let _ = deadline;
    while in_flight.join_next().await.is_some() {}
}

#[cfg(test)]
#[path = "../checks.rs"]
mod checks;
