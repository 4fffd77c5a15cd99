//! The HTTP/1.1 connection loop: one thread per connection (keep-alive), a
//! fixed number of requests answered at once, and limits on everything a
//! client controls (the size of its head and body, how long it may take to
//! send them, how many connections it may hold), so that a client that
//! misbehaves costs at most its own connection.
//!
//! Requests are parsed by httparse (the parser under hyper); the rest is the
//! small part of HTTP/1.1 a local SPARQL endpoint and its pages need:
//! Content-Length bodies, `Expect: 100-continue`, keep-alive, HEAD.
use std::io::{BufRead, BufReader, Read, Write};
use std::net::{Shutdown, SocketAddr, TcpListener, TcpStream};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Condvar, Mutex};
use std::time::{Duration, Instant};

use super::http::{self, Method, Request, Response};
use super::{App, ServeError, ServeOptions};
use crate::store::Store;

/// How long a connection may wait for its next request.
const IDLE: Duration = Duration::from_secs(30);
/// How long a client may take to send one request, head and body.
const SEND_TIME: Duration = Duration::from_secs(30);
/// Open connections beyond which new ones get a 503 at once.
const MAX_CONNECTIONS: usize = 256;
/// Most header lines in a request.
const MAX_HEADERS: usize = 64;

/// A running HTTP server over one store.
pub struct Server {
    listener: TcpListener,
    app: Arc<App>,
    addr: SocketAddr,
}

impl Server {
    /// Listens on `options.bind` (port 0 picks a free port) and reads the
    /// catalog; [`Server::run`] then answers requests.
    pub fn bind(store: Store, options: ServeOptions) -> Result<Server, ServeError> {
        let bind_error = |source| ServeError::Bind {
            addr: options.bind.clone(),
            source,
        };
        let listener = TcpListener::bind(&options.bind).map_err(bind_error)?;
        let addr = listener.local_addr().map_err(bind_error)?;
        let app = App::new(store, options)?;
        Ok(Server {
            listener,
            app: Arc::new(app),
            addr,
        })
    }

    /// The address it listens on.
    pub fn local_addr(&self) -> SocketAddr {
        self.addr
    }

    /// Answers requests until the process ends.
    pub fn run(self) {
        let slots = Arc::new(Slots::new(self.app.options.threads.max(1)));
        let open = Arc::new(AtomicUsize::new(0));
        for stream in self.listener.incoming() {
            let Ok(stream) = stream else {
                // Out of file descriptors, or a connection reset before accept:
                // wait a moment rather than spin.
                std::thread::sleep(Duration::from_millis(10));
                continue;
            };
            if open.load(Ordering::Acquire) >= MAX_CONNECTIONS {
                let busy = Response::error(503, "too many connections; try again");
                let _ = write_response(&stream, &busy, false, false);
                continue;
            }
            open.fetch_add(1, Ordering::AcqRel);
            let (app, slots, count) =
                (Arc::clone(&self.app), Arc::clone(&slots), Arc::clone(&open));
            let spawned = std::thread::Builder::new()
                .name("serve-connection".into())
                .spawn(move || {
                    connection(stream, &app, &slots);
                    count.fetch_sub(1, Ordering::AcqRel);
                });
            if spawned.is_err() {
                open.fetch_sub(1, Ordering::AcqRel);
            }
        }
    }
}

/// A counting semaphore: how many requests are answered at once. More would
/// only make each slower on a machine with few cores.
struct Slots {
    free: Mutex<usize>,
    freed: Condvar,
}

struct Slot<'a>(&'a Slots);

impl Slots {
    fn new(n: usize) -> Slots {
        Slots {
            free: Mutex::new(n),
            freed: Condvar::new(),
        }
    }
    fn acquire(&self) -> Slot<'_> {
        let mut free = self.free.lock().unwrap_or_else(|e| e.into_inner());
        while *free == 0 {
            free = self.freed.wait(free).unwrap_or_else(|e| e.into_inner());
        }
        *free -= 1;
        Slot(self)
    }
}

