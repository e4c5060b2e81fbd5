//! HTTP on both sides of the loopback, with hyper: the async server the lesson's child process
//! runs, and (in `client.rs`) the async GET the lesson's tasks call. Kept out of `main.rs`, as
//! lesson 02 keeps ureq's calls in its `download.rs`: the listing shows tasks, not HTTP.
//!
//! The server answers, each after the latency it was started with:
//! - `GET /fileN.zip`: lesson 02's 128 KiB file N;
//! - `GET /hello`: six bytes, for the growth curve, where only the waiting matters;
//! - `GET /stalling/fileN.zip`: file N's first half, then, after the latency again, the rest: a
//!   download that stops half way, for the time-outs;
//! - anything else: `404 Not Found`.
//!
//! Every answer closes its connection, so the time-waits of closed connections stay on the
//! server's side and a client can open tens of thousands of them in a row.

use std::convert::Infallible;
use std::io;
use std::net::{Ipv4Addr, SocketAddr};
use std::time::Duration;

use http_body_util::channel::Channel;
use hyper::body::{Bytes, Frame, Incoming};
use hyper::service::service_fn;
use hyper::{Request, Response, StatusCode};
use hyper_util::rt::TokioIo;
use tokio::net::TcpSocket;

// The client is a crate of its own, so that the exercises of this lesson use the same one.
pub use course_async_client::client::{get, get_all, next_chunk};

/// How many connections may wait to be accepted: the kernel caps it (`net.core.somaxconn`).
const BACKLOG: u32 = 16_384;

/// Listens on `127.0.0.1` and an ephemeral port. Returns the address, and the future that
/// serves: one task per connection, each answer after `latency`.
pub fn bind(latency: Duration) -> io::Result<(SocketAddr, impl Future<Output = ()>)> {
    let socket = TcpSocket::new_v4()?;
    socket.bind((Ipv4Addr::LOCALHOST, 0).into())?;
    let listener = socket.listen(BACKLOG)?;
    let address = listener.local_addr()?;
    let serve = async move {
        loop {
            let Ok((stream, _)) = listener.accept().await else {
                // Out of file descriptors, or a connection reset before it was accepted: that
                // client sees its own error, and the server goes on with the others.
                tokio::time::sleep(Duration::from_millis(1)).await;
                continue;
            };
            tokio::spawn(async move {
                let answer_after_latency = service_fn(move |request: Request<Incoming>| {
                    answer(request.uri().path().to_string(), latency)
                });
                let _ = hyper::server::conn::http1::Builder::new()
                    .keep_alive(false)
                    .serve_connection(TokioIo::new(stream), answer_after_latency)
                    .await;
            });
        }
    };
    Ok((address, serve))
}

async fn answer(path: String, latency: Duration) -> Result<Response<Channel<Bytes>>, Infallible> {
    tokio::time::sleep(latency).await; // the slow network
    let (stalling, name) = match path.strip_prefix("/stalling/") {
        Some(name) => (true, name),
        None => (false, path.trim_start_matches('/')),
    };
    let (status, body) = if name == "hello" && !stalling {
        (StatusCode::OK, b"hello\n".to_vec())
    } else if course_loopback::file_number(name).is_some() {
        (StatusCode::OK, course_loopback::file_contents(name))
    } else {
        (StatusCode::NOT_FOUND, b"not found\n".to_vec())
    };
    let (mut sender, channel) = Channel::new(2);
    let mut body = Bytes::from(body);
    if stalling {
        // The second half is sent later, by a task of its own.
        tokio::spawn(async move {
            let first_half = body.split_to(body.len() / 2);
            if sender.send_data(first_half).await.is_err() {
                return;
            }
            tokio::time::sleep(latency).await;
            let _ = sender.send_data(body).await;
        });
    } else {
        // The whole answer fits into the channel at once: no task is needed to send it.
        let _ = sender.try_send(Frame::data(body));
    }
    let mut response = Response::new(channel);
    *response.status_mut() = status;
    Ok(response)
}
