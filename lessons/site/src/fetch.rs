//! Fetching one address and reading its links: the part of a crawler that is not about
//! concurrency, shared by the lesson and its exercises, blocking (ureq) and async (hyper).

use std::fmt;
use std::time::Duration;

use url::Url;

/// The most of a body a crawler reads: a page larger than this is reported as too large, and
/// only the links in its first part are followed.
pub const MAX_BODY: usize = 1024 * 1024;

/// A link found on a page: what its `href` said, and the address it names once resolved against
/// the page's address, without its fragment (`#part-2` names a part of the same page).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Link {
    pub href: String,
    /// `None` if the `href` is not an address at all.
    pub url: Option<Url>,
}

/// What one request for an address brought back.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Fetched {
    /// `200 OK` (or another 2xx): a page, and its links if it is HTML.
    Page { links: Vec<Link> },
    /// A page larger than [`MAX_BODY`]: the links in its first [`MAX_BODY`] bytes; the rest was
    /// not read.
    TooLarge { links: Vec<Link> },
    /// A redirect (`301`, `302`, …) to `to`, which is not followed here: it is one more link.
    Redirect { status: u16, to: Link },
    /// Any other answer: `404 Not Found`, `503 Service Unavailable`, …
    Status(u16),
}

/// Why a request brought nothing back.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum FetchError {
    /// No answer within the time-out.
    TimedOut(Duration),
    /// No connection, or a broken one.
    Failed(String),
}

impl fmt::Display for FetchError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            FetchError::TimedOut(after) => write!(f, "no answer within {} ms", after.as_millis()),
            FetchError::Failed(why) => write!(f, "{why}"),
        }
    }
}

impl Fetched {
    /// The links to follow from this answer: a page's links, or a redirect's target.
    pub fn links(&self) -> &[Link] {
        match self {
            Fetched::Page { links } | Fetched::TooLarge { links } => links,
            Fetched::Redirect { to, .. } => std::slice::from_ref(to),
            Fetched::Status(_) => &[],
        }
    }

    /// Whether the server asked to be asked again later: `503 Service Unavailable`.
    pub fn is_busy(&self) -> bool {
        *self == Fetched::Status(503)
    }
}

/// Resolves `href` against `base`, as a browser would, and drops the fragment.
pub fn resolve(base: &Url, href: &str) -> Link {
    let url = base.join(href.trim()).ok().map(|mut url| {
        url.set_fragment(None);
        url
    });
    Link {
        href: href.to_string(),
        url,
    }
}

/// The links of the `<a href>` elements of `html`, in the order they appear, resolved against
/// `base`. The HTML is read by html5gum, a tokenizer that follows the HTML standard's rules, as a
/// browser's does.
pub fn links_in(html: &str, base: &Url) -> Vec<Link> {
    html5gum::Tokenizer::new(html)
        .flatten()
        .filter_map(|token| match token {
            html5gum::Token::StartTag(tag) if tag.name.as_slice() == b"a" => tag
                .attributes
                .get(b"href".as_slice())
                .map(|href| String::from_utf8_lossy(&href.value).into_owned()),
            _ => None,
        })
        .map(|href| resolve(base, &href))
        .collect()
}

/// What an answer with `status`, `location`, `content_type` and the first part of its body
/// means. `whole` is false when the body was longer than [`MAX_BODY`].
fn understand(
    url: &Url,
    status: u16,
    location: Option<&str>,
    content_type: Option<&str>,
    body: &[u8],
    whole: bool,
) -> Fetched {
    match status {
        200..=299 => {
            let is_html = content_type.is_some_and(|t| t.starts_with("text/html"));
            let links = if is_html {
                links_in(&String::from_utf8_lossy(body), url)
            } else {
                Vec::new()
            };
            if whole {
                Fetched::Page { links }
            } else {
                Fetched::TooLarge { links }
            }
        }
        300..=399 if location.is_some() => Fetched::Redirect {
            status,
            to: resolve(url, location.unwrap_or_default()),
        },
        _ => Fetched::Status(status),
    }
}

/// Fetching with threads: one blocking request at a time per thread (ureq).
pub mod blocking {
    use std::io::Read as _;
    use std::time::Duration;

    use url::Url;

    use super::{FetchError, Fetched, MAX_BODY, understand};

    /// A blocking HTTP client that follows no redirect and gives up when connecting, sending
    /// the request, waiting for the answer or reading its body takes longer than `timeout`.
    /// Clones share one pool of connections; send one to each thread.
    #[derive(Debug, Clone)]
    pub struct Client {
        agent: ureq::Agent,
        timeout: Duration,
    }

    impl Client {
        pub fn new(timeout: Duration) -> Self {
            let agent = ureq::Agent::config_builder()
                .max_redirects(0)
                .http_status_as_error(false)
                // One time-out per step, none on the whole request: ureq times a host-name
                // lookup (which a global time-out includes) on a thread it starts for each
                // request, a thread per page. The lookup itself is not bounded then; for an
                // address such as 127.0.0.1 there is none.
                .timeout_connect(Some(timeout))
                .timeout_send_request(Some(timeout))
                .timeout_recv_response(Some(timeout))
                .timeout_recv_body(Some(timeout))
                .build()
                .into();
            Client { agent, timeout }
        }

