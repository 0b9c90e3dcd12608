//! Building blocks for the vendor crates' mock servers (feature `mock`).
//!
//! Each vendor crate's `mock` module starts a local [`wiremock`] server seeded
//! with that vendor's documented samples; what they share lives here: a
//! request record that does not expose wiremock's types, and a catch-all that
//! answers any unplanned request loudly instead of hanging or passing.

use wiremock::{Mock, MockServer, ResponseTemplate, matchers::any};

/// A request a mock vendor received.
#[derive(Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct RecordedRequest {
    /// HTTP method, upper case.
    pub method: String,
    /// URL path.
    pub path: String,
    /// Query string, without `?`, if any.
    pub query: Option<String>,
    /// Headers as received, names lower case.
    pub headers: Vec<(String, String)>,
    /// The body bytes.
    pub body: Vec<u8>,
}

impl std::fmt::Debug for RecordedRequest {
    // The body and credential headers are the test's own data, but a test
    // log is still a log: show only the shape.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("RecordedRequest")
            .field("method", &self.method)
            .field("path", &self.path)
            .field("body_bytes", &self.body.len())
            .finish_non_exhaustive()
    }
}

impl RecordedRequest {
    /// Records a wiremock request.
    pub fn from_wiremock(r: &wiremock::Request) -> Self {
        Self {
            method: r.method.as_str().to_owned(),
            path: r.url.path().to_owned(),
            query: r.url.query().map(str::to_owned),
            headers: r
                .headers
                .iter()
                .map(|(k, v)| {
                    (
                        k.as_str().to_owned(),
                        String::from_utf8_lossy(v.as_bytes()).into_owned(),
                    )
                })
                .collect(),
            body: r.body.clone(),
        }
    }

    /// The first value of header `name` (case-insensitive).
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(k, _)| k.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    }

    /// The body parsed as JSON.
    pub fn json(&self) -> Result<serde_json::Value, serde_json::Error> {
        serde_json::from_slice(&self.body)
    }
}

/// Every request `server` has received so far, oldest first.
pub async fn recorded(server: &MockServer) -> Vec<RecordedRequest> {
    server
        .received_requests()
        .await
        .unwrap_or_default()
        .iter()
        .map(RecordedRequest::from_wiremock)
        .collect()
}

/// Mounts a lowest-priority mock that answers any request no other mock
/// matched with `599` and a body naming it, so a client calling the wrong
/// path fails loudly in the test that made it.
pub async fn mount_catch_all(server: &MockServer) {
    Mock::given(any())
        .respond_with(|req: &wiremock::Request| {
            ResponseTemplate::new(599).set_body_string(format!(
                "mock vendor: no mock matches {} {}",
                req.method,
                req.url.path()
            ))
        })
        .with_priority(u8::MAX)
        .named("catch-all: unexpected request")
        .mount(server)
        .await;
}

/// A raw TCP server on 127.0.0.1 that reads each request and closes the
/// connection without answering, unless `answer` returns a full HTTP
/// response for the request's path. For "connection closed before any
/// response" faults, which a mock HTTP server cannot produce.
#[derive(Debug)]
pub struct ClosingServer {
    addr: std::net::SocketAddr,
    connections: std::sync::Arc<std::sync::atomic::AtomicUsize>,
}

impl ClosingServer {
    /// Starts the server on a background thread (it lives as long as the
    /// process).
    pub fn start(
        answer: impl Fn(&str) -> Option<Vec<u8>> + Send + 'static,
    ) -> std::io::Result<Self> {
        use std::io::{Read, Write};
        use std::sync::atomic::Ordering;
        let listener = std::net::TcpListener::bind("127.0.0.1:0")?;
        let addr = listener.local_addr()?;
        let connections = std::sync::Arc::new(std::sync::atomic::AtomicUsize::new(0));
        let counter = connections.clone();
        std::thread::spawn(move || {
            for stream in listener.incoming() {
                let Ok(mut stream) = stream else { continue };
                let mut buf = vec![0u8; 64 * 1024];
                let mut read = 0;
                // Read until the end of the headers (and a little body).
                while read < buf.len() {
                    match stream.read(&mut buf[read..]) {
                        Ok(0) | Err(_) => break,
                        Ok(n) => read += n,
                    }
                    if buf[..read].windows(4).any(|w| w == b"\r\n\r\n") {
                        break;
                    }
                }
                let head = String::from_utf8_lossy(&buf[..read]).into_owned();
                let path = head.split_whitespace().nth(1).unwrap_or("/").to_owned();
                match answer(&path) {
                    Some(response) => {
                        let _ = stream.write_all(&response);
                    }
                    None => {
                        counter.fetch_add(1, Ordering::SeqCst);
                    }
                }
                drop(stream);
            }
        });
        Ok(Self { addr, connections })
    }

    /// `http://127.0.0.1:port`.
    pub fn uri(&self) -> String {
        format!("http://{}", self.addr)
    }

    /// How many requests were cut off without an answer.
    pub fn closed(&self) -> usize {
        self.connections.load(std::sync::atomic::Ordering::SeqCst)
    }
}

/// A full HTTP/1.1 200 response with a JSON body.
pub fn http_ok_json(body: &str) -> Vec<u8> {
    format!(
        "HTTP/1.1 200 OK\r\ncontent-type: application/json\r\ncontent-length: {}\r\nconnection: close\r\n\r\n{body}",
        body.len()
    )
    .into_bytes()
}

/// A log sink for secret-leak tests: clone it into a `tracing` writer and
/// read everything that was written with [`CapturedLog::text`].
#[derive(Debug, Clone, Default)]
pub struct CapturedLog(std::sync::Arc<std::sync::Mutex<Vec<u8>>>);

impl CapturedLog {
    /// Everything written so far.
    pub fn text(&self) -> String {
        let bytes = self.0.lock().unwrap_or_else(|p| p.into_inner());
        String::from_utf8_lossy(&bytes).into_owned()
    }
}

impl std::io::Write for CapturedLog {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        self.0
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .extend_from_slice(buf);
        Ok(buf.len())
    }
    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

/// An error's `Display` and `Debug`, and those of every source below it,
/// in one string: what a secret-leak test searches.
pub fn error_chain(e: &dyn std::error::Error) -> String {
    let mut out = format!("{e} | {e:?}");
    let mut source = e.source();
    while let Some(s) = source {
        out.push_str(&format!(" | {s} | {s:?}"));
        source = s.source();
    }
    out
}
