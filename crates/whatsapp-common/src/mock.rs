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
