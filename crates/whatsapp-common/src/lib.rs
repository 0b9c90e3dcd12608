//! What the WhatsApp vendor SDK crates share.
//!
//! - [`PhoneNumber`]: parse what people type, validate E.164, render digits
//!   or `+digits`.
//! - [`Template`], [`TemplateName`], [`LanguageCode`], [`TemplateParameters`].
//! - [`SecretString`]: credentials whose `Debug` never shows the value.
//! - [`HttpClient`] and [`Protocol`]: one pipeline for every vendor call
//!   (request, retry loop, typed success or typed refusal), with timeouts,
//!   bounded body reads and [`RetryPolicy`]; [`SendRetries`] says when a
//!   send may be tried again.
//! - [`Error<E>`]: the one error type of every vendor crate, with
//!   [`RetryClass`] advice computed by the function the retry loop uses,
//!   and its parts: [`ValidationError`], [`ConfigError`],
//!   [`TransportError`], [`DecodeError`], [`VendorError`], [`RawBody`].
//! - [`validate`]: the input checks every vendor crate makes.
//! - [`WhatsAppSender`]: a vendor-neutral trait for text and template sends,
//!   which a vendor client gets by implementing [`VendorSender`].
//! - [`Progress`]: how far a chunked operation got, kept by the caller.
//! - [`events`]: the vendor-neutral [`DeliveryEvent`](events::DeliveryEvent)
//!   and [`InboundMessage`](events::InboundMessage) every vendor crate maps
//!   its callbacks to; [`webhook`]: taking callbacks in safely (shared
//!   secrets, IP allow-lists, de-duplication of redeliveries).
//! - [`Pager`]: a collection read page by page to the end, offset
//!   (`$skip`/`$take`) or token (`pageToken`) paging alike ([`Page`],
//!   [`Cursor`]).
//!
//! Applications normally depend on a vendor crate, which re-exports from
//! here everything its signatures and errors use.
//!
//! ```
//! use whatsapp_common::{PhoneNumber, SecretString, ExposeSecret};
//!
//! let to: PhoneNumber = "+7 921 123-45-67".parse()?;
//! assert_eq!(to.digits(), "79211234567");
//!
//! let password = SecretString::from("hunter2");
//! assert!(!format!("{password:?}").contains("hunter2"));
//! assert_eq!(password.expose_secret(), "hunter2");
//! # Ok::<(), whatsapp_common::PhoneError>(())
//! ```
#![forbid(unsafe_code)]
#![cfg_attr(docsrs, feature(doc_cfg))]

pub mod accepted;
#[cfg(feature = "mock")]
#[cfg_attr(docsrs, doc(cfg(feature = "mock")))]
pub mod conformance;
mod enums;
mod error;
pub mod events;
#[cfg(feature = "mock")]
#[cfg_attr(docsrs, doc(cfg(feature = "mock")))]
pub mod hostile;
pub mod http;
#[cfg(feature = "mock")]
#[cfg_attr(docsrs, doc(cfg(feature = "mock")))]
pub mod mock;
pub mod paging;
mod phone;
pub mod progress;
mod protocol;
mod sender;
mod template;
pub mod time;
pub mod validate;
pub mod webhook;

pub use accepted::{Accepted, DecodeWarning};
pub use error::{
    DecodeError, Error, RAW_BODY_LIMIT, RawBody, Refusal, RetryClass, SendFailure, TransportError,
    TransportErrorKind, ValidationError, VendorError,
};
pub use http::{
    ConfigError, HttpClient, HttpConfig, Idempotency, RetryPolicy, SendRetries, parse_retry_after,
};
pub use paging::{Cursor, Page, PageRequest, Pager};
pub use phone::{DefaultCountry, MAX_DIGITS, MIN_NATIONAL_DIGITS, PhoneError, PhoneNumber};
pub use progress::{ChunkDone, Progress};
pub use protocol::Protocol;
pub use secrecy::{ExposeSecret, SecretString};
pub use sender::{
    Capabilities, Envelope, SendError, SendErrorKind, SendOptions, SendReceipt, Sent, Unsupported,
    VendorSender, WhatsAppSender,
};
pub use template::{
    LanguageCode, MAX_TEMPLATE_NAME_LEN, Template, TemplateName, TemplateParameters,
};

/// What every vendor crate re-exports (`pub use whatsapp_common::vendor_api::*;`):
/// the shared types its signatures and errors use, so that a caller of one
/// vendor crate matches on errors, sets retries and holds a
/// [`WhatsAppSender`] without naming `whatsapp-common`.
pub mod vendor_api {
    pub use crate::{
        Capabilities, ChunkDone, ConfigError, Cursor, DecodeError, DecodeWarning, ExposeSecret,
        Page, PageRequest, Pager, PhoneNumber, Progress, RawBody, RetryClass, RetryPolicy,
        SecretString, SendError, SendErrorKind, SendFailure, SendOptions, SendReceipt, SendRetries,
        Template, TransportError, TransportErrorKind, ValidationError, VendorError, WhatsAppSender,
    };
}

#[doc(hidden)]
pub use enums::__private;

/// Re-exported for the vendor crates' macros; not part of the public API.
#[doc(hidden)]
pub use reqwest;

/// A fresh random id (UUID v4, hyphenated, lower case) for idempotency keys,
/// message ids and command ids.
///
/// ```
/// let id = whatsapp_common::new_id();
/// assert_eq!(id.len(), 36);
/// assert_ne!(id, whatsapp_common::new_id());
/// ```
pub fn new_id() -> String {
    uuid::Uuid::new_v4().to_string()
}
