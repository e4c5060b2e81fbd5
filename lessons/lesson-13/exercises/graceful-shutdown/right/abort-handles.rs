//! Right: `tokio::spawn` with a list of `AbortHandle`s; the finished ones are counted down on a
//! channel, and at the deadline every handle is aborted and its task awaited.

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
    let (finished, mut finishing) = tokio::sync::mpsc::unbounded_channel::<()>();
    let mut handles = Vec::new();
    loop {
        tokio::select! {
            () = shutdown.cancelled() => break,
            accepted = listener.accept() => {
                if let Ok((stream, _)) = accepted {
                    let finished = finished.clone();
                    let answering = answer(stream);
                    handles.push(tokio::spawn(async move {
                        answering.await;
                        let _ = finished.send(());
                    }));
                }
            }
        }
    }
    drop(listener);
    drop(finished);
    let all_finish = async { while finishing.recv().await.is_some() {} };
    let _ = tokio::time::timeout(deadline, all_finish).await;
    for handle in &handles {
        handle.abort();
    }
    for handle in handles {
        let _ = handle.await;
    }
}

#[cfg(test)]
#[path = "../checks.rs"]
mod checks;
