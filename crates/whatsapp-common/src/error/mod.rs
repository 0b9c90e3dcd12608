//! One error type for every vendor crate: [`Error<E>`], where `E` is the
//! vendor's typed refusal (each crate's `ApiError`).
//!
//! Each vendor crate exposes `pub type Error = whatsapp_common::Error<ApiError>`,
//! so a caller matching on two vendors meets the same five variants with the
//! same fields, and asks every error the same two questions:
//! [`Error::retry_class`] (may I send this again?) and [`Error::retry_after`]
//! (how long did the vendor ask me to wait?).

mod parts;

use std::fmt;
use std::time::Duration;

pub use parts::{
    DecodeError, RAW_BODY_LIMIT, RawBody, TransportError, TransportErrorKind, ValidationError,
};

use crate::http::ConfigError;
use crate::sender::SendErrorKind;

/// Whether a request that failed may be sent again.
///
/// Every error answers with [`Error::retry_class`], computed by the function
/// the client's own retry loop decided with: what the loop did and what the
/// error advises are the same answer.
///
/// ```
/// use whatsapp_common::RetryClass;
///
/// // A bare 429 is transient, but proves nothing about what the vendor did.
/// assert_eq!(RetryClass::from_status(429), RetryClass::IfDeduplicated);
/// assert!(RetryClass::Safe.allows_retry(false));
/// assert!(!RetryClass::IfDeduplicated.allows_retry(false));
/// assert!(RetryClass::IfDeduplicated.allows_retry(true));
/// assert!(!RetryClass::Never.allows_retry(true));
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum RetryClass {
    /// The vendor did not act on the request: the connection was never made,
    /// or the vendor documents this refusal as "not processed" (throttling,
    /// "service unavailable" codes). Sending it again cannot deliver twice.
    Safe,
    /// The vendor may have acted on the request: a timeout, a connection
    /// broken after the request was written, a gateway error in front of the
    /// vendor. Send it again only with the same de-duplication id (the same
    /// request value) and only where the vendor de-duplicates on it, or for
    /// a read; otherwise the message may go out twice.
    IfDeduplicated,
    /// Sending the same request again gets the same answer, or acts twice:
    /// invalid input, a refusal, an answer that was accepted but would not
    /// decode.
    Never,
}

impl RetryClass {
    /// The class of a status whose body says nothing more: 429, 502, 503 and
    /// 504 are transient but prove nothing about what the vendor did
    /// ([`RetryClass::IfDeduplicated`]); every other status is final.
    pub fn from_status(status: u16) -> Self {
        match status {
            429 | 502 | 503 | 504 => Self::IfDeduplicated,
            _ => Self::Never,
        }
    }

    /// Whether a request of this class is retried, given whether replaying
    /// it is harmless (`idempotent`: a read, or a send the vendor
    /// de-duplicates on its id). The retry loop asks exactly this.
    pub fn allows_retry(self, idempotent: bool) -> bool {
        match self {
            Self::Safe => true,
            Self::IfDeduplicated => idempotent,
            Self::Never => false,
        }
    }
}

/// What each vendor crate's `ApiError` implements: the vendor's name, how
/// its refusal maps to the vendor-neutral [`SendErrorKind`], and how it
/// reads in an error message.
pub trait Refusal: fmt::Debug + Send + Sync + 'static {
    /// The vendor's name (`"gateway-ru"`, …), as `WhatsAppSender::vendor`
    /// gives it.
    const VENDOR: &'static str;

    /// The vendor's error code type (each crate's `ErrorCode`, with an
    /// `Unknown` variant for codes this version does not know).
    type Code: Clone + fmt::Debug + PartialEq;

    /// The vendor's code for this refusal, when the answer carried one.
    fn code(&self) -> Option<Self::Code>;

    /// The vendor-neutral class of this refusal, answered with HTTP
    /// `status`. The default: 401 and 403 refuse the credentials
    /// ([`SendErrorKind::Auth`]), anything else is the vendor's refusal
    /// ([`SendErrorKind::Vendor`]).
    fn send_error_kind(&self, status: u16) -> SendErrorKind {
        match status {
            401 | 403 => SendErrorKind::Auth,
            _ => SendErrorKind::Vendor,
        }
    }

    /// Writes the error's one-line message: `status` and `body` are the
    /// response's. Lowercase, actionable, never a credential.
    fn describe(&self, status: u16, body: &RawBody, f: &mut fmt::Formatter<'_>) -> fmt::Result;
}