impl Drop for Slot<'_> {
    fn drop(&mut self) {
        *self.0.free.lock().unwrap_or_else(|e| e.into_inner()) += 1;
        self.0.freed.notify_one();
    }
}

/// Why a request could not be read.
enum ReadError {
    /// The client closed the connection or went quiet: nothing to answer.
    Gone,
    /// A request we answer with this error, then close.
    Refused(Response),
}

/// A request as read off the wire, and whether the connection stays open.
struct Incoming {
    request: Request,
    keep_alive: bool,
}

fn connection(stream: TcpStream, app: &App, slots: &Slots) {
    let _ = stream.set_nodelay(true);
    let _ = stream.set_write_timeout(Some(SEND_TIME));
    let Ok(read_half) = stream.try_clone() else {
        return;
    };
    let mut reader = BufReader::with_capacity(16 * 1024, read_half);
    loop {
        match read_request(&mut reader, &stream, app.options()) {
            Ok(incoming) => {
                let response = {
                    let _slot = slots.acquire();
                    app.handle(&incoming.request)
                };
                let head_only = incoming.request.method == Method::Head;
                if write_response(&stream, &response, incoming.keep_alive, head_only).is_err()
                    || !incoming.keep_alive
                {
                    break;
                }
            }
            Err(ReadError::Refused(response)) => {
                let _ = write_response(&stream, &response, false, false);
                break;
            }
            Err(ReadError::Gone) => break,
        }
    }
    let _ = stream.shutdown(Shutdown::Both);
}

/// Reads one request: its head (up to a size limit, within [`SEND_TIME`]) and
/// its Content-Length body (up to the options' limit).
fn read_request(
    reader: &mut BufReader<TcpStream>,
    stream: &TcpStream,
    options: &ServeOptions,
) -> Result<Incoming, ReadError> {
    // The URL of a GET carries the query, percent-encoded: room for that.
    let max_head = options.max_query_bytes * 3 + 16 * 1024;
    let _ = stream.set_read_timeout(Some(IDLE));
    let mut head = Vec::new();
    let mut started: Option<Instant> = None;
    loop {
        let available = match reader.fill_buf() {
            Ok([]) => return Err(ReadError::Gone),
            Ok(bytes) => bytes,
            Err(_) => return Err(ReadError::Gone),
        };
        if started.is_none() {
            started = Some(Instant::now());
            let _ = stream.set_read_timeout(Some(SEND_TIME));
        }
        // Take up to the end of the head, if it is in the buffer.
        let before = head.len();
        head.extend_from_slice(available);
        let end = find_head_end(&head, before.saturating_sub(3));
        let used = match end {
            Some(e) => e - before,
            None => available.len(),
        };
        reader.consume(used);
        if let Some(e) = end {
            head.truncate(e);
            break;
        }
        if head.len() > max_head {
            return Err(ReadError::Refused(Response::error(
                414,
                &format!("the request head is longer than {max_head} bytes"),
            )));
        }
        if started.is_some_and(|t| t.elapsed() > SEND_TIME) {
            return Err(ReadError::Gone);
        }
    }
    let mut headers = [httparse::EMPTY_HEADER; MAX_HEADERS];
    let mut parsed = httparse::Request::new(&mut headers);
    let bad = |what: &str| ReadError::Refused(Response::error(400, what));
    match parsed.parse(&head) {
        Ok(httparse::Status::Complete(_)) => {}
        Ok(httparse::Status::Partial) => return Err(bad("incomplete request head")),
        Err(httparse::Error::TooManyHeaders) => {
            return Err(ReadError::Refused(Response::error(
                431,
                "too many header lines",
            )))
        }
        Err(e) => return Err(bad(&format!("malformed request: {e}"))),
    }
    let method = match parsed.method.unwrap_or("") {
        "GET" => Method::Get,
        "HEAD" => Method::Head,
        "POST" => Method::Post,
        other => Method::Other(other.to_string()),
    };
    let target = parsed.path.unwrap_or("/");
    let version = parsed.version.unwrap_or(1);
    let headers: Vec<(String, String)> = parsed
        .headers
        .iter()
        .map(|h| {
            (
                h.name.to_ascii_lowercase(),
                String::from_utf8_lossy(h.value).into_owned(),
            )
        })
        .collect();
    let header = |name: &str| {
        headers
            .iter()
            .find(|(n, _)| n == name)
            .map(|(_, v)| v.to_ascii_lowercase())
    };
    let connection = header("connection").unwrap_or_default();
    let keep_alive = if version == 0 {
        connection.contains("keep-alive")
    } else {
        !connection.contains("close")
    };
    if header("transfer-encoding").is_some() {
        return Err(ReadError::Refused(Response::error(
            411,
            "send the body with a Content-Length (chunked bodies are not accepted)",
        )));
    }
    let length = match header("content-length") {
        None => 0,
        Some(v) => v
            .trim()
            .parse::<usize>()
            .map_err(|_| bad("invalid Content-Length"))?,
    };
    let mut body = Vec::new();
    if length > options.max_query_bytes {
        // Refused unread: the connection closes after the answer.
        return Err(ReadError::Refused(Response::error(
            413,
            &format!(
                "the request body is longer than the limit of {} bytes",
                options.max_query_bytes
            ),
        )));
    }
    if length > 0 {
        if header("expect").is_some_and(|e| e.contains("100-continue")) {
            let mut w = stream;
            let _ = w.write_all(b"HTTP/1.1 100 Continue\r\n\r\n");
        }
        body.resize(length, 0);
        if reader.read_exact(&mut body).is_err() {
            return Err(ReadError::Gone);
        }
    }
    let (path, query) = target.split_once('?').unwrap_or((target, ""));
    Ok(Incoming {
        request: Request {
            method,
            path: http::percent_decode(path),
            query_string: query.to_string(),
            headers,
            body,
        },
        keep_alive,
    })
}

