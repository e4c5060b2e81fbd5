//! The async `GET` of lesson 10, with hyper on tokio, by server address and path: the lesson's
//! tasks call it.

use std::net::SocketAddr;

use http_body_util::{BodyExt, Empty};
use hyper::body::{Bytes, Incoming};
use hyper::header::{CONNECTION, HOST};
use hyper::{Request, StatusCode};
use hyper_util::rt::TokioIo;
use tokio::net::TcpStream;

/// `GET http://{server}{path}` on a connection of its own: the response's body, a stream of
/// chunks as they arrive, or why there is none.
pub async fn get(server: SocketAddr, path: &str) -> Result<Incoming, String> {
    let stream = TcpStream::connect(server)
        .await
        .map_err(|error| format!("cannot connect to {server}: {error}"))?;
    let (mut sender, connection) = hyper::client::conn::http1::handshake(TokioIo::new(stream))
        .await
        .map_err(|error| error.to_string())?;
    // The connection is driven by a task of its own while this one sends and reads.
    tokio::spawn(connection);
    let request = Request::get(path)
        .header(HOST, server.to_string())
        .header(CONNECTION, "close")
        .body(Empty::<Bytes>::new())
        .map_err(|error| error.to_string())?;
    let response = sender
        .send_request(request)
        .await
        .map_err(|error| error.to_string())?;
    if response.status() != StatusCode::OK {
        return Err(format!("the server answered {}", response.status()));
    }
    Ok(response.into_body())
}

/// The next chunk of `body`, `None` at its end.
pub async fn next_chunk(body: &mut Incoming) -> Result<Option<Bytes>, String> {
    while let Some(frame) = body.frame().await {
        let frame = frame.map_err(|error| error.to_string())?;
        if let Ok(data) = frame.into_data() {
            return Ok(Some(data));
        }
    }
    Ok(None)
}

/// The whole body of `GET http://{server}{path}`.
pub async fn get_all(server: SocketAddr, path: String) -> Result<Bytes, String> {
    let body = get(server, &path).await?;
    let collected = body.collect().await.map_err(|error| error.to_string())?;
    Ok(collected.to_bytes())
}
