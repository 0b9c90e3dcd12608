//! Building blocks for the vendor crates' mock servers (feature `mock`).
//!
//! Each vendor crate's `mock` module starts a local [`wiremock`] server
//! seeded with that vendor's documented samples. What they share lives
//! here:
//!
//! - [`MockVendor`]: the one API every mock vendor has (`start`, `uri`,
//!   `fail_next`, `respond_next`, `requests`); each also has an inherent
//!   `start_with_credentials(..)`;
//! - [`MockHttp`]: the wiremock server under every mock, with a loud
//!   catch-all for unplanned requests and scripted answers;
//! - [`RecordedRequest`]: what a mock received;
//! - fault servers: [`ClosingServer`] (closes without answering) and
//!   [`ScriptedServer`] (answers from a script on the test's own runtime,
//!   so tests of waits can run on paused tokio time);
//! - secret-leak helpers: [`CapturedLog`], [`error_chain`].
//!
//! Scripted answers take wiremock's [`ResponseTemplate`], re-exported here.

use std::fmt;

pub use wiremock::ResponseTemplate;
use wiremock::matchers::{any, method};
use wiremock::{Match, Mock, MockServer, Respond};

mod callback;
pub use callback::post_callback;

/// The API every vendor crate's mock vendor has. A mock implements
/// [`start_with`](MockVendor::start_with), [`http`](MockVendor::http) and
/// [`fail_next`](MockVendor::fail_next); the rest come from its
/// [`MockHttp`]. Each mock also has an inherent
/// `start_with_credentials(..)` taking its vendor's credentials one by one.
///
/// ```
/// use whatsapp_common::mock::{MockVendor, ResponseTemplate};
///
/// async fn a_refused_send_is_recorded<M: MockVendor>(mock: &M) {
///     mock.respond_next(ResponseTemplate::new(503), 1).await;
///     // … send through the vendor client built with `mock.uri()` …
///     assert!(mock.requests().await.is_empty());
/// }
/// ```
#[async_trait::async_trait]
pub trait MockVendor: Sized + Send + Sync + fmt::Debug {
    /// The vendor's typed error code (the crate's `ErrorCode`).
    type Code: Clone + Send + 'static;

    /// The credentials the mock can insist on (a key, a login and
    /// password).
    type Credentials: Send + 'static;

    /// Starts a mock vendor on 127.0.0.1 that accepts only `credentials`,
    /// or any when `None`.
    async fn start_with(credentials: Option<Self::Credentials>) -> Self;

    /// Starts a mock vendor on 127.0.0.1 that accepts any credentials.
    async fn start() -> Self {
        Self::start_with(None).await
    }

    /// The server under the mock.
    fn http(&self) -> &MockHttp;

    /// The next `times` sends fail with `code`, answered as the vendor
    /// answers it (its documented status and body); then sends succeed
    /// again.
    async fn fail_next(&self, code: Self::Code, times: u64);

    /// The base URL to give the client builder's `base_url`.
    fn uri(&self) -> String {
        self.http().uri()
    }

    /// The next `times` sends get `response` (any status, body, delay), for
    /// answers the vendor does not document: proxy pages, slowness.
    async fn respond_next(&self, response: ResponseTemplate, times: u64) {
        self.http()
            .answer_sends(response, times, "scripted answer")
            .await;
    }

    /// Every request received so far, oldest first.
    async fn requests(&self) -> Vec<RecordedRequest> {
        self.http().requests().await
    }
}

/// The wiremock server under a mock vendor: routes at priority 10,
/// scripted answers to the vendor's sends at priority 1 in front of them,
/// and a catch-all behind them that answers any unplanned request with
/// `599`.
#[derive(Debug)]
pub struct MockHttp {
    server: MockServer,
    vendor: &'static str,
    sends: Option<&'static str>,
}

impl MockHttp {
    /// Starts the server for `vendor` with the catch-all mounted. Scripted
    /// answers go to POSTs to `sends`, or to every request when `None`.
    pub async fn start(vendor: &'static str, sends: Option<&'static str>) -> Self {
        let server = MockServer::start().await;
        mount_catch_all(&server).await;
        Self {
            server,
            vendor,
            sends,
        }
    }

    /// Starts the server for `vendor`, serving POSTs to `sends` with
    /// `responder` (the vendor's send), scripted answers going to the same.
    pub async fn serving(
        vendor: &'static str,
        sends: &'static str,
        responder: impl Respond + 'static,
        what: &str,
    ) -> Self {
        let http = Self::start(vendor, Some(sends)).await;
        http.route("POST", wiremock::matchers::path(sends), responder, what)
            .await;
        http
    }

