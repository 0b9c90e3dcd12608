//! The crate's error type, LIME's reason codes and the refusal they come in.

use serde::Deserialize;

whatsapp_common::int_enum! {
    /// A LIME reason code (`reason.code` of a failed command), as LIME's
    /// `ReasonCodes` names them. Blip adds codes of its own (the LIME
    /// documentation's example answers 60, "Invalid list identifier"):
    /// those are kept as `Unknown`.
    pub enum ErrorCode {
        /// `1` General error.
        GeneralError = 1,
        /// `21` General validation error.
        ValidationError = 21,
        /// `22` The envelope document is null.
        ValidationEmptyDocument = 22,
        /// `23` The envelope document MIME type is invalid.
        ValidationInvalidResource = 23,
        /// `24` The request status is invalid.
        ValidationInvalidStatus = 24,
        /// `25` The request identity is invalid.
        ValidationInvalidIdentity = 25,
        /// `26` The envelope originator or destination is invalid.
        ValidationInvalidRecipients = 26,
        /// `27` The command method (or its URI format) is invalid.
        ValidationInvalidMethod = 27,
        /// `31` General authorization error.
        AuthorizationError = 31,
        /// `32` The sender is not authorized to send to the destination.
        AuthorizationUnauthorizedSender = 32,
        /// `33` The destination has no active account.
        AuthorizationDestinationAccountNotFound = 33,
        /// `34` The envelope quota limit has been exceeded.
        AuthorizationQuotaThresholdExceeded = 34,
        /// `35` A permission is required.
        AuthorizationPermissionRequired = 35,
        /// `41` General routing error.
        RoutingError = 41,
        /// `42` The destination was not found.
        RoutingDestinationNotFound = 42,
        /// `43` The destination gateway was not found.
        RoutingGatewayNotFound = 43,
        /// `44` No route to the destination was found.
        RoutingRouteNotFound = 44,
        /// `51` General dispatching error.
        DispatchError = 51,
        /// `61` General command (or message) processing error.
        CommandProcessingError = 61,
        /// `62` No command processor is available for the requested URI.
        CommandResourceNotSupported = 62,
        /// `63` The command method is not supported.
        CommandMethodNotSupported = 63,
        /// `64` The command has an invalid argument value (the mock answers
        /// it to audiences for a campaign already dispatched).
        CommandInvalidArgument = 64,
        /// `65` The command is not valid for the current session mode.
        CommandInvalidSessionMode = 65,
        /// `66` The command was not allowed.
        CommandNotAllowed = 66,
        /// `67` The command resource was not found.
        CommandResourceNotFound = 67,
        /// `71` The message content type is not supported.
        MessageUnsupportedContentType = 71,
        /// `81` General gateway processing error.
        GatewayError = 81,
        /// `82` The content type is not supported by the gateway.
        GatewayContentTypeNotSupported = 82,
        /// `83` The destination was not found on the gateway.
        GatewayDestinationNotFound = 83,
        /// `84` The functionality is not supported by the gateway.
        GatewayNotSupported = 84,
        /// `85` The request limit has been reached by the gateway: a
        /// throttling refusal, retried (see the crate's retry notes).
        GatewayRequestLimitReached = 85,
        /// `86` The gateway operation timed out: the command may have been
        /// carried out.
        GatewayOperationTimedOut = 86,
        /// `87` The sender is not authorized by the gateway.
        GatewayUnauthorizedSender = 87,
        /// `101` General application processing error.
        ApplicationError = 101,
    }
}

