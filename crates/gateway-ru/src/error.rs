//! The crate's error type and the gateway's documented error codes.

whatsapp_common::int_enum! {
    /// The gateway's error codes (the `error.code` of an error response).
    pub enum ErrorCode {
        /// `1` Service is unavailable (HTTP 503): not processed, retried.
        ServiceUnavailable = 1,
        /// `2` Invalid IP-address (HTTP 403): the caller's IP is not on the
        /// account's allow-list.
        InvalidIpAddress = 2,
        /// `3` Too many connections (HTTP 429): not processed, retried.
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

    /// Whether the credentials or the caller's IP were refused.
    pub fn is_auth(&self) -> bool {
        matches!(
            self,
            Self::InvalidIpAddress | Self::InvalidLogin | Self::InvalidPassword
        )
    }
}

/// The gateway refused the request: the error document of a non-2xx answer
/// (`{"error":{"code","description"},"extendedDescription"}`).
///
/// `code` is the gateway's error code when the body carried one; a body
/// that is not the documented error JSON (an HTML page from a proxy) leaves
/// every field `None`, and the body is kept in the
/// [`VendorError`](whatsapp_common::VendorError) around it.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
#[non_exhaustive]
pub struct ApiError {
    /// `error.code`, if the body had one.
    pub code: Option<ErrorCode>,
    /// `error.description`, as sent.
    pub description: Option<String>,
    /// `extendedDescription`: the gateway's detail, e.g. which limit was hit.
    pub extended_description: Option<String>,
}

impl ApiError {
    /// Whether the gateway says a message with this `id` was already
    /// accepted (code 10): treat it as sent, do not send it again.
    pub fn is_already_sent(&self) -> bool {
        self.code == Some(ErrorCode::DuplicateProhibited)
    }
}

/// Everything that can go wrong calling the gateway. After a transport
/// failure where the request may have been sent, send again only with the
/// same `id` (the same [`SendRequest`](crate::SendRequest)), and only with
/// the gateway's duplicate control on.
pub type Error = whatsapp_common::Error<ApiError>;
