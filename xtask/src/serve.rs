//! A small static file server for the built book, on 127.0.0.1 only: `cargo xtask book --serve`
//! uses it, and so does the browser test. It answers GET and HEAD for files under one directory,
//! one thread per connection, and nothing else.

use std::fs;
use std::io::{self, BufRead, BufReader, Write};
use std::net::{Ipv4Addr, TcpListener, TcpStream};
use std::path::{Component, Path, PathBuf};
use std::thread;
use std::time::Duration;

/// A client that sends nothing for this long is dropped, so a stuck connection cannot pin a thread.
const READ_TIMEOUT: Duration = Duration::from_secs(10);

/// Binds `127.0.0.1:port` (port 0 picks a free one).
pub fn bind(port: u16) -> io::Result<TcpListener> {
    TcpListener::bind((Ipv4Addr::LOCALHOST, port))
}

/// Serves the files under `root` to every connection `listener` accepts, forever.
pub fn serve(listener: &TcpListener, root: &Path) {
    for stream in listener.incoming().flatten() {
        let root = root.to_path_buf();
        thread::spawn(move || {
            let _ = answer(stream, &root);
        });
    }
}

/// Starts [`serve`] on a background thread for the rest of the process; returns its address.
#[cfg(test)]
pub fn serve_in_background(root: PathBuf) -> io::Result<std::net::SocketAddr> {
    let listener = bind(0)?;
    let address = listener.local_addr()?;
    thread::spawn(move || serve(&listener, &root));
    Ok(address)
}

fn answer(stream: TcpStream, root: &Path) -> io::Result<()> {
    stream.set_read_timeout(Some(READ_TIMEOUT))?;
    let mut reader = BufReader::new(stream.try_clone()?);
    let mut request_line = String::new();
    reader.read_line(&mut request_line)?;
    // Skip the headers: nothing in them changes the answer.
    let mut header = String::new();
    while reader.read_line(&mut header)? > 2 {
        header.clear();
    }
    let mut words = request_line.split_whitespace();
    let (method, target) = (words.next().unwrap_or(""), words.next().unwrap_or(""));
    let mut stream = stream;
    if method != "GET" && method != "HEAD" {
        return respond(
            &mut stream,
            "405 Method Not Allowed",
            "text/plain",
            b"",
            true,
        );
    }
    let found = file_for(root, target).and_then(|path| Some((fs::read(&path).ok()?, path)));
    let with_body = method == "GET";
    if let Some((body, path)) = found {
        respond(&mut stream, "200 OK", content_type(&path), &body, with_body)
    } else {
        let body = fs::read(root.join("404.html")).unwrap_or_default();
        respond(&mut stream, "404 Not Found", "text/html", &body, with_body)
    }
}

fn respond(
    stream: &mut TcpStream,
    status: &str,
    content_type: &str,
    body: &[u8],
    with_body: bool,
) -> io::Result<()> {
    write!(
        stream,
        "HTTP/1.1 {status}\r\nContent-Type: {content_type}\r\nContent-Length: {}\r\n\
         Cache-Control: no-store\r\nConnection: close\r\n\r\n",
        body.len()
    )?;
    if with_body {
        stream.write_all(body)?;
    }
    stream.flush()
}

/// The file under `root` that the request target `/a/b.html?x#y` names, if it stays inside `root`.
fn file_for(root: &Path, target: &str) -> Option<PathBuf> {
    let path = target.split(['?', '#']).next()?;
    let path = percent_decode(path.strip_prefix('/')?)?;
    let relative = Path::new(&path);
    if !relative
        .components()
        .all(|component| matches!(component, Component::Normal(_)))
    {
        return None;
    }
    let file = root.join(relative);
    Some(if file.is_dir() {
        file.join("index.html")
    } else {
        file
    })
}

/// Decodes `%20`-style escapes; `None` for a malformed escape or a result that is not UTF-8.
fn percent_decode(text: &str) -> Option<String> {
    let mut bytes = Vec::with_capacity(text.len());
    let mut rest = text.as_bytes();
    while let Some((&byte, tail)) = rest.split_first() {
        if byte == b'%' {
            let hex = std::str::from_utf8(tail.get(..2)?).ok()?;
            bytes.push(u8::from_str_radix(hex, 16).ok()?);
            rest = &tail[2..];
        } else {
            bytes.push(byte);
            rest = tail;
        }
    }
    String::from_utf8(bytes).ok()
}

fn content_type(path: &Path) -> &'static str {
    match path.extension().and_then(|ext| ext.to_str()).unwrap_or("") {
        "html" => "text/html; charset=utf-8",
        "css" => "text/css; charset=utf-8",
        "js" => "text/javascript; charset=utf-8",
        "json" => "application/json",
        "svg" => "image/svg+xml",
        "png" => "image/png",
        "woff" => "font/woff",
        "woff2" => "font/woff2",
        "ttf" => "font/ttf",
        "txt" | "md" => "text/plain; charset=utf-8",
        _ => "application/octet-stream",
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::io::Read;

    fn get(address: std::net::SocketAddr, target: &str) -> String {
        let mut stream = TcpStream::connect(address).unwrap();
        stream.set_read_timeout(Some(READ_TIMEOUT)).unwrap();
        write!(stream, "GET {target} HTTP/1.1\r\nHost: x\r\n\r\n").unwrap();
        let mut response = String::new();
        stream.read_to_string(&mut response).unwrap();
        response
    }

    #[test]
    fn serves_files_and_refuses_to_leave_its_directory() {
        let dir = tempfile::tempdir().unwrap();
        let site = dir.path().join("site");
        fs::create_dir_all(site.join("css")).unwrap();
        fs::write(site.join("index.html"), "<p>home</p>").unwrap();
        fs::write(site.join("css/a b.css"), "p {}").unwrap();
        fs::write(site.join("404.html"), "not here").unwrap();
        fs::write(dir.path().join("secret.txt"), "secret").unwrap();
        let address = serve_in_background(site).unwrap();

        let home = get(address, "/");
        assert!(home.starts_with("HTTP/1.1 200 OK\r\n"), "{home}");
        assert!(home.contains("text/html") && home.ends_with("<p>home</p>"));
        let css = get(address, "/css/a%20b.css?v=1");
        assert!(css.contains("text/css") && css.ends_with("p {}"), "{css}");
        let missing = get(address, "/nope.html");
        assert!(missing.starts_with("HTTP/1.1 404"), "{missing}");
        assert!(missing.ends_with("not here"));
        let escape = get(address, "/../secret.txt");
        assert!(escape.starts_with("HTTP/1.1 404"), "{escape}");
        assert!(!escape.contains("secret"));
    }
}