/// The vendor answered, and refused: the HTTP status, `Retry-After`, the
/// start of the body, the vendor's typed error `E`, and the retry class the
/// client's retry loop computed for this answer.
///
/// Derefs to `E`, so a vendor's fields read directly
/// (`vendor_error.code`).
#[derive(Clone)]
pub struct VendorError<E> {
    status: u16,
    retry_after: Option<Duration>,
    raw_body: RawBody,
    retry_class: RetryClass,
    attempts: u32,
    earlier_attempt_may_have_reached: bool,
    api: E,
}

impl<E> VendorError<E> {
    /// The refusal `api`, read from `response`.
    pub fn new(response: &crate::http::Response, api: E) -> Self {
        Self {
            status: response.status(),
            retry_after: response.retry_after(),
            raw_body: RawBody::capture(response.body(), response.is_truncated()),
            retry_class: response.retry_class(),
            attempts: response.attempts(),
            earlier_attempt_may_have_reached: response.earlier_attempt_may_have_reached(),
            api,
        }
    }

    /// Whether an earlier attempt of this request, sent again by the retry
    /// loop before this refusal, may have reached the vendor (it timed out,
    /// lost its connection, or got a 5xx).
    pub fn earlier_attempt_may_have_reached(&self) -> bool {
        self.earlier_attempt_may_have_reached
    }

    /// The HTTP status (200 where the vendor refuses inside a 200 envelope).
    pub fn status(&self) -> u16 {
        self.status
    }

    /// `Retry-After`, if the vendor sent one.
    pub fn retry_after(&self) -> Option<Duration> {
        self.retry_after
    }

    /// The start of the body.
    pub fn raw_body(&self) -> &RawBody {
        &self.raw_body
    }

    /// The class the retry loop computed for this answer.
    pub fn retry_class(&self) -> RetryClass {
        self.retry_class
    }

    /// How many attempts were made.
    pub fn attempts(&self) -> u32 {
        self.attempts
    }

    /// The vendor's typed error.
    pub fn api(&self) -> &E {
        &self.api
    }

    /// The vendor's typed error, owned.
    pub fn into_api(self) -> E {
        self.api
    }
}

impl<E> std::ops::Deref for VendorError<E> {
    type Target = E;
    fn deref(&self) -> &E {
        &self.api
    }
}

impl<E: fmt::Debug> fmt::Debug for VendorError<E> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("VendorError")
            .field("status", &self.status)
            .field("api", &self.api)
            .field("retry_class", &self.retry_class)
            .field("retry_after", &self.retry_after)
            .field("attempts", &self.attempts)
            .field("raw_body", &self.raw_body)
            .finish_non_exhaustive()
    }
}

impl<E: Refusal> fmt::Display for VendorError<E> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.api.describe(self.status, &self.raw_body, f)
    }
}

impl<E: Refusal> std::error::Error for VendorError<E> {}

