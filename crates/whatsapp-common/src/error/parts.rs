//! The parts [`Error`](super::Error) is made of: bad input, a transport
//! failure, a response that would not decode, and the bounded body kept for
//! diagnosis.

use std::borrow::Cow;
use std::fmt;

use super::RetryClass;

/// How many bytes of a response body an error keeps for diagnosis.
pub const RAW_BODY_LIMIT: usize = 4 * 1024;

/// Input that the vendor would refuse, caught before any request was sent.
///
/// `field` names the offending field by its path in the request
/// (`scheduleInfo.timeBegin`, `destinations[3].to`); the message says what
/// to change.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("invalid {field}: {reason}")]
pub struct ValidationError {
    field: Cow<'static, str>,
    reason: String,
}

impl ValidationError {
    /// A validation error for `field`, with a lowercase, actionable reason.
    pub fn new(field: impl Into<Cow<'static, str>>, reason: impl Into<String>) -> Self {
        Self {
            field: field.into(),
            reason: reason.into(),
        }
    }

    /// The field's path in the request.
    pub fn field(&self) -> &str {
        &self.field
    }

    /// What is wrong with it.
    pub fn reason(&self) -> &str {
        &self.reason
    }

    /// The same error for a field nested under `parent` (`parent.field`).
    #[must_use]
    pub fn within(self, parent: &str) -> Self {
        Self {
            field: Cow::Owned(format!("{parent}.{}", self.field)),
            reason: self.reason,
        }
    }
}

/// A response body kept for diagnosis: at most [`RAW_BODY_LIMIT`] bytes.
///
/// Displayed as lossy UTF-8 with a note when cut. Response bodies never hold
/// the caller's credentials, which only travel in requests.
#[derive(Clone, PartialEq, Eq, Default)]
pub struct RawBody {
    bytes: Vec<u8>,
    total_len: usize,
    truncated: bool,
}

impl RawBody {
    /// Keeps the first [`RAW_BODY_LIMIT`] bytes of `body`. `truncated` says
    /// whether the body had already been cut while it was read.
    pub fn capture(body: &[u8], truncated: bool) -> Self {
        let keep = body.len().min(RAW_BODY_LIMIT);
        Self {
            bytes: body[..keep].to_vec(),
            total_len: body.len(),
            truncated: truncated || keep < body.len(),
        }
    }

    /// The kept bytes.
    pub fn as_bytes(&self) -> &[u8] {
        &self.bytes
    }

    /// The kept bytes as text (invalid UTF-8 replaced).
    pub fn text(&self) -> Cow<'_, str> {
        String::from_utf8_lossy(&self.bytes)
    }

    /// Whether the body was longer than what is kept.
    pub fn is_truncated(&self) -> bool {
        self.truncated
    }

    /// Whether the body was empty.
    pub fn is_empty(&self) -> bool {
        self.total_len == 0
    }
}

impl fmt::Display for RawBody {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.total_len == 0 {
            return f.write_str("<empty body>");
        }
        // Keep error lines readable: the first 512 characters, on one line.
        let text = self.text();
        let mut shown: String = text.chars().take(512).collect();
        shown = shown.replace(['\r', '\n'], " ");
        f.write_str(&shown)?;
        if self.truncated || text.chars().count() > 512 {
            f.write_str(" …(truncated)")?;
        }
        Ok(())
    }
}

impl fmt::Debug for RawBody {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("RawBody")
            .field("text", &self.text())
            .field("truncated", &self.truncated)
            .finish_non_exhaustive()
    }
}

/// What went wrong moving bytes to and from the vendor.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum TransportErrorKind {
    /// The connection could not be made (DNS, refused, TLS handshake): the
    /// request never reached the vendor.
    Connect,
    /// No complete response within the configured timeout. The request may
    /// have been received and acted on.
    Timeout,
    /// The connection broke after the request was written, or another I/O
    /// failure. The request may have been received and acted on.
    Io,
    /// The request could not be built (bad base URL, header value).
    Request,
    /// The server answered with a redirect (3xx), which the client does not
    /// follow: the request's credentials would go to the host it names.
    /// The server did not act on the request; fix the base URL.
    Redirect,
}

/// A failure below HTTP: connect, timeout, broken connection.
///
/// [`TransportError::request_may_have_been_sent`] tells whether the vendor
/// could have acted on the request: if so, sending it again may deliver the
/// message twice unless the request carried an idempotency id.
#[derive(Debug, thiserror::Error)]
#[error("{}: {message} (after {attempts} attempt{})", kind_text(*kind), if *attempts == 1 { "" } else { "s" })]
pub struct TransportError {
    kind: TransportErrorKind,
    message: String,
    attempts: u32,
    redirect_host: Option<String>,
    nothing_sent: bool,
    earlier_attempt_may_have_reached: bool,
    #[source]
    source: Option<Box<dyn std::error::Error + Send + Sync + 'static>>,
}