impl ErrorCode {
    /// The LIME name of the code (`COMMAND_NOT_ALLOWED` for 66), `None` for
    /// a code LIME does not define (Blip's own, like 60).
    ///
    /// ```
    /// use blip_campaign::ErrorCode;
    /// assert_eq!(ErrorCode::from_i64(66).name(), Some("COMMAND_NOT_ALLOWED"));
    /// assert_eq!(ErrorCode::from_i64(60).name(), None);
    /// ```
    pub fn name(&self) -> Option<&'static str> {
        Some(match self {
            Self::GeneralError => "GENERAL_ERROR",
            Self::ValidationError => "VALIDATION_ERROR",
            Self::ValidationEmptyDocument => "VALIDATION_EMPTY_DOCUMENT",
            Self::ValidationInvalidResource => "VALIDATION_INVALID_RESOURCE",
            Self::ValidationInvalidStatus => "VALIDATION_INVALID_STATUS",
            Self::ValidationInvalidIdentity => "VALIDATION_INVALID_IDENTITY",
            Self::ValidationInvalidRecipients => "VALIDATION_INVALID_RECIPIENTS",
            Self::ValidationInvalidMethod => "VALIDATION_INVALID_METHOD",
            Self::AuthorizationError => "AUTHORIZATION_ERROR",
            Self::AuthorizationUnauthorizedSender => "AUTHORIZATION_UNAUTHORIZED_SENDER",
            Self::AuthorizationDestinationAccountNotFound => {
                "AUTHORIZATION_DESTINATION_ACCOUNT_NOT_FOUND"
            }
            Self::AuthorizationQuotaThresholdExceeded => "AUTHORIZATION_QUOTA_THRESHOLD_EXCEEDED",
            Self::AuthorizationPermissionRequired => "AUTHORIZATION_PERMISSION_REQUIRED",
            Self::RoutingError => "ROUTING_ERROR",
            Self::RoutingDestinationNotFound => "ROUTING_DESTINATION_NOT_FOUND",
            Self::RoutingGatewayNotFound => "ROUTING_GATEWAY_NOT_FOUND",
            Self::RoutingRouteNotFound => "ROUTING_ROUTE_NOT_FOUND",
            Self::DispatchError => "DISPATCH_ERROR",
            Self::CommandProcessingError => "COMMAND_PROCESSING_ERROR",
            Self::CommandResourceNotSupported => "COMMAND_RESOURCE_NOT_SUPPORTED",
            Self::CommandMethodNotSupported => "COMMAND_METHOD_NOT_SUPPORTED",
            Self::CommandInvalidArgument => "COMMAND_INVALID_ARGUMENT",
            Self::CommandInvalidSessionMode => "COMMAND_INVALID_SESSION_MODE",
            Self::CommandNotAllowed => "COMMAND_NOT_ALLOWED",
            Self::CommandResourceNotFound => "COMMAND_RESOURCE_NOT_FOUND",
            Self::MessageUnsupportedContentType => "MESSAGE_UNSUPPORTED_CONTENT_TYPE",
            Self::GatewayError => "GATEWAY_ERROR",
            Self::GatewayContentTypeNotSupported => "GATEWAY_CONTENT_TYPE_NOT_SUPPORTED",
            Self::GatewayDestinationNotFound => "GATEWAY_DESTINATION_NOT_FOUND",
            Self::GatewayNotSupported => "GATEWAY_NOT_SUPPORTED",
            Self::GatewayRequestLimitReached => "GATEWAY_REQUEST_LIMIT_REACHED",
            Self::GatewayOperationTimedOut => "GATEWAY_OPERATION_TIMED_OUT",
            Self::GatewayUnauthorizedSender => "GATEWAY_UNAUTHORIZED_SENDER",
            Self::ApplicationError => "APPLICATION_ERROR",
            Self::Unknown(_) => return None,
        })
    }

    /// Whether the key or its permissions were refused (codes 31–35).
    pub fn is_auth(&self) -> bool {
        (31..=35).contains(&self.as_i64())
    }
}

/// `reason` of a failed command: LIME's code and Blip's description.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[non_exhaustive]
pub struct Reason {
    /// The reason code (a number on the wire; a reason without one reads
    /// as `Unknown(0)`).
    #[serde(default = "no_code")]
    pub code: ErrorCode,
    /// Description.
    #[serde(default)]
    pub description: Option<String>,
}

fn no_code() -> ErrorCode {
    ErrorCode::Unknown(0)
}

/// Blip refused a command.
///
/// Two ways, told apart by the [`VendorError`](whatsapp_common::VendorError)
/// around it: a failure envelope (HTTP 200, `status: failure`, the common
/// path) carries LIME's [`Reason`]; an HTTP error before the command was
/// processed (400 malformed envelope, 401 key refused, 429 over the plan's
/// commands per second, 504 no answer within 60 s) has `reason: None`, and
/// its status and body are in the `VendorError`.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct ApiError {
    /// The command's `uri`.
    pub uri: String,
    /// Why the command failed, when a failure envelope said.
    pub reason: Option<Reason>,
}

/// Everything that can go wrong calling Blip. A refusal is
/// [`Error::Vendor`](whatsapp_common::Error::Vendor) with an [`ApiError`].
pub type Error = whatsapp_common::Error<ApiError>;
