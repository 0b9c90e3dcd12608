//! The crate's error type.

use std::fmt;
use std::time::Duration;

use serde::Deserialize;
use whatsapp_common::{
    ConfigError, DecodeError, ErrorExt, RawBody, SendError, SendErrorKind, TransportError,
    ValidationError,
};

/// What a non-2xx status of a send means, per the CEC reference.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum ApiErrorKind {
    /// 400: incorrect request; check the path and parameters.
    BadRequest,
    /// 401: unauthorized (after one token renewal and one retry): check the
    /// purchased services and the account's status.
    Unauthorized,
    /// 404: not found; check the request path (the base URL).
    NotFound,
    /// 429: throttled.
    TooManyRequests,
    /// 500: the service says the parameter values are incorrect.
    ServerError,
    /// 502, 503, 504: a gateway or the service is unavailable.
    Unavailable,
    /// Any other status.
    Other,
}

impl ApiErrorKind {
    fn from_status(status: u16) -> Self {
        match status {
            400 => Self::BadRequest,
            401 => Self::Unauthorized,
            404 => Self::NotFound,
            429 => Self::TooManyRequests,
            500 => Self::ServerError,
            502..=504 => Self::Unavailable,
            _ => Self::Other,
        }
    }

    fn hint(self) -> &'static str {
        match self {
            Self::BadRequest => "incorrect request: check the request path and parameters",
            Self::Unauthorized => {
                "unauthorized: check the purchased services and the account's status"
            }
            Self::NotFound => "not found: check the base URL",
            Self::TooManyRequests => "too many requests",
            Self::ServerError => "server error: check the parameter values",
            Self::Unavailable => "service unavailable",
            Self::Other => "unexpected status",
        }
    }
}

/// The OMNI error body (`requestError.serviceException`), when the service
/// passes one through.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "camelCase")]
#[non_exhaustive]
pub struct ServiceException {
    /// `messageId`: an error code such as `BAD_REQUEST`.
    #[serde(default)]
    pub message_id: Option<String>,
    /// `text`: a readable message.
    #[serde(default)]
    pub text: Option<String>,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct WireError {
    request_error: WireRequestError,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct WireRequestError {
    service_exception: ServiceException,
}

/// A send answered with a non-2xx status.
#[derive(Debug, Clone)]
#[non_exhaustive]
pub struct ApiError {
    /// HTTP status.
    pub status: u16,
    /// What the status means.
    pub kind: ApiErrorKind,
    /// The OMNI error detail, if the body carried one.
    pub service_exception: Option<ServiceException>,
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
        let service_exception = serde_json::from_slice::<WireError>(body)
            .ok()
            .map(|w| w.request_error.service_exception);
        Self {
            status,
            kind: ApiErrorKind::from_status(status),
            service_exception,
            raw_body: RawBody::capture(body, truncated),
            retry_after,
        }
    }

    /// Whether the same send may succeed later.
    pub fn is_retryable(&self) -> bool {
        matches!(
            self.kind,
            ApiErrorKind::TooManyRequests | ApiErrorKind::Unavailable
        )
    }
}

impl fmt::Display for ApiError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "CEC refused the send: HTTP {} ({})",
            self.status,
            self.kind.hint()
        )?;
        match &self.service_exception {
            Some(e) => write!(
                f,
                ": {} {}",
                e.message_id.as_deref().unwrap_or("-"),
                e.text.as_deref().unwrap_or("")
            ),
            None if !self.raw_body.is_empty() => write!(f, "; body: {}", self.raw_body),
            None => Ok(()),
        }
    }
}

impl std::error::Error for ApiError {}

/// The `tokenByAkSk` call failed: the app key and secret were refused, or
/// the answer carried no token.
#[derive(Debug, Clone)]
#[non_exhaustive]
pub struct AuthError {
    /// HTTP status of the token call.
    pub status: u16,
    /// What went wrong.
    pub reason: String,
    /// The start of the body (never holds the app secret).
    pub raw_body: RawBody,
}

impl fmt::Display for AuthError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "tokenByAkSk failed: HTTP {}: {}; body: {}",
            self.status, self.reason, self.raw_body
        )
    }
}

impl std::error::Error for AuthError {}

/// Everything that can go wrong calling CEC.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    /// The request breaks a documented rule; nothing was sent.
    #[error(transparent)]
    Validation(#[from] ValidationError),
    /// The client is misconfigured; nothing was sent.
    #[error(transparent)]
    Config(#[from] ConfigError),
    /// CEC could not be reached or did not answer in time. See
    /// [`TransportError::request_may_have_been_sent`].
    #[error(transparent)]
    Transport(#[from] TransportError),
    /// A 2xx answer that is not the documented JSON.
    #[error(transparent)]
    Decode(Box<DecodeError>),
    /// No token could be obtained.
    #[error(transparent)]
    Auth(Box<AuthError>),
    /// The send was refused.
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

impl From<AuthError> for Error {
    fn from(e: AuthError) -> Self {
        Self::Auth(Box::new(e))
    }
}

impl From<whatsapp_common::PhoneError> for Error {
    fn from(e: whatsapp_common::PhoneError) -> Self {
        Self::Validation(ValidationError::new("to.phoneNumber", e.to_string()))
    }
}

impl ErrorExt for Error {
    fn is_retryable(&self) -> bool {
        match self {
            Self::Transport(t) => t.is_retryable(),
            Self::Api(a) => a.is_retryable(),
            Self::Auth(a) => a.status >= 500 || a.status == 429,
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
            Error::Auth(_) => SendErrorKind::Auth,
            Error::Api(a) if a.kind == ApiErrorKind::Unauthorized => SendErrorKind::Auth,
            Error::Api(_) => SendErrorKind::Vendor,
        };
        let retryable = e.is_retryable();
        let retry_after = e.retry_after();
        SendError::new(crate::VENDOR, kind, retryable, retry_after, e)
    }
}
