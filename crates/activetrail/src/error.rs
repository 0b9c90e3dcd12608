//! The crate's error type and ActiveTrail's documented errors.

use std::fmt;
use std::time::Duration;

use serde::Deserialize;
use whatsapp_common::{
    ConfigError, DecodeError, ErrorExt, RawBody, SendError, SendErrorKind, TransportError,
    ValidationError,
};

/// What ActiveTrail's status code means, by its error glossary.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum ErrorKind {
    /// 400: `BadRequest`, `InvalidResource` or `JSONParseError`.
    BadRequest,
    /// 401: `APIKeyMissing`: the token is missing or not valid.
    ApiKeyMissing,
    /// 403: `Forbidden` or `UserDisabled` (also: the token is limited to
    /// other IPs, or expired).
    Forbidden,
    /// 404: `ResourceNotFound`.
    ResourceNotFound,
    /// 405: `MethodNotAllowed`.
    MethodNotAllowed,
    /// 409: `ResolveMergeNeeded`.
    ResolveMergeNeeded,
    /// 429: too many requests (not in the glossary; handled generically).
    TooManyRequests,
    /// 500: `InternalServerError`.
    InternalServerError,
    /// 502, 503, 504: a gateway or the service is unavailable.
    Unavailable,
    /// Any other status.
    Other,
}

impl ErrorKind {
    fn from_status(status: u16) -> Self {
        match status {
            400 => Self::BadRequest,
            401 => Self::ApiKeyMissing,
            403 => Self::Forbidden,
            404 => Self::ResourceNotFound,
            405 => Self::MethodNotAllowed,
            409 => Self::ResolveMergeNeeded,
            429 => Self::TooManyRequests,
            500 => Self::InternalServerError,
            502..=504 => Self::Unavailable,
            _ => Self::Other,
        }
    }

    /// The glossary names that share this status.
    pub fn glossary_names(&self) -> &'static [&'static str] {
        match self {
            Self::BadRequest => &["BadRequest", "InvalidResource", "JSONParseError"],
            Self::ApiKeyMissing => &["APIKeyMissing"],
            Self::Forbidden => &["Forbidden", "UserDisabled"],
            Self::ResourceNotFound => &["ResourceNotFound"],
            Self::MethodNotAllowed => &["MethodNotAllowed", "MethodNotAllowedDoNotMail"],
            Self::ResolveMergeNeeded => &["ResolveMergeNeeded"],
            Self::InternalServerError => &["InternalServerError"],
            Self::TooManyRequests | Self::Unavailable | Self::Other => &[],
        }
    }
}

/// The ASP.NET error body, when there is one (`Message`, `MessageDetail`,
/// `ExceptionMessage`, `ModelState`), in JSON or XML.
#[derive(Debug, Clone, PartialEq, Default, Deserialize)]
#[serde(default)]
#[non_exhaustive]
pub struct ErrorBody {
    /// `Message`.
    #[serde(rename = "Message", alias = "message")]
    pub message: Option<String>,
    /// `MessageDetail`.
    #[serde(rename = "MessageDetail", alias = "messagedetail")]
    pub message_detail: Option<String>,
    /// `ExceptionMessage`.
    #[serde(rename = "ExceptionMessage", alias = "exceptionmessage")]
    pub exception_message: Option<String>,
    /// `ModelState`: field → messages.
    #[serde(rename = "ModelState", alias = "modelstate")]
    pub model_state: Option<crate::KeyValues<Vec<String>>>,
}

/// ActiveTrail refused the request.
#[derive(Debug, Clone)]
#[non_exhaustive]
pub struct ApiError {
    /// HTTP status.
    pub status: u16,
    /// What the status means.
    pub kind: ErrorKind,
    /// The glossary name found in the body, if any (e.g. `UserDisabled`).
    pub glossary_name: Option<&'static str>,
    /// The ASP.NET error body, when the body is one.
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
        let kind = ErrorKind::from_status(status);
        let text = String::from_utf8_lossy(body);
        let glossary_name = kind
            .glossary_names()
            .iter()
            .rev()
            .find(|n| text.contains(*n))
            .copied();
        Self {
            status,
            kind,
            glossary_name,
            body: parse_error_body(body),
            raw_body: RawBody::capture(body, truncated),
            retry_after,
        }
    }

    /// The most useful message the body carried.
    pub fn message(&self) -> Option<&str> {
        let b = self.body.as_ref()?;
        b.message
            .as_deref()
            .or(b.message_detail.as_deref())
            .or(b.exception_message.as_deref())
    }

    /// Whether the same request may succeed later (429 and 502–504). A send
    /// is still not retried by the client unless you opted in.
    pub fn is_retryable(&self) -> bool {
        matches!(
            self.kind,
            ErrorKind::TooManyRequests | ErrorKind::Unavailable
        )
    }
}

fn parse_error_body(body: &[u8]) -> Option<ErrorBody> {
    let trimmed = body.trim_ascii_start();
    match trimmed.first() {
        Some(b'{') => serde_json::from_slice(trimmed).ok(),
        Some(b'"') => serde_json::from_slice::<String>(trimmed)
            .ok()
            .map(|m| ErrorBody {
                message: Some(m),
                ..ErrorBody::default()
            }),
        #[cfg(feature = "xml")]
        Some(b'<') | Some(0xEF) => {
            let node = crate::xml::parse(body).ok()?;
            if !node.name.eq_ignore_ascii_case("Error") {
                return None;
            }
            serde_path_to_error::deserialize(crate::xml::NodeDeserializer(&node)).ok()
        }
        _ => None,
    }
}

impl fmt::Display for ApiError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "ActiveTrail refused the request: HTTP {}", self.status)?;
        if let Some(name) = self
            .glossary_name
            .or(self.kind.glossary_names().first().copied())
        {
            write!(f, " ({name})")?;
        }
        match self.message() {
            Some(m) => write!(f, ": {m}")?,
            None if !self.raw_body.is_empty() => write!(f, "; body: {}", self.raw_body)?,
            None => {}
        }
        if let Some(ms) = self.body.as_ref().and_then(|b| b.model_state.as_ref()) {
            for (field, messages) in ms.pairs() {
                write!(f, "; {field}: {}", messages.join(" "))?;
            }
        }
        Ok(())
    }
}

impl std::error::Error for ApiError {}

/// Everything that can go wrong calling ActiveTrail.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    /// The message breaks a documented rule; nothing was sent.
    #[error(transparent)]
    Validation(#[from] ValidationError),
    /// The client is misconfigured; nothing was sent.
    #[error(transparent)]
    Config(#[from] ConfigError),
    /// ActiveTrail could not be reached or did not answer in time. See
    /// [`TransportError::request_may_have_been_sent`]: the send is not
    /// idempotent, so sending again may deliver twice.
    #[error(transparent)]
    Transport(#[from] TransportError),
    /// A 2xx answer that is not the documented JSON or XML.
    #[error(transparent)]
    Decode(Box<DecodeError>),
    /// ActiveTrail refused the request.
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
        Self::Validation(ValidationError::new("segment.mobiles", e.to_string()))
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
            Error::Api(a) if matches!(a.kind, ErrorKind::ApiKeyMissing | ErrorKind::Forbidden) => {
                SendErrorKind::Auth
            }
            Error::Api(_) => SendErrorKind::Vendor,
        };
        let retryable = e.is_retryable();
        let retry_after = e.retry_after();
        SendError::new(crate::VENDOR, kind, retryable, retry_after, e)
    }
}
