//! One HTTP attempt: the request sent, redirects refused, the body read
//! up to the client's limit, and `reqwest`'s errors mapped.

use super::HttpClient;
use crate::error::{RetryClass, TransportError, TransportErrorKind};
use crate::http::{Request, Response, parse_retry_after};

impl HttpClient {
    pub(super) async fn attempt(
        &self,
        req: &Request,
        url: &reqwest::Url,
    ) -> Result<Response, TransportError> {
        let inner = &*self.inner;
        // A request made with `HttpClient::request` carries the client's
        // credential already; one built by hand gets it here.
        let mut headers = req.headers.clone();
        if let Some(c) = &inner.credential
            && !headers.contains_key(&c.name)
        {
            headers.insert(c.name.clone(), c.value.clone());
        }
        let mut builder = inner
            .client
            .request(req.method.to_reqwest(), url.clone())
            .headers(headers);
        if let Some(body) = &req.body {
            builder = builder.body(body.clone());
        }
        let mut resp = builder.send().await.map_err(map_reqwest_error)?;
        let status = resp.status().as_u16();
        if (300..400).contains(&status) {
            return Err(redirected(status, url, resp.headers()));
        }
        let retry_after = resp
            .headers()
            .get(reqwest::header::RETRY_AFTER)
            .and_then(|v| v.to_str().ok())
            .and_then(parse_retry_after);
        let content_type = resp.headers().get(reqwest::header::CONTENT_TYPE).cloned();
        let limit = inner.max_response_bytes;
        let expected = resp.content_length().map(|n| (n as usize).min(limit));
        let mut body = Body::Empty;
        let mut truncated = false;
        while let Some(chunk) = resp.chunk().await.map_err(map_reqwest_error)? {
            let room = limit - body.len();
            if chunk.len() > room {
                body.push(chunk.slice(..room), expected);
                truncated = true;
                break;
            }
            body.push(chunk, expected);
        }
        let body = body.into_bytes();
        tracing::debug!(status, bytes = body.len(), truncated, "response");
        Ok(Response {
            status,
            body,
            truncated,
            retry_after,
            content_type,
            attempts: 1,
            retry_class: RetryClass::Never,
            earlier_attempt_may_have_reached: false,
        })
    }
}

/// A response body as it is read: a body that arrives in one chunk is kept
/// as that chunk, with no copy; only a body in several is gathered into one
/// buffer.
pub(super) enum Body {
    Empty,
    One(bytes::Bytes),
    Many(Vec<u8>),
}

impl Body {
    pub(super) fn len(&self) -> usize {
        match self {
            Self::Empty => 0,
            Self::One(b) => b.len(),
            Self::Many(v) => v.len(),
        }
    }

    /// Appends `chunk`; `expected` is the announced length, if any, of
    /// which at most [`PREALLOCATE_AT_MOST`] is reserved up front: the
    /// server's word is not a reason to allocate megabytes.
    pub(super) fn push(&mut self, chunk: bytes::Bytes, expected: Option<usize>) {
        match self {
            Self::Empty => *self = Self::One(chunk),
            Self::One(first) => {
                let needed = first.len() + chunk.len();
                let announced = expected.unwrap_or(0).min(PREALLOCATE_AT_MOST);
                let mut all = Vec::with_capacity(announced.max(needed));
                all.extend_from_slice(first);
                all.extend_from_slice(&chunk);
                *self = Self::Many(all);
            }
            Self::Many(all) => all.extend_from_slice(&chunk),
        }
    }

    fn into_bytes(self) -> bytes::Bytes {
        match self {
            Self::Empty => bytes::Bytes::new(),
            Self::One(b) => b,
            Self::Many(v) => v.into(),
        }
    }
}

/// The most a response's `Content-Length` makes the client reserve before
/// the bytes arrive.
pub(super) const PREALLOCATE_AT_MOST: usize = 256 * 1024;

/// The error for a 3xx: redirects are not followed, and the error names the
/// host the server pointed to (never its path or query).
fn redirected(
    status: u16,
    from: &reqwest::Url,
    headers: &reqwest::header::HeaderMap,
) -> TransportError {
    let host = headers
        .get(reqwest::header::LOCATION)
        .and_then(|v| v.to_str().ok())
        .and_then(|l| from.join(l).ok())
        .and_then(|to| {
            let host = to.host_str()?;
            Some(match to.port() {
                Some(port) => format!("{host}:{port}"),
                None => host.to_owned(),
            })
        });
    let target = match &host {
        Some(h) => format!("to host {h}"),
        None => "without a usable Location".to_owned(),
    };
    TransportError::new(
        TransportErrorKind::Redirect,
        format!(
            "the server answered HTTP {status}, a redirect {target}; redirects are not \
             followed (the request's credentials would go with it): set base_url to the \
             final address"
        ),
        None,
    )
    .with_redirect_host(host)
}

fn map_reqwest_error(e: reqwest::Error) -> TransportError {
    // Drop the URL: a caller's base URL may carry a tenant token in its path.
    let e = e.without_url();
    let kind = if e.is_connect() {
        TransportErrorKind::Connect
    } else if e.is_timeout() {
        TransportErrorKind::Timeout
    } else if e.is_builder() {
        TransportErrorKind::Request
    } else {
        TransportErrorKind::Io
    };
    let mut message = e.to_string();
    let mut source = std::error::Error::source(&e);
    while let Some(s) = source {
        message.push_str(": ");
        message.push_str(&s.to_string());
        source = s.source();
    }
    TransportError::new(kind, message, Some(Box::new(e)))
}