    /// Serves `http_method` requests matching `path` with `responder`.
    pub async fn route(
        &self,
        http_method: &str,
        path: impl Match + 'static,
        responder: impl Respond + 'static,
        what: &str,
    ) {
        Mock::given(method(http_method))
            .and(path)
            .respond_with(responder)
            .with_priority(10)
            .named(format!("{}: {what}", self.vendor))
            .mount(&self.server)
            .await;
    }

    /// The next `times` sends get `response`, ahead of the routes.
    pub async fn answer_sends(&self, response: impl Respond + 'static, times: u64, what: &str) {
        let mock = match self.sends {
            Some(path) => Mock::given(method("POST")).and(wiremock::matchers::path(path)),
            None => Mock::given(any()),
        };
        mock.respond_with(response)
            .up_to_n_times(times)
            .with_priority(1)
            .named(format!("{}: {what}", self.vendor))
            .mount(&self.server)
            .await;
    }

    /// `http://127.0.0.1:port`.
    pub fn uri(&self) -> String {
        self.server.uri()
    }

    /// Every request received so far, oldest first.
    pub async fn requests(&self) -> Vec<RecordedRequest> {
        recorded(&self.server).await
    }

    /// The wiremock server, to mount your own mocks.
    pub fn server(&self) -> &MockServer {
        &self.server
    }
}

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

/// A full HTTP/1.1 response: `status`, the given headers, `body`, and
/// `connection: close`.
///
/// ```
/// let bytes = whatsapp_common::mock::http_response(429, &[("retry-after", "7")], "{}");
/// assert!(bytes.starts_with(b"HTTP/1.1 429 \r\n"));
/// ```
pub fn http_response(status: u16, headers: &[(&str, &str)], body: &str) -> Vec<u8> {
    let mut out = format!("HTTP/1.1 {status} \r\n");
    let mut typed = false;
    for (name, value) in headers {
        typed |= name.eq_ignore_ascii_case("content-type");
        out.push_str(&format!("{name}: {value}\r\n"));
    }
    if !typed {
        out.push_str("content-type: application/json\r\n");
    }
    out.push_str(&format!(
        "content-length: {}\r\nconnection: close\r\n\r\n{body}",
        body.len()
    ));
    out.into_bytes()
}

/// A full HTTP/1.1 200 response with a JSON body.
pub fn http_ok_json(body: &str) -> Vec<u8> {
    http_response(200, &[], body)
}

type Answer = dyn Fn(&RecordedRequest) -> Vec<u8> + Send + Sync;

/// An HTTP server on 127.0.0.1 that runs on the test's own tokio runtime
/// and answers each request with the full HTTP response its script
/// returns, then closes the connection.
///
/// Unlike a server on a thread of its own, it lets a test run on paused
/// tokio time (`#[tokio::test(start_paused = true)]`): the exchange happens
/// on the runtime, so time moves only while the client waits on a timer
/// (a `Retry-After`, a backoff), and a 30 s wait takes no real time.
///
/// ```
/// # #[tokio::main(flavor = "current_thread")]
/// # async fn main() -> std::io::Result<()> {
/// use whatsapp_common::mock::{ScriptedServer, http_response};
///
/// let server = ScriptedServer::start(|request| {
///     http_response(200, &[], &format!("{{\"path\":\"{}\"}}", request.path))
/// })
/// .await?;
/// assert!(server.uri().starts_with("http://127.0.0.1:"));
/// assert!(server.requests().is_empty());
/// # Ok(()) }
/// ```
pub struct ScriptedServer {
    addr: std::net::SocketAddr,
    received: std::sync::Arc<std::sync::Mutex<Vec<RecordedRequest>>>,
    task: tokio::task::JoinHandle<()>,
}

impl fmt::Debug for ScriptedServer {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ScriptedServer")
            .field("addr", &self.addr)
            .finish_non_exhaustive()
    }
}

