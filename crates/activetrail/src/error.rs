//! The crate's error type and ActiveTrail's documented errors.

use serde::Deserialize;

whatsapp_common::str_enum! {
    /// The names of ActiveTrail's error glossary
    /// (<https://webapi.mymarketing.co.il/api/docs/guides/GetView/error-glossary>),
    /// each documented under one HTTP status
    /// ([`ErrorCode::documented_http_status`]) with a text
    /// ([`ErrorCode::description`]).
    ///
    /// ActiveTrail documents no body shape for its errors: the code of an
    /// [`ApiError`] is the glossary name its body mentions, among those
    /// documented under the answer's status.
    pub enum ErrorCode {
        /// 400: "Your request could not be processed."
        BadRequest = "BadRequest",
        /// 400: "The resource submitted could not be validated."
        InvalidResource = "InvalidResource",
        /// 400: "We encountered an unspecified JSON parsing error."
        JsonParseError = "JSONParseError",
        /// 401: "Your request did not include an API key." (also sent for a
        /// token that is not valid).
        ApiKeyMissing = "APIKeyMissing",
        /// 403: "You are not permitted to access this resource." (also: the
        /// token is limited to other IPs, or expired).
        Forbidden = "Forbidden",
        /// 403: "This account has been disabled."
        UserDisabled = "UserDisabled",
        /// 404: "Resource not found."
        ResourceNotFound = "ResourceNotFound",
        /// 405 (no text documented).
        MethodNotAllowed = "MethodNotAllowed",
        /// 405: "You cannot change this status when the user is_donotmail is
        /// true."
        MethodNotAllowedDoNotMail = "MethodNotAllowedDoNotMail",
        /// 409 (no text documented).
        ResolveMergeNeeded = "ResolveMergeNeeded",
        /// 500: "An unexpected internal error has occurred. Please contact
        /// Support."
        InternalServerError = "InternalServerError",
    }
}

impl ErrorCode {
    /// Every glossary name, in the glossary's order.
    pub const DOCUMENTED: &'static [Self] = &[
        Self::BadRequest,
        Self::InvalidResource,
        Self::JsonParseError,
        Self::ApiKeyMissing,
        Self::Forbidden,
        Self::UserDisabled,
        Self::ResourceNotFound,
        Self::MethodNotAllowed,
        Self::MethodNotAllowedDoNotMail,
        Self::ResolveMergeNeeded,
        Self::InternalServerError,
    ];

    /// The HTTP status the glossary lists this name under.
    pub fn documented_http_status(&self) -> Option<u16> {
        Some(match self {
            Self::BadRequest | Self::InvalidResource | Self::JsonParseError => 400,
            Self::ApiKeyMissing => 401,
            Self::Forbidden | Self::UserDisabled => 403,
            Self::ResourceNotFound => 404,
            Self::MethodNotAllowed | Self::MethodNotAllowedDoNotMail => 405,
            Self::ResolveMergeNeeded => 409,
            Self::InternalServerError => 500,
            Self::Unknown(_) => return None,
        })
    }

    /// The glossary's text for this name, where it gives one (the
    /// glossary's "…" cut-offs left out).
    pub fn description(&self) -> Option<&'static str> {
        Some(match self {
            Self::BadRequest => "Your request could not be processed.",
            Self::InvalidResource => "The resource submitted could not be validated.",
            Self::JsonParseError => "We encountered an unspecified JSON parsing error.",
            Self::ApiKeyMissing => "Your request did not include an API key.",
            Self::Forbidden => "You are not permitted to access this resource.",
            Self::UserDisabled => "This account has been disabled.",
            Self::ResourceNotFound => "Resource not found.",
            Self::MethodNotAllowedDoNotMail => {
                "You cannot change this status when the user is_donotmail is true."
            }
            Self::InternalServerError => {
                "An unexpected internal error has occurred. Please contact Support."
            }
            Self::MethodNotAllowed | Self::ResolveMergeNeeded | Self::Unknown(_) => return None,
        })
    }

    /// The names documented under `status`, in the glossary's order.
    pub fn documented_under(status: u16) -> impl Iterator<Item = &'static Self> {
        Self::DOCUMENTED
            .iter()
            .filter(move |c| c.documented_http_status() == Some(status))
    }

    /// The glossary name documented under `status` that `body` mentions:
    /// the most specific where several are (`UserDisabled` before
    /// `Forbidden`).
    pub(crate) fn named_in(status: u16, body: &[u8]) -> Option<Self> {
        let text = String::from_utf8_lossy(body);
        Self::documented_under(status)
            .filter(|c| text.contains(c.as_str()))
            .last()
            .cloned()
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

/// ActiveTrail refused the request: what its answer said, beside the status,
/// `Retry-After` and raw body kept in the
/// [`VendorError`](whatsapp_common::VendorError) around it.
#[derive(Debug, Clone, PartialEq, Default)]
#[non_exhaustive]
pub struct ApiError {
    /// The glossary name the body mentions, among those documented under
    /// the answer's status (e.g. [`ErrorCode::UserDisabled`]).
    pub code: Option<ErrorCode>,
    /// The ASP.NET error body, when the body is one (JSON, XML `<Error>`,
    /// or a bare JSON string).
    pub body: Option<ErrorBody>,
}

impl ApiError {
    /// The most useful message the body carried.
    pub fn message(&self) -> Option<&str> {
        let b = self.body.as_ref()?;
        b.message
            .as_deref()
            .or(b.message_detail.as_deref())
            .or(b.exception_message.as_deref())
    }
}

/// Everything that can go wrong calling ActiveTrail. `SendOperationalMessage`
/// has no de-duplication id: after a transport failure where the request
/// may have been sent, sending again may deliver the message twice.
pub type Error = whatsapp_common::Error<ApiError>;
