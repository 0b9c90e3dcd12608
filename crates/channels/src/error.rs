//! The crate's error type, Bird's error body and its documented codes.

use std::collections::BTreeMap;

use serde::Deserialize;

whatsapp_common::str_enum! {
    /// The `code` of Bird's error body (`{code, message}`, and `details`
    /// for 422). Bird's OpenAPI documents the body, not the values; these
    /// are the ones its documentation and public samples show. Any other
    /// code reads as `Unknown`.
    pub enum ErrorCode {
        /// `InvalidPayload`: the request body could not be read (not JSON,
        /// or no operation matches it). The status is not documented.
        InvalidPayload = "InvalidPayload",
        /// `NotFound` (HTTP 404): the workspace, channel or contact does
        /// not exist ("The requested resource does not exist: channel not
        /// found").
        NotFound = "NotFound",
        /// `MalformedRequest` (HTTP 422): fields of the request are
        /// malformed; `details` names them.
        MalformedRequest = "MalformedRequest",
    }
}

impl ErrorCode {
    /// The HTTP status Bird documents for this code, where it does.
    pub fn documented_http_status(&self) -> Option<u16> {
        match self {
            Self::NotFound => Some(404),
            Self::MalformedRequest => Some(422),
            Self::InvalidPayload | Self::Unknown(_) => None,
        }
    }
}

/// Bird refused the request: its error body (`{code, message}`, and for 422
/// `details` with the messages per field).
///
/// 401, 403, 429 and 5xx answers may come without a body, or with one that
/// is not Bird's JSON (a proxy's page): then every field is `None`, and the
/// body is kept in the [`VendorError`](crate::VendorError) around it.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
#[non_exhaustive]
pub struct ApiError {
    /// `code`, a code that identifies the error, if the body had one.
    pub code: Option<ErrorCode>,
    /// `message`, readable text.
    pub message: Option<String>,
    /// `details` (422): field → messages.
    pub details: Option<BTreeMap<String, Vec<String>>>,
}

#[derive(Deserialize, Default)]
#[serde(default)]
struct WireError {
    code: Option<ErrorCode>,
    message: Option<String>,
    details: Option<BTreeMap<String, Vec<String>>>,
}

impl ApiError {
    /// Reads Bird's error body. Never fails: a body that is not Bird's
    /// error JSON, or has neither `code` nor `message`, gives an `ApiError`
    /// with every field `None`.
    ///
    /// ```
    /// use channels::{ApiError, ErrorCode};
    /// let e = ApiError::from_body(br#"{"code":"NotFound","message":"Contact not found"}"#);
    /// assert_eq!(e.code, Some(ErrorCode::NotFound));
    /// assert_eq!(ApiError::from_body(b"<html>"), ApiError::default());
    /// ```
    pub fn from_body(body: &[u8]) -> Self {
        match serde_json::from_slice::<WireError>(body) {
            Ok(w) if w.code.is_some() || w.message.is_some() => Self {
                code: w.code,
                message: w.message,
                details: w.details,
            },
            _ => Self::default(),
        }
    }

    /// Whether the answer carried Bird's error body.
    pub fn has_body(&self) -> bool {
        self.code.is_some() || self.message.is_some()
    }
}

/// Everything that can go wrong calling Bird. Sends carry no
/// de-duplication id: after a transport failure where the request may have
/// been sent, check (the message list, your `reference`) before sending
/// again.
pub type Error = whatsapp_common::Error<ApiError>;