fn kind_text(kind: TransportErrorKind) -> &'static str {
    match kind {
        TransportErrorKind::Connect => "could not connect",
        TransportErrorKind::Timeout => "timed out waiting for the response",
        TransportErrorKind::Io => "connection failed",
        TransportErrorKind::Request => "could not build the request",
        TransportErrorKind::Redirect => "redirected",
    }
}

impl TransportError {
    /// A transport error of `kind`. `message` must not hold secrets.
    pub fn new(
        kind: TransportErrorKind,
        message: impl Into<String>,
        source: Option<Box<dyn std::error::Error + Send + Sync + 'static>>,
    ) -> Self {
        Self {
            kind,
            message: message.into(),
            attempts: 1,
            redirect_host: None,
            nothing_sent: false,
            earlier_attempt_may_have_reached: false,
            source,
        }
    }

    pub(crate) fn with_redirect_host(mut self, host: Option<String>) -> Self {
        self.redirect_host = host;
        self
    }

    /// The host (and port, when the URL names one) a redirect pointed to,
    /// for [`TransportErrorKind::Redirect`]; its path and query are never
    /// kept.
    pub fn redirect_host(&self) -> Option<&str> {
        self.redirect_host.as_deref()
    }

    /// The same error after `attempts` attempts (at least 1), e.g. for a
    /// copy of an error another call returned.
    #[must_use]
    pub fn with_attempts(mut self, attempts: u32) -> Self {
        self.attempts = attempts.max(1);
        self
    }

    /// The same error, known to have happened before the request it
    /// belongs to was sent: a call the request depends on (such as a token
    /// fetch) timed out or lost its connection, so the request itself never
    /// left. [`TransportError::request_may_have_been_sent`] is then false
    /// and [`TransportError::retry_class`] is [`RetryClass::Safe`] whatever
    /// the kind, which stays that of the failed call.
    ///
    /// ```
    /// use whatsapp_common::{RetryClass, TransportError, TransportErrorKind};
    ///
    /// let token_call = TransportError::new(TransportErrorKind::Timeout, "no token", None);
    /// assert_eq!(token_call.retry_class(), RetryClass::IfDeduplicated);
    /// let send = token_call.nothing_sent();
    /// assert_eq!(send.kind(), TransportErrorKind::Timeout);
    /// assert!(!send.request_may_have_been_sent());
    /// assert_eq!(send.retry_class(), RetryClass::Safe);
    /// ```
    #[must_use]
    pub fn nothing_sent(mut self) -> Self {
        self.nothing_sent = true;
        self
    }

    /// What kind of failure it was.
    pub fn kind(&self) -> TransportErrorKind {
        self.kind
    }

    /// How many attempts were made before giving up.
    pub fn attempts(&self) -> u32 {
        self.attempts
    }

    /// The same error, after retried attempts of which one may have
    /// reached the vendor (`true`); what the retry loop records.
    pub(crate) fn after_attempts_that_may_have_reached(mut self, reached: bool) -> Self {
        self.earlier_attempt_may_have_reached = reached;
        self
    }

    /// Whether an earlier attempt of this request, retried by the retry
    /// loop, may have reached the vendor.
    pub fn earlier_attempt_may_have_reached(&self) -> bool {
        self.earlier_attempt_may_have_reached
    }

    /// Whether the vendor may have received (and acted on) the request: on
    /// the last attempt (a timeout or a broken connection after it left) or
    /// on an earlier one the retry loop sent again.
    pub fn request_may_have_been_sent(&self) -> bool {
        self.earlier_attempt_may_have_reached || self.last_attempt_may_have_been_sent()
    }

    fn last_attempt_may_have_been_sent(&self) -> bool {
        !self.nothing_sent
            && matches!(
                self.kind,
                TransportErrorKind::Timeout | TransportErrorKind::Io
            )
    }

    /// Whether sending the same request again is safe: [`RetryClass::Safe`]
    /// after a failed connect (the request never left),
    /// [`RetryClass::IfDeduplicated`] after a timeout or a broken connection
    /// (the vendor may have acted on it), [`RetryClass::Never`] for a request
    /// that could not be built. A timeout or a broken connection known to
    /// have happened before the request left
    /// ([`TransportError::nothing_sent`]) is [`RetryClass::Safe`]. The retry
    /// loop decides with this same function.
    pub fn retry_class(&self) -> RetryClass {
        match self.kind {
            TransportErrorKind::Connect => RetryClass::Safe,
            TransportErrorKind::Timeout | TransportErrorKind::Io if self.nothing_sent => {
                RetryClass::Safe
            }
            TransportErrorKind::Timeout | TransportErrorKind::Io => RetryClass::IfDeduplicated,
            TransportErrorKind::Request | TransportErrorKind::Redirect => RetryClass::Never,
        }
    }
}

