//! The download the exercises of lesson 10 call: `GET` with hyper on tokio, as the lesson does.
//! Included by each exercise (`#[path = "../../async_download.rs"] mod async_download;`), so
//! that your file holds only your part.
#![allow(dead_code, reason = "each exercise uses the part it needs")]

use std::net::SocketAddr;

use http_body_util::{BodyExt, Empty};
use hyper::Request;
use hyper::body::{Bytes, Incoming};
use hyper_util::rt::TokioIo;
use tokio::net::TcpStream;

/// Starts downloading `url` (`http://127.0.0.1:PORT/PATH`) on a connection of its own: the
/// response's body, to read chunk by chunk with [`next_chunk`] as it arrives, or why there is
/// none (no connection, or an answer other than `200 OK`).
pub async fn get(url: &str) -> Result<Incoming, String> {
    let rest = url
        .strip_prefix("http://")
        .ok_or_else(|| format!("{url} is not an http:// address"))?;
    let (host, path) = rest.split_at(rest.find('/').unwrap_or(rest.len()));
    let address: SocketAddr = host
        .parse()
        .map_err(|_| format!("{host} is not an IP address and port"))?;
    let stream = TcpStream::connect(address)
        .await
        .map_err(|error| format!("cannot connect to {address}: {error}"))?;
    let (mut sender, connection) = hyper::client::conn::http1::handshake(TokioIo::new(stream))
        .await
        .map_err(|error| error.to_string())?;
    tokio::spawn(connection);
    let request = Request::get(if path.is_empty() { "/" } else { path })
        .header("host", host)
        .header("connection", "close")
        .body(Empty::<Bytes>::new())
        .map_err(|error| error.to_string())?;
    let response = sender
        .send_request(request)
        .await
        .map_err(|error| error.to_string())?;
    if !response.status().is_success() {
        return Err(format!("{url}: the server answered {}", response.status()));
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

/// Downloads `url` and returns its whole body, or why there is none.
pub async fn download(url: &str) -> Result<Vec<u8>, String> {
    let body = get(url).await?;
    let body = body.collect().await.map_err(|error| error.to_string())?;
    Ok(body.to_bytes().to_vec())
}
