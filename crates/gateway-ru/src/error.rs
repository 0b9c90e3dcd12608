//! The crate's error type and the gateway's documented error codes.

use std::fmt;
use std::time::Duration;

use serde::Deserialize;
use whatsapp_common::{
    ConfigError, DecodeError, ErrorExt, RawBody, SendError, SendErrorKind, TransportError,
    ValidationError,
};

whatsapp_common::int_enum! {
    /// The gateway's error codes (the `error.code` of an error response).
    pub enum ErrorCode {
        /// `1` Service is unavailable (HTTP 503). Retryable.
        ServiceUnavailable = 1,
        /// `2` Invalid IP-address (HTTP 403): the caller's IP is not on the
        /// account's allow-list.
        InvalidIpAddress = 2,
        /// `3` Too many connections (HTTP 429). Retryable.
        TooManyConnections = 3,
        /// `4` Invalid request (HTTP 400); `extendedDescription` says why.
        InvalidRequest = 4,
        /// `5` Invalid login (HTTP 401).
        InvalidLogin = 5,
        /// `6` Invalid password (HTTP 401).
        InvalidPassword = 6,
        /// `7` serviceNumber is not defined (HTTP 400).
        ServiceNumberNotDefined = 7,
        /// `8` destAddr is not correct (HTTP 406).
        InvalidDestAddr = 8,
        /// `9` Message type is not correct (HTTP 406).
        InvalidMessageType = 9,
        /// `10` Prohibited sending duplicates (HTTP 409): a message with this
        /// `id` was already accepted. Final: the message is already sent.
        DuplicateProhibited = 10,
        /// `11` Invalid TTL (HTTP 406).
        InvalidTtl = 11,
        /// `100` internal error (HTTP 500).
        Internal = 100,
    }
}

impl ErrorCode {
    /// The description the gateway documents for this code.
    pub fn description(&self) -> &'static str {
        match self {
            Self::ServiceUnavailable => "Service is unavailable",
            Self::InvalidIpAddress => "Invalid IP-address",
            Self::TooManyConnections => "Too many connections",
            Self::InvalidRequest => "Invalid request",
            Self::InvalidLogin => "Invalid login",
            Self::InvalidPassword => "Invalid password",
            Self::ServiceNumberNotDefined => "serviceNumber is not defined",
            Self::InvalidDestAddr => "destAddr is not correct",
            Self::InvalidMessageType => "Message type is not correct",
            Self::DuplicateProhibited => "Prohibited sending duplicates",
            Self::InvalidTtl => "Invalid TTL",
            Self::Internal => "100",
            Self::Unknown(_) => "unknown error",
        }
    }

    /// The HTTP status the gateway documents for this code.
    pub fn documented_http_status(&self) -> Option<u16> {
        Some(match self {
            Self::ServiceUnavailable => 503,
            Self::InvalidIpAddress => 403,
            Self::TooManyConnections => 429,
            Self::InvalidRequest | Self::ServiceNumberNotDefined => 400,
            Self::InvalidLogin | Self::InvalidPassword => 401,
            Self::InvalidDestAddr | Self::InvalidMessageType | Self::InvalidTtl => 406,
            Self::DuplicateProhibited => 409,
            Self::Internal => 500,
            Self::Unknown(_) => return None,
        })
    }

    /// Whether the gateway refused the request without acting on it and the
    /// same request may succeed later: `1` (service unavailable) and `3`
    /// (too many connections).
    pub fn is_retryable(&self) -> bool {
        matches!(self, Self::ServiceUnavailable | Self::TooManyConnections)
    }

    /// Whether the credentials or the caller's IP were refused.
    pub fn is_auth(&self) -> bool {
        matches!(
            self,
            Self::InvalidIpAddress | Self::InvalidLogin | Self::InvalidPassword
        )
    }
}

#[derive(Deserialize)]
pub(crate) struct WireError {
    pub(crate) error: WireErrorInner,
    #[serde(rename = "extendedDescription", default)]
    pub(crate) extended_description: Option<String>,
}

#[derive(Deserialize)]
pub(crate) struct WireErrorInner {
    pub(crate) code: ErrorCode,
    #[serde(default)]
    pub(crate) description: Option<String>,
}