/// A response that arrived but would not decode into the documented shape.
#[derive(Debug, Clone, thiserror::Error)]
#[error(
    "the vendor accepted the request (HTTP {status}) but its answer could not be read at {path}: {message}; do not send it again; body: {body}"
)]
pub struct DecodeError {
    status: u16,
    path: String,
    message: String,
    body: RawBody,
}

impl DecodeError {
    /// Decodes JSON; on failure, the error names the path where it failed.
    pub fn json<T: serde::de::DeserializeOwned>(
        status: u16,
        body: &[u8],
        truncated: bool,
    ) -> Result<T, Self> {
        if truncated {
            return Err(Self::new(
                status,
                ".",
                "the body was longer than the client's max_response_bytes and was cut",
                RawBody::capture(body, true),
            ));
        }
        // The common case first, at full speed; the path is worked out only
        // when decoding failed. A body checked as UTF-8 in one pass is read
        // as text, so that each string in it is not checked again.
        let fast = match std::str::from_utf8(body) {
            Ok(text) => serde_json::from_str(text),
            Err(_) => serde_json::from_slice(body),
        };
        if let Ok(value) = fast {
            return Ok(value);
        }
        let de = &mut serde_json::Deserializer::from_slice(body);
        serde_path_to_error::deserialize(de).map_err(|e| Self::at_path(status, body, e))
    }

    /// The error of a decoder run through `serde_path_to_error` over
    /// `body` (JSON, XML): the path where it stopped, its message, the
    /// start of the body.
    pub fn at_path<E: fmt::Display>(
        status: u16,
        body: &[u8],
        error: serde_path_to_error::Error<E>,
    ) -> Self {
        let path = error.path().to_string();
        Self::new(
            status,
            path,
            error.into_inner().to_string(),
            RawBody::capture(body, false),
        )
    }

    /// Decodes an already parsed JSON value; on failure, the error names the
    /// path where it failed.
    pub fn json_value<T: serde::de::DeserializeOwned>(
        status: u16,
        value: serde_json::Value,
    ) -> Result<T, Self> {
        match T::deserialize(&value) {
            Ok(v) => Ok(v),
            Err(_) => serde_path_to_error::deserialize(&value).map_err(|e| {
                let body = serde_json::to_vec(&value).unwrap_or_default();
                Self::at_path(status, &body, e)
            }),
        }
    }

    /// A decode error built by a non-JSON decoder (XML, CSV).
    pub fn new(
        status: u16,
        path: impl Into<String>,
        message: impl Into<String>,
        body: RawBody,
    ) -> Self {
        Self {
            status,
            path: path.into(),
            message: message.into(),
            body,
        }
    }

    /// The HTTP status of the response.
    pub fn status(&self) -> u16 {
        self.status
    }

    /// Where in the document decoding failed (`.` for the root).
    pub fn path(&self) -> &str {
        &self.path
    }

    /// The decoder's message.
    pub fn message(&self) -> &str {
        &self.message
    }

    /// The start of the body that failed to decode.
    pub fn body(&self) -> &RawBody {
        &self.body
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn raw_body_is_bounded() {
        let big = vec![b'x'; RAW_BODY_LIMIT * 3];
        let raw = RawBody::capture(&big, false);
        assert_eq!(raw.as_bytes().len(), RAW_BODY_LIMIT);
        assert!(raw.is_truncated());
        let shown = raw.to_string();
        assert!(shown.ends_with("…(truncated)"));
        assert!(shown.chars().count() < 600);
        let small = RawBody::capture(b"{\"a\":\n1}", false);
        assert!(!small.is_truncated());
        assert_eq!(small.to_string(), "{\"a\": 1}");
        assert_eq!(RawBody::capture(b"", false).to_string(), "<empty body>");
    }

    #[test]
    fn decode_error_names_the_path() {
        #[derive(serde::Deserialize, Debug)]
        #[allow(dead_code)]
        struct Outer {
            inner: Inner,
        }
        #[derive(serde::Deserialize, Debug)]
        #[allow(dead_code)]
        struct Inner {
            n: u32,
        }
        let err = DecodeError::json::<Outer>(200, br#"{"inner":{"n":"x"}}"#, false).unwrap_err();
        assert_eq!(err.path(), "inner.n");
        assert_eq!(err.status(), 200);
        assert!(err.to_string().contains("inner.n"), "{err}");
        let cut = DecodeError::json::<Outer>(200, b"{", true).unwrap_err();
        assert!(cut.message().contains("max_response_bytes"));
    }

    #[test]
    fn validation_error_nests() {
        let e = ValidationError::new("timeBegin", "must be HH:MM").within("scheduleInfo");
        assert_eq!(e.field(), "scheduleInfo.timeBegin");
        assert_eq!(
            e.to_string(),
            "invalid scheduleInfo.timeBegin: must be HH:MM"
        );
    }
}
