//! Wrong: at the shutdown, aborts every answer in flight at once: requests that would have
//! finished are cut off.
//! verify says: "was cut off"

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
    in_flight.shutdown().await;
}

#[cfg(test)]
#[path = "../checks.rs"]
mod checks;