/// The gateway refused the request: a non-200 answer.
///
/// `code` is the gateway's error code when the body carried one; a body
/// that is not the documented error JSON (an HTML page from a proxy) leaves
/// it `None` and is kept in `raw_body`.
#[derive(Debug, Clone)]
#[non_exhaustive]
pub struct GatewayError {
    /// HTTP status.
    pub status: u16,
    /// `error.code`, if the body had one.
    pub code: Option<ErrorCode>,
    /// `error.description`, as sent.
    pub description: Option<String>,
    /// `extendedDescription`: the gateway's detail, e.g. which limit was hit.
    pub extended_description: Option<String>,
    /// The start of the body.
    pub raw_body: RawBody,
    /// `Retry-After`, if the gateway sent one.
    pub retry_after: Option<Duration>,
}

impl GatewayError {
    pub(crate) fn from_response(
        status: u16,
        body: &[u8],
        truncated: bool,
        retry_after: Option<Duration>,
    ) -> Self {
        let parsed: Option<WireError> = serde_json::from_slice(body).ok();
        let (code, description, extended_description) = match parsed {
            Some(w) => (
                Some(w.error.code),
                w.error.description,
                w.extended_description,
            ),
            None => (None, None, None),
        };
        Self {
            status,
            code,
            description,
            extended_description,
            raw_body: RawBody::capture(body, truncated),
            retry_after,
        }
    }

    /// Whether the gateway says this message was already accepted under
    /// its `id` (code 10): treat as sent, do not send again.
    pub fn is_already_sent(&self) -> bool {
        self.code == Some(ErrorCode::DuplicateProhibited)
    }

    /// Whether the same request may succeed later.
    pub fn is_retryable(&self) -> bool {
        match self.code {
            Some(code) => code.is_retryable(),
            None => matches!(self.status, 429 | 502 | 503 | 504),
        }
    }
}

impl fmt::Display for GatewayError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "gateway refused the request: HTTP {}", self.status)?;
        match self.code {
            Some(code) => {
                let desc = self.description.as_deref().unwrap_or(code.description());
                write!(f, ", error {code} ({desc})")?;
                if let Some(ext) = &self.extended_description {
                    write!(f, ": {ext}")?;
                }
                Ok(())
            }
            None => write!(f, ", body: {}", self.raw_body),
        }
    }
}

impl std::error::Error for GatewayError {}

/// Everything that can go wrong calling the gateway.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    /// The request breaks a documented rule; nothing was sent.
    #[error(transparent)]
    Validation(#[from] ValidationError),
    /// The client is misconfigured; nothing was sent.
    #[error(transparent)]
    Config(#[from] ConfigError),
    /// The gateway could not be reached or did not answer in time. See
    /// [`TransportError::request_may_have_been_sent`]: if it may have been,
    /// send again only with the same `id` (the same [`SendRequest`]).
    ///
    /// [`SendRequest`]: crate::SendRequest
    #[error(transparent)]
    Transport(#[from] TransportError),
    /// A 200 answer that is not the documented JSON.
    #[error(transparent)]
    Decode(Box<DecodeError>),
    /// The gateway refused the request.
    #[error(transparent)]
    Gateway(Box<GatewayError>),
}

impl From<DecodeError> for Error {
    fn from(e: DecodeError) -> Self {
        Self::Decode(Box::new(e))
    }
}

impl From<GatewayError> for Error {
    fn from(e: GatewayError) -> Self {
        Self::Gateway(Box::new(e))
    }
}

impl From<whatsapp_common::PhoneError> for Error {
    fn from(e: whatsapp_common::PhoneError) -> Self {
        Self::Validation(ValidationError::new("destAddr", e.to_string()))
    }
}

impl Error {
    /// The gateway's error code, if the gateway answered with one.
    pub fn code(&self) -> Option<ErrorCode> {
        match self {
            Self::Gateway(g) => g.code,
            _ => None,
        }
    }
}

impl ErrorExt for Error {
    fn is_retryable(&self) -> bool {
        match self {
            Self::Transport(t) => t.is_retryable(),
            Self::Gateway(g) => g.is_retryable(),
            Self::Validation(_) | Self::Config(_) | Self::Decode(_) => false,
        }
    }

    fn retry_after(&self) -> Option<Duration> {
        match self {
            Self::Gateway(g) => g.retry_after,
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
            Error::Gateway(g) if g.code.is_some_and(|c| c.is_auth()) => SendErrorKind::Auth,
            Error::Gateway(_) => SendErrorKind::Vendor,
        };
        let retryable = e.is_retryable();
        let retry_after = e.retry_after();
        SendError::new(crate::VENDOR, kind, retryable, retry_after, e)
    }
}