impl ScriptedServer {
    /// Starts the server; `answer` sees each request (with those before it
    /// already in [`ScriptedServer::requests`]) and returns the bytes to
    /// write back.
    pub async fn start(
        answer: impl Fn(&RecordedRequest) -> Vec<u8> + Send + Sync + 'static,
    ) -> std::io::Result<Self> {
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await?;
        let addr = listener.local_addr()?;
        let received = std::sync::Arc::new(std::sync::Mutex::new(Vec::new()));
        let answer: std::sync::Arc<Answer> = std::sync::Arc::new(answer);
        let log = received.clone();
        let task = tokio::spawn(async move {
            while let Ok((stream, _)) = listener.accept().await {
                let (log, answer) = (log.clone(), answer.clone());
                tokio::spawn(async move {
                    let _ = serve_one(stream, &log, &*answer).await;
                });
            }
        });
        Ok(Self {
            addr,
            received,
            task,
        })
    }

    /// `http://127.0.0.1:port`.
    pub fn uri(&self) -> String {
        format!("http://{}", self.addr)
    }

    /// Every request received so far, oldest first.
    pub fn requests(&self) -> Vec<RecordedRequest> {
        self.received
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .clone()
    }
}

impl Drop for ScriptedServer {
    fn drop(&mut self) {
        self.task.abort();
    }
}

/// Reads one request from `stream`, records it, writes the script's answer.
async fn serve_one(
    mut stream: tokio::net::TcpStream,
    log: &std::sync::Mutex<Vec<RecordedRequest>>,
    answer: &Answer,
) -> std::io::Result<()> {
    use tokio::io::{AsyncReadExt, AsyncWriteExt};
    let mut buf = Vec::with_capacity(4096);
    let mut chunk = [0u8; 4096];
    let head_end = loop {
        if let Some(i) = buf.windows(4).position(|w| w == b"\r\n\r\n") {
            break i + 4;
        }
        let n = stream.read(&mut chunk).await?;
        if n == 0 {
            return Ok(());
        }
        buf.extend_from_slice(&chunk[..n]);
    };
    let head = String::from_utf8_lossy(&buf[..head_end]).into_owned();
    let mut lines = head.split("\r\n");
    let mut start = lines.next().unwrap_or_default().split(' ');
    let method = start.next().unwrap_or_default().to_owned();
    let target = start.next().unwrap_or("/").to_owned();
    let headers: Vec<(String, String)> = lines
        .filter_map(|l| l.split_once(':'))
        .map(|(k, v)| (k.trim().to_ascii_lowercase(), v.trim().to_owned()))
        .collect();
    let length = headers
        .iter()
        .find(|(k, _)| k == "content-length")
        .and_then(|(_, v)| v.parse::<usize>().ok())
        .unwrap_or(0);
    while buf.len() < head_end + length {
        let n = stream.read(&mut chunk).await?;
        if n == 0 {
            break;
        }
        buf.extend_from_slice(&chunk[..n]);
    }
    let (path, query) = match target.split_once('?') {
        Some((p, q)) => (p.to_owned(), Some(q.to_owned())),
        None => (target, None),
    };
    let request = RecordedRequest {
        method,
        path,
        query,
        headers,
        body: buf[head_end..].to_vec(),
    };
    let response = answer(&request);
    log.lock().unwrap_or_else(|p| p.into_inner()).push(request);
    stream.write_all(&response).await?;
    stream.shutdown().await
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

/// A file of this repository's `fixtures/<vendor>/` directory, as text:
/// the documented samples the vendor crates' own tests are driven by.
///
/// ```
/// let sample = whatsapp_common::mock::fixture("gateway-ru", "send_success_response.json");
/// assert!(sample.contains("107930572"));
/// ```
///
/// # Panics
///
/// When the file cannot be read: a test that names a missing fixture fails
/// there.
pub fn fixture(vendor: &str, name: &str) -> String {
    let path = format!(
        "{}/../../fixtures/{vendor}/{name}",
        env!("CARGO_MANIFEST_DIR")
    );
    std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{path}: {e}"))
}

/// [`fixture`] parsed as JSON.
///
/// # Panics
///
/// When the file cannot be read or is not JSON.
pub fn fixture_json(vendor: &str, name: &str) -> serde_json::Value {
    serde_json::from_str(&fixture(vendor, name))
        .unwrap_or_else(|e| panic!("fixtures/{vendor}/{name}: {e}"))
}

/// A retry policy fast enough for tests: the default three attempts, 5 ms
/// backoff doubling to 20 ms.
pub fn fast_retries() -> crate::RetryPolicy {
    crate::RetryPolicy::default()
        .initial_backoff(std::time::Duration::from_millis(5))
        .max_backoff(std::time::Duration::from_millis(20))
}