/// Everything that can go wrong calling a vendor, the same in every vendor
/// crate (`pub type Error = whatsapp_common::Error<ApiError>`).
///
/// ```
/// use whatsapp_common::{Error, RetryClass, ValidationError};
/// # #[derive(Debug)] struct ApiError;
/// # impl whatsapp_common::Refusal for ApiError {
/// #     const VENDOR: &'static str = "example";
/// #     type Code = u16;
/// #     fn code(&self) -> Option<u16> { None }
/// #     fn send_error_kind(&self, _: u16) -> whatsapp_common::SendErrorKind { whatsapp_common::SendErrorKind::Vendor }
/// #     fn describe(&self, s: u16, _: &whatsapp_common::RawBody, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result { write!(f, "HTTP {s}") }
/// # }
///
/// let err: Error<ApiError> = ValidationError::new("text", "must not be empty").into();
/// assert_eq!(err.retry_class(), RetryClass::Never);
/// assert_eq!(err.to_string(), "invalid text: must not be empty");
/// ```
#[non_exhaustive]
pub enum Error<E> {
    /// The request breaks a documented rule; nothing was sent.
    Validation(ValidationError),
    /// The client is misconfigured; nothing was sent.
    Config(ConfigError),
    /// The vendor could not be reached or did not answer in time. See
    /// [`TransportError::request_may_have_been_sent`].
    Transport(TransportError),
    /// The vendor accepted the request (a 2xx), but its answer would not
    /// decode into the documented shape. Do not send it again.
    Decode(Box<DecodeError>),
    /// The vendor refused the request.
    Vendor(Box<VendorError<E>>),
}

impl<E> Error<E> {
    /// May this request be sent again? The same answer the client's retry
    /// loop acted on: see [`RetryClass`].
    pub fn retry_class(&self) -> RetryClass {
        match self {
            Self::Transport(t) => t.retry_class(),
            Self::Vendor(v) => v.retry_class,
            Self::Validation(_) | Self::Config(_) | Self::Decode(_) => RetryClass::Never,
        }
    }

    /// How long the vendor asked the caller to wait, if it said.
    pub fn retry_after(&self) -> Option<Duration> {
        match self {
            Self::Vendor(v) => v.retry_after,
            _ => None,
        }
    }

    /// The HTTP status of the vendor's answer, when it answered.
    pub fn status(&self) -> Option<u16> {
        match self {
            Self::Vendor(v) => Some(v.status),
            Self::Decode(d) => Some(d.status()),
            _ => None,
        }
    }

    /// The vendor's typed refusal, when the vendor refused.
    pub fn api(&self) -> Option<&E> {
        match self {
            Self::Vendor(v) => Some(&v.api),
            _ => None,
        }
    }

    /// How many attempts the retry loop made, where it got that far (a
    /// transport failure or a refusal).
    pub fn attempts(&self) -> Option<u32> {
        match self {
            Self::Transport(t) => Some(t.attempts()),
            Self::Vendor(v) => Some(v.attempts),
            _ => None,
        }
    }

    /// The refusal with its status, body and retry class, when the vendor
    /// refused.
    pub fn vendor(&self) -> Option<&VendorError<E>> {
        match self {
            Self::Vendor(v) => Some(v),
            _ => None,
        }
    }
}

impl<E> Error<E> {
    /// What this failure means for the message, over every attempt the
    /// retry loop made (see [`SendFailure`]): the one answer a failover
    /// must act on.
    ///
    /// - a validation or configuration error: nothing was sent, so
    ///   [`SendFailure::NotProcessed`];
    /// - a transport failure: [`SendFailure::MayHaveBeenDelivered`] when
    ///   the request (on any attempt) may have reached the vendor,
    ///   otherwise [`SendFailure::NotProcessed`];
    /// - an answer that would not decode: the vendor accepted the request,
    ///   [`SendFailure::MayHaveBeenDelivered`];
    /// - a refusal: [`SendFailure::MayHaveBeenDelivered`] when an earlier
    ///   attempt may have reached the vendor, else by its retry class:
    ///   [`RetryClass::Safe`] (a 429, a documented "not processed" code)
    ///   [`SendFailure::NotProcessed`], [`RetryClass::IfDeduplicated`] (a
    ///   5xx) [`SendFailure::MayHaveBeenDelivered`], [`RetryClass::Never`]
    ///   [`SendFailure::Refused`].
    pub fn failure(&self) -> SendFailure {
        match self {
            Self::Validation(_) | Self::Config(_) => SendFailure::NotProcessed,
            Self::Transport(t) if t.request_may_have_been_sent() => {
                SendFailure::MayHaveBeenDelivered
            }
            Self::Transport(_) => SendFailure::NotProcessed,
            Self::Decode(_) => SendFailure::MayHaveBeenDelivered,
            Self::Vendor(v) if v.earlier_attempt_may_have_reached => {
                SendFailure::MayHaveBeenDelivered
            }
            Self::Vendor(v) => SendFailure::from_retry_class(v.retry_class),
        }
    }
}

