//! The async `GET` of lesson 10, with hyper on tokio: the lesson's tasks call [`client`], and its
//! exercises the functions here, which take a URL (`use course_async_client as async_download;`),
//! so that your file holds only your part and downloads as the lesson does.

use std::net::SocketAddr;

use hyper::body::Incoming;

pub mod client;

/// Starts downloading `url` (`http://127.0.0.1:PORT/PATH`) on a connection of its own: the
/// response's body, to read chunk by chunk with [`next_chunk`] as it arrives, or why there is
/// none (no connection, or an answer other than `200 OK`).
pub async fn get(url: &str) -> Result<Incoming, String> {
    let (address, path) = address_and_path(url)?;
    client::get(address, path)
        .await
        .map_err(|error| format!("{url}: {error}"))
}

/// The next chunk of a body, `None` at its end.
pub use client::next_chunk;

/// Downloads `url` and returns its whole body, or why there is none.
pub async fn download(url: &str) -> Result<Vec<u8>, String> {
    let (address, path) = address_and_path(url)?;
    let body = client::get_all(address, path.to_string())
        .await
        .map_err(|error| format!("{url}: {error}"))?;
    Ok(body.to_vec())
}

/// The server's address and the path of `url` (`http://127.0.0.1:PORT/PATH`).
fn address_and_path(url: &str) -> Result<(SocketAddr, &str), String> {
    let rest = url
        .strip_prefix("http://")
        .ok_or_else(|| format!("{url} is not an http:// address"))?;
    let (host, path) = rest.split_at(rest.find('/').unwrap_or(rest.len()));
    let address = host
        .parse()
        .map_err(|_| format!("{host} is not an IP address and port"))?;
    Ok((address, if path.is_empty() { "/" } else { path }))
}