/// The offset just past the blank line ending a request head, searching from `from`.
fn find_head_end(buf: &[u8], from: usize) -> Option<usize> {
    buf.get(from..)?
        .windows(4)
        .position(|w| w == b"\r\n\r\n")
        .map(|p| from + p + 4)
}

fn reason(status: u16) -> &'static str {
    match status {
        200 => "OK",
        303 => "See Other",
        400 => "Bad Request",
        403 => "Forbidden",
        404 => "Not Found",
        405 => "Method Not Allowed",
        406 => "Not Acceptable",
        411 => "Length Required",
        413 => "Content Too Large",
        414 => "URI Too Long",
        415 => "Unsupported Media Type",
        431 => "Request Header Fields Too Large",
        500 => "Internal Server Error",
        503 => "Service Unavailable",
        _ => "",
    }
}

fn write_response(
    stream: &TcpStream,
    response: &Response,
    keep_alive: bool,
    head_only: bool,
) -> std::io::Result<()> {
    let mut head = format!(
        "HTTP/1.1 {} {}\r\nContent-Length: {}\r\nConnection: {}\r\n",
        response.status,
        reason(response.status),
        response.body.len(),
        if keep_alive { "keep-alive" } else { "close" }
    );
    for (name, value) in &response.headers {
        // Header values come from our own code, but never let one split the head.
        if !name.contains(['\r', '\n']) && !value.contains(['\r', '\n']) {
            head.push_str(&format!("{name}: {value}\r\n"));
        }
    }
    head.push_str("\r\n");
    let mut w = stream;
    let mut out = Vec::with_capacity(head.len() + response.body.len());
    out.extend_from_slice(head.as_bytes());
    if !head_only {
        out.extend_from_slice(&response.body);
    }
    w.write_all(&out)?;
    w.flush()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_head_ends_at_the_blank_line() {
        let buf = b"GET / HTTP/1.1\r\nHost: x\r\n\r\nBODY";
        assert_eq!(find_head_end(buf, 0), Some(buf.len() - 4));
        assert_eq!(find_head_end(b"GET / HTTP/1.1\r\n", 0), None);
    }
}
