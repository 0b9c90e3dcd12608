//! The crate's error type, the two calls a refusal can come from, and the
//! HTTP statuses CEC documents.

use serde::Deserialize;

whatsapp_common::int_enum! {
    /// What a refusal's HTTP status means. CEC documents no error codes
    /// ("Error Codes: None"), only statuses, so the status is the code.
    pub enum ErrorCode {
        /// 400: incorrect request; check the path and parameters.
        BadRequest = 400,
        /// 401: unauthorized. On a send it comes back only after one token
        /// renewal and one more send: check the purchased services and the
        /// account's status. On the token call: the app key and secret were
        /// refused.
        Unauthorized = 401,
        /// 404: not found; check the request path (the base URL).
        NotFound = 404,
        /// 429: throttled, refused before any processing.
        TooManyRequests = 429,
        /// 500: the service says the parameter values are incorrect.
        ServerError = 500,
        /// 502: a gateway in front of the service failed.
        BadGateway = 502,
        /// 503: the service is unavailable.
        ServiceUnavailable = 503,
        /// 504: a gateway in front of the service timed out.
        GatewayTimeout = 504,
    }
}

impl ErrorCode {
    /// The code of an HTTP status.
    pub fn from_status(status: u16) -> Self {
        Self::from_i64(i64::from(status))
    }

    /// The HTTP status this code stands for, when it is one.
    pub fn http_status(&self) -> Option<u16> {
        u16::try_from(self.as_i64()).ok()
    }

    /// What to check, from CEC's description of the status.
    pub fn hint(&self) -> &'static str {
        match self {
            Self::BadRequest => "incorrect request: check the request path and parameters",
            Self::Unauthorized => {
                "unauthorized: check the purchased services and the account's status"
            }
            Self::NotFound => "not found: check the base URL",
            Self::TooManyRequests => "too many requests",
            Self::ServerError => "server error: check the parameter values",
            Self::BadGateway | Self::ServiceUnavailable | Self::GatewayTimeout => {
                "service unavailable"
            }
            Self::Unknown(_) => "unexpected status",
        }
    }
}

/// Which of the two CEC calls was refused.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum Operation {
    /// `tokenByAkSk`: the app key and secret exchanged for a token.
    Token,
    /// `sendWhatsappMessage`.
    Send,
}

impl Operation {
    /// The call's name, as CEC's reference and the logs give it.
    pub fn as_str(&self) -> &'static str {
        match self {
            Self::Token => "tokenByAkSk",
            Self::Send => "sendWhatsappMessage",
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

/// CEC refused a call: which call, what its status means, and the OMNI
/// error detail when the body carried one. The status, the body and
/// `Retry-After` are in the [`VendorError`](crate::VendorError) around it.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct ApiError {
    /// The refused call.
    pub operation: Operation,
    /// The status, typed.
    pub code: ErrorCode,
    /// The OMNI error detail of a refused send, if the body carried one.
    pub service_exception: Option<ServiceException>,
}

impl ApiError {
    /// Whether no send could be authorised: the token call was refused
    /// (no token, so nothing was sent), or a send stayed unauthorized after
    /// the token was renewed. [`SendErrorKind::Auth`](crate::SendErrorKind::Auth)
    /// through [`WhatsAppSender`](crate::WhatsAppSender).
    pub fn is_auth(&self) -> bool {
        self.operation == Operation::Token || self.code == ErrorCode::Unauthorized
    }
}

/// Everything that can go wrong calling CEC. A refused token call is
/// [`Error::Vendor`](whatsapp_common::Error::Vendor) with
/// [`Operation::Token`]; a token answer without a usable `AccessToken` is
/// [`Error::Decode`](whatsapp_common::Error::Decode), which never quotes
/// that answer (it may hold a token).
pub type Error = whatsapp_common::Error<ApiError>;