/// What a failed send means for the message, the question a failover
/// asks: may another vendor send it?
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum SendFailure {
    /// The request never left, or the vendor proves it did not take it (a
    /// 429, a documented "not processed" code): sending it elsewhere sends
    /// it once.
    NotProcessed,
    /// The vendor took the request and will deliver nothing (an invalid
    /// template, a blocked number): whether another vendor may try is a
    /// policy's call per error.
    Refused,
    /// The vendor may have accepted it: a timeout or a broken connection
    /// after the request was written, a 5xx, an answer that would not
    /// decode, or any of these on an earlier attempt. Sending it elsewhere
    /// may deliver it twice.
    MayHaveBeenDelivered,
}

impl SendFailure {
    /// The failure a retry class alone says: `Safe` not processed,
    /// `IfDeduplicated` may have been delivered, `Never` refused.
    pub fn from_retry_class(class: RetryClass) -> Self {
        match class {
            RetryClass::Safe => Self::NotProcessed,
            RetryClass::IfDeduplicated => Self::MayHaveBeenDelivered,
            RetryClass::Never => Self::Refused,
        }
    }
}

impl<E: Refusal> Error<E> {
    /// The vendor's error code, when the vendor refused with one.
    pub fn code(&self) -> Option<E::Code> {
        self.api().and_then(Refusal::code)
    }
}

impl<E: fmt::Debug> fmt::Debug for Error<E> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Validation(e) => f.debug_tuple("Validation").field(e).finish(),
            Self::Config(e) => f.debug_tuple("Config").field(e).finish(),
            Self::Transport(e) => f.debug_tuple("Transport").field(e).finish(),
            Self::Decode(e) => f.debug_tuple("Decode").field(e).finish(),
            Self::Vendor(e) => f.debug_tuple("Vendor").field(e).finish(),
        }
    }
}

impl<E: Refusal> fmt::Display for Error<E> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Validation(e) => e.fmt(f),
            Self::Config(e) => e.fmt(f),
            Self::Transport(e) => e.fmt(f),
            Self::Decode(e) => e.fmt(f),
            Self::Vendor(e) => e.fmt(f),
        }
    }
}

impl<E: Refusal> std::error::Error for Error<E> {
    // Each variant shows its part's message; the part's own source (an I/O
    // error under a transport failure) is the next link of the chain.
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match self {
            Self::Transport(e) => std::error::Error::source(e),
            _ => None,
        }
    }
}

impl<E> From<ValidationError> for Error<E> {
    fn from(e: ValidationError) -> Self {
        Self::Validation(e)
    }
}

impl<E> From<ConfigError> for Error<E> {
    fn from(e: ConfigError) -> Self {
        Self::Config(e)
    }
}

impl<E> From<TransportError> for Error<E> {
    fn from(e: TransportError) -> Self {
        Self::Transport(e)
    }
}

impl<E> From<DecodeError> for Error<E> {
    fn from(e: DecodeError) -> Self {
        Self::Decode(Box::new(e))
    }
}

impl<E> From<VendorError<E>> for Error<E> {
    fn from(e: VendorError<E>) -> Self {
        Self::Vendor(Box::new(e))
    }
}

