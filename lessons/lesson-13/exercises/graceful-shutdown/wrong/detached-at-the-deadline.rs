//! Wrong: `tokio::spawn` and a list of handles; at the deadline it returns, dropping the
//! handles, which does not stop their tasks.
//! verify says: "still running when serve returned"

use std::time::Duration;

use tokio::net::{TcpListener, TcpStream};
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
    let mut handles = Vec::new();
    loop {
        tokio::select! {
            () = shutdown.cancelled() => break,
            accepted = listener.accept() => {
                if let Ok((stream, _)) = accepted {
                    handles.push(tokio::spawn(answer(stream)));
                }
            }
        }
    }
    drop(listener);
    let all = async {
        for handle in handles {
            let _ = handle.await;
        }
    };
    let _ = tokio::time::timeout(deadline, all).await;
}

#[cfg(test)]
#[path = "../checks.rs"]
mod checks;
