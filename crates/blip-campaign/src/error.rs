//! The crate's error type.

use std::time::Duration;

use whatsapp_common::{
    ConfigError, DecodeError, ErrorExt, RawBody, SendError, SendErrorKind, TransportError,
    ValidationError,
};

use crate::Reason;

/// Everything that can go wrong calling Blip.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    /// The request breaks a documented rule; nothing was sent.
    #[error(transparent)]
    Validation(#[from] ValidationError),
    /// The client is misconfigured; nothing was sent.
    #[error(transparent)]
    Config(#[from] ConfigError),
    /// Blip could not be reached or did not answer in time.
    #[error(transparent)]
    Transport(#[from] TransportError),
    /// An answer that is not the documented JSON.
    #[error(transparent)]
    Decode(Box<DecodeError>),
    /// The command failed: HTTP 200 with `status: failure` (the common
    /// error path). `code` is LIME's reason code.
    #[error("Blip refused the command {uri}: reason {}{}: {}", .reason.code, .reason.code_name().map(|n| format!(" ({n})")).unwrap_or_default(), .reason.description.as_deref().unwrap_or("no description"))]
    Command {
        /// The command's uri.
        uri: String,
        /// Blip's reason.
        reason: Reason,
    },
    /// An HTTP error before the command was processed: 400 (malformed
    /// envelope), 401 (key refused), 429 (over the plan's commands per
    /// second), 504 (no answer within 60 s).
    #[error("Blip answered HTTP {status}; body: {raw_body}")]
    Http {
        /// HTTP status.
        status: u16,
        /// The start of the body.
        raw_body: RawBody,
        /// `Retry-After`, if sent.
        retry_after: Option<Duration>,
    },
    /// Audiences cannot be added to a campaign after it was dispatched.
    #[error(
        "campaign {campaign_id} was already dispatched: audiences can no longer be added; create a new campaign"
    )]
    AlreadyDispatched {
        /// The campaign.
        campaign_id: String,
    },
}

impl From<DecodeError> for Error {
    fn from(e: DecodeError) -> Self {
        Self::Decode(Box::new(e))
    }
}

impl From<whatsapp_common::PhoneError> for Error {
    fn from(e: whatsapp_common::PhoneError) -> Self {
        Self::Validation(ValidationError::new("recipient", e.to_string()))
    }
}

impl Error {
    /// The LIME reason of a failed command.
    pub fn reason(&self) -> Option<&Reason> {
        match self {
            Self::Command { reason, .. } => Some(reason),
            _ => None,
        }
    }
}

impl ErrorExt for Error {
    fn is_retryable(&self) -> bool {
        match self {
            Self::Transport(t) => t.is_retryable(),
            Self::Http { status, .. } => matches!(status, 429 | 502 | 503 | 504),
            Self::Command { reason, .. } => matches!(reason.code, 85 | 86),
            _ => false,
        }
    }

    fn retry_after(&self) -> Option<Duration> {
        match self {
            Self::Http { retry_after, .. } => *retry_after,
            _ => None,
        }
    }
}

impl From<Error> for SendError {
    fn from(e: Error) -> Self {
        let kind = match &e {
            Error::Validation(_) | Error::Config(_) | Error::AlreadyDispatched { .. } => {
                SendErrorKind::InvalidInput
            }
            Error::Transport(_) => SendErrorKind::Transport,
            Error::Decode(_) => SendErrorKind::Decode,
            Error::Http { status: 401, .. } => SendErrorKind::Auth,
            Error::Command { reason, .. } if (31..=35).contains(&reason.code) => {
                SendErrorKind::Auth
            }
            Error::Http { .. } | Error::Command { .. } => SendErrorKind::Vendor,
        };
        let retryable = e.is_retryable();
        let retry_after = e.retry_after();
        SendError::new(crate::VENDOR, kind, retryable, retry_after, e)
    }
}