impl<E> From<crate::PhoneError> for Error<E> {
    fn from(e: crate::PhoneError) -> Self {
        Self::Validation(ValidationError::new("phone number", e.to_string()))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[derive(Debug)]
    struct Refused;

    impl Refusal for Refused {
        const VENDOR: &'static str = "test";
        type Code = u16;
        fn code(&self) -> Option<u16> {
            Some(7)
        }
        fn send_error_kind(&self, status: u16) -> SendErrorKind {
            if status == 401 {
                SendErrorKind::Auth
            } else {
                SendErrorKind::Vendor
            }
        }
        fn describe(&self, status: u16, body: &RawBody, f: &mut fmt::Formatter<'_>) -> fmt::Result {
            write!(f, "refused: HTTP {status}; body: {body}")
        }
    }

    fn refused(status: u16, class: RetryClass) -> Error<Refused> {
        VendorError {
            status,
            retry_after: Some(Duration::from_secs(3)),
            raw_body: RawBody::capture(b"{\"e\":1}", false),
            retry_class: class,
            attempts: 2,
            earlier_attempt_may_have_reached: false,
            api: Refused,
        }
        .into()
    }

    #[test]
    fn status_classes() {
        for s in [429, 502, 503, 504] {
            assert_eq!(RetryClass::from_status(s), RetryClass::IfDeduplicated);
        }
        for s in [200, 202, 400, 401, 404, 409, 500, 501] {
            assert_eq!(RetryClass::from_status(s), RetryClass::Never, "{s}");
        }
    }

    #[test]
    fn every_variant_answers_the_same_questions() {
        let e = refused(503, RetryClass::Safe);
        assert_eq!(e.retry_class(), RetryClass::Safe);
        assert_eq!(e.retry_after(), Some(Duration::from_secs(3)));
        assert_eq!(e.status(), Some(503));
        assert!(e.api().is_some());
        assert_eq!(e.vendor().map(VendorError::attempts), Some(2));
        assert_eq!((e.attempts(), e.code()), (Some(2), Some(7)));
        assert_eq!(e.to_string(), "refused: HTTP 503; body: {\"e\":1}");
        let t: Error<Refused> =
            TransportError::new(TransportErrorKind::Connect, "refused", None).into();
        assert_eq!(t.retry_class(), RetryClass::Safe);
        assert_eq!(t.status(), None);
        let d: Error<Refused> = DecodeError::new(200, ".", "bad", RawBody::default()).into();
        assert_eq!(
            (d.retry_class(), d.status()),
            (RetryClass::Never, Some(200))
        );
        let c: Error<Refused> = ConfigError::new("base_url", "missing").into();
        assert_eq!(c.retry_class(), RetryClass::Never);
    }

    #[test]
    fn the_neutral_error_keeps_the_advice() {
        let neutral: crate::SendError = refused(401, RetryClass::Never).into();
        assert_eq!(neutral.kind(), SendErrorKind::Auth);
        assert_eq!(neutral.vendor(), "test");
        assert_eq!(neutral.retry_class(), RetryClass::Never);
        assert_eq!(neutral.retry_after(), Some(Duration::from_secs(3)));
        let neutral: crate::SendError = refused(429, RetryClass::Safe).into();
        assert_eq!(
            (neutral.kind(), neutral.retry_class()),
            (SendErrorKind::Vendor, RetryClass::Safe)
        );
        let neutral: crate::SendError = Error::<Refused>::from(TransportError::new(
            TransportErrorKind::Timeout,
            "slow",
            None,
        ))
        .into();
        assert_eq!(
            (neutral.kind(), neutral.retry_class()),
            (SendErrorKind::Transport, RetryClass::IfDeduplicated)
        );
        let back = neutral
            .vendor_error()
            .downcast_ref::<Error<Refused>>()
            .expect("the vendor error is the source");
        assert!(matches!(back, Error::Transport(_)));
    }
}
