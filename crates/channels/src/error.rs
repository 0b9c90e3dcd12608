//! The crate's error type and Bird's error bodies.

use std::fmt;
use std::time::Duration;

use serde::Deserialize;
use whatsapp_common::{
    ConfigError, DecodeError, ErrorExt, RawBody, SendError, SendErrorKind, TransportError,
    ValidationError,
};

/// Bird's error body: `{code, message}`, and for 422 `details` with the
/// messages per field.
#[derive(Debug, Clone, PartialEq, Eq, Default, Deserialize)]
#[serde(default)]
#[non_exhaustive]
pub struct ErrorBody {
    /// A code that identifies the error (`NotFound`, `MalformedRequest`, …).
    pub code: Option<String>,
    /// A readable message.
    pub message: Option<String>,
    /// Field → messages (422).
    pub details: Option<std::collections::BTreeMap<String, Vec<String>>>,
}

/// Bird refused the request.
#[derive(Debug, Clone)]
#[non_exhaustive]
pub struct ApiError {
    /// HTTP status (400, 401, 403, 404, 409, 422, 429, 5xx…).
    pub status: u16,
    /// The error body, when it is Bird's JSON (401, 403, 429 and 5xx may
    /// come with none).
    pub body: Option<ErrorBody>,
    /// The start of the body.
    pub raw_body: RawBody,
    /// `Retry-After`, if sent.
    pub retry_after: Option<Duration>,
}

impl ApiError {
    pub(crate) fn from_response(
        status: u16,
        body: &[u8],
        truncated: bool,
        retry_after: Option<Duration>,
    ) -> Self {
        Self {
            status,
            body: serde_json::from_slice::<ErrorBody>(body)
                .ok()
                .filter(|b| b.code.is_some() || b.message.is_some()),
            raw_body: RawBody::capture(body, truncated),
            retry_after,
        }
    }

    /// Bird's error code, if any.
    pub fn code(&self) -> Option<&str> {
        self.body.as_ref()?.code.as_deref()
    }

    /// Whether the same request may succeed later: 429 (Bird did not
    /// process it) and 5xx.
    pub fn is_retryable(&self) -> bool {
        self.status == 429 || self.status >= 500
    }
}

impl fmt::Display for ApiError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Bird refused the request: HTTP {}", self.status)?;
        match &self.body {
            Some(b) => {
                if let Some(c) = &b.code {
                    write!(f, " {c}")?;
                }
                if let Some(m) = &b.message {
                    write!(f, ": {m}")?;
                }
                if let Some(d) = &b.details {
                    for (field, msgs) in d {
                        write!(f, "; {field}: {}", msgs.join(" "))?;
                    }
                }
                Ok(())
            }
            None if self.raw_body.is_empty() => Ok(()),
            None => write!(f, "; body: {}", self.raw_body),
        }
    }
}

impl std::error::Error for ApiError {}

/// Everything that can go wrong calling Bird.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    /// The request breaks a documented rule; nothing was sent.
    #[error(transparent)]
    Validation(#[from] ValidationError),
    /// The client is misconfigured; nothing was sent.
    #[error(transparent)]
    Config(#[from] ConfigError),
    /// Bird could not be reached or did not answer in time. A send is not
    /// idempotent: if [`TransportError::request_may_have_been_sent`], check
    /// before sending again.
    #[error(transparent)]
    Transport(#[from] TransportError),
    /// A 2xx answer that is not the documented JSON.
    #[error(transparent)]
    Decode(Box<DecodeError>),
    /// Bird refused the request.
    #[error(transparent)]
    Api(Box<ApiError>),
}

impl From<DecodeError> for Error {
    fn from(e: DecodeError) -> Self {
        Self::Decode(Box::new(e))
    }
}

impl From<ApiError> for Error {
    fn from(e: ApiError) -> Self {
        Self::Api(Box::new(e))
    }
}

impl From<whatsapp_common::PhoneError> for Error {
    fn from(e: whatsapp_common::PhoneError) -> Self {
        Self::Validation(ValidationError::new("receiver.contacts", e.to_string()))
    }
}

impl ErrorExt for Error {
    fn is_retryable(&self) -> bool {
        match self {
            Self::Transport(t) => t.is_retryable(),
            Self::Api(a) => a.is_retryable(),
            Self::Validation(_) | Self::Config(_) | Self::Decode(_) => false,
        }
    }

    fn retry_after(&self) -> Option<Duration> {
        match self {
            Self::Api(a) => a.retry_after,
            _ => None,
        }
    }
}

impl From<Error> for SendError {
    fn from(e: Error) -> Self {
        let kind = match &e {
            Error::Validation(_) | Error::Config(_) => SendErrorKind::InvalidInput,
            Error::Transport(_) => SendErrorKind::Transport,
            Error::Decode(_) => SendErrorKind::Decode,
            Error::Api(a) if matches!(a.status, 401 | 403) => SendErrorKind::Auth,
            Error::Api(_) => SendErrorKind::Vendor,
        };
        let retryable = e.is_retryable();
        let retry_after = e.retry_after();
        SendError::new(crate::VENDOR, kind, retryable, retry_after, e)
    }
}