        /// One `GET` of `url`, on this thread.
        pub fn fetch(&self, url: &Url) -> Result<Fetched, FetchError> {
            let mut response =
                self.agent
                    .get(url.as_str())
                    .call()
                    .map_err(|error| match error {
                        ureq::Error::Timeout(_) => FetchError::TimedOut(self.timeout),
                        other => FetchError::Failed(other.to_string()),
                    })?;
            let header = |name| {
                response
                    .headers()
                    .get(name)
                    .and_then(|value: &ureq::http::HeaderValue| value.to_str().ok())
                    .map(str::to_string)
            };
            let (location, content_type) = (header("location"), header("content-type"));
            let mut body = Vec::new();
            response
                .body_mut()
                .as_reader()
                .take(MAX_BODY as u64 + 1)
                .read_to_end(&mut body)
                .map_err(|error| match error.kind() {
                    std::io::ErrorKind::TimedOut => FetchError::TimedOut(self.timeout),
                    _ => FetchError::Failed(error.to_string()),
                })?;
            let whole = body.len() <= MAX_BODY;
            body.truncate(MAX_BODY);
            Ok(understand(
                url,
                response.status().as_u16(),
                location.as_deref(),
                content_type.as_deref(),
                &body,
                whole,
            ))
        }
    }
}

/// Fetching with tasks: hyper on tokio, one connection per request. There is no time-out
/// here: the crawler puts its own around the future (`tokio::time::timeout`).
pub mod asynchronous {
    use http_body_util::{BodyExt, Empty};
    use hyper::Request;
    use hyper::body::Bytes;
    use hyper::header::{CONNECTION, CONTENT_TYPE, HOST, LOCATION};
    use hyper_util::rt::TokioIo;
    use tokio::net::TcpStream;
    use url::Url;

    use super::{FetchError, Fetched, MAX_BODY, understand};

    /// One `GET` of `url` (an `http://` address), on a connection of its own.
    pub async fn fetch(url: &Url) -> Result<Fetched, FetchError> {
        let failed = |error: &dyn std::fmt::Display| FetchError::Failed(error.to_string());
        if url.scheme() != "http" {
            return Err(FetchError::Failed(format!(
                "only http:// addresses can be fetched, not {}",
                url.scheme()
            )));
        }
        let host = url.host_str().unwrap_or_default();
        let port = url.port_or_known_default().unwrap_or(80);
        let stream = TcpStream::connect((host, port))
            .await
            .map_err(|error| failed(&format!("cannot connect to {host}:{port}: {error}")))?;
        let (mut sender, connection) = hyper::client::conn::http1::handshake(TokioIo::new(stream))
            .await
            .map_err(|error| failed(&error))?;
        let authority = match url.port() {
            Some(port) => format!("{host}:{port}"),
            None => host.to_string(),
        };
        let target = &url[url::Position::BeforePath..url::Position::AfterQuery];
        let request = Request::get(target)
            .header(HOST, authority)
            .header(CONNECTION, "close")
            .body(Empty::<Bytes>::new())
            .map_err(|error| failed(&error))?;
        let exchange = async {
            let response = sender
                .send_request(request)
                .await
                .map_err(|error| failed(&error))?;
            let header = |name| {
                response
                    .headers()
                    .get(name)
                    .and_then(|value: &hyper::header::HeaderValue| value.to_str().ok())
                    .map(str::to_string)
            };
            let (location, content_type) = (header(LOCATION), header(CONTENT_TYPE));
            let status = response.status().as_u16();
            let mut body = response.into_body();
            let mut bytes = Vec::new();
            while bytes.len() <= MAX_BODY
                && let Some(frame) = body.frame().await
            {
                if let Ok(data) = frame.map_err(|error| failed(&error))?.into_data() {
                    bytes.extend_from_slice(&data);
                }
            }
            Ok((status, location, content_type, bytes))
        };
        // The connection is driven here, beside the exchange, not by a task of its own: when
        // this future is dropped (a time-out, a crawl stopped), the connection is closed with it
        // and nothing is left running.
        tokio::pin!(connection, exchange);
        let mut connection_ended = false;
        let (status, location, content_type, mut bytes) = loop {
            tokio::select! {
                biased;
                result = &mut exchange => break result?,
                ended = &mut connection, if !connection_ended => {
                    connection_ended = true;
                    ended.map_err(|error| failed(&error))?;
                }
            }
        };
        let whole = bytes.len() <= MAX_BODY;
        bytes.truncate(MAX_BODY);
        Ok(understand(
            url,
            status,
            location.as_deref(),
            content_type.as_deref(),
            &bytes,
            whole,
        ))
    }
}
