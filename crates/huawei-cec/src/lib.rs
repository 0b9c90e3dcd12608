//! Rust SDK for Huawei Cloud CEC `sendWhatsappMessage`, with `tokenByAkSk`
//! authentication.
//!
//! - [`Client`] gets an API Fabric token with the app key and secret, caches
//!   it, renews it before it expires, and renews once more after a 401
//!   before retrying the send. One token call at a time however many tasks
//!   are sending: each send that needs a token waits for that one call and
//!   gets its result, the token or the error; a send whose token call failed
//!   sent nothing and says so ([`Client::send`]).
//! - [`SendRequest`] carries one [`WhatsAppMessage`] kind (text, image,
//!   audio, video, location, template with media parts) to one or more
//!   destinations; every documented limit is checked before sending.
//!   `bulkId` and message ids are generated when not given and reused on
//!   retries.
//! - [`SendResponse`] is an acceptance, not a delivery: each message's
//!   [`SendStatus`] says where it stood when accepted.
//! - Errors are typed: [`Error`] is the workspace's one error type; a
//!   refusal carries [`ApiError`]: which call was refused ([`Operation`]),
//!   its status as [`ErrorCode`] (CEC documents statuses, no codes) and the
//!   OMNI error detail when present. Every error says whether the send may
//!   be made again ([`Error::retry_class`]).
//! - Credentials: the app secret and every token are [`SecretString`]s and
//!   never appear in `Debug`, errors or logs.
//! - Feature `mock`: `mock::MockCec`, a local CEC (token and send) for
//!   your own tests.
//!
//! ```
//! # #[cfg(feature = "mock")]
//! # #[tokio::main(flavor = "current_thread")]
//! # async fn main() -> Result<(), Box<dyn std::error::Error>> {
//! use huawei_cec::{Client, SendRequest, TemplateMessage, WhatsAppMessage};
//! # use huawei_cec::mock::MockVendor;
//! # let cec = huawei_cec::mock::MockCec::start().await;
//! # let tenant_url = cec.uri();
//!
//! let client = Client::builder("your-app-key", "your-app-secret")
//!     .base_url(tenant_url)
//!     .build()?;
//! let request = SendRequest::builder(WhatsAppMessage::template(
//!     TemplateMessage::new("order_shipped", "en_US")?.data(["Anna", "#1042"]),
//! ))
//! .to("+41 79 302 67 27".parse()?)
//! .build()?;
//! let accepted = client.send(&request).await?;
//! assert_eq!(accepted.messages[0].message_id.as_deref(), Some(request.destinations()[0].message_id()));
//! assert!(accepted.warnings().is_empty()); // every value as documented
//! # Ok(()) }
//! # #[cfg(not(feature = "mock"))]
//! # fn main() {}
//! ```
#![forbid(unsafe_code)]
#![cfg_attr(docsrs, feature(doc_cfg))]

mod auth;
mod client;
mod error;
#[cfg(feature = "mock")]
#[cfg_attr(docsrs, doc(cfg(feature = "mock")))]
pub mod mock;
mod model;
mod protocol;
mod sender;

#[cfg(feature = "mock")]
#[cfg_attr(docsrs, doc(cfg(feature = "mock")))]
pub use auth::ManualClock;
pub use auth::{Clock, SystemClock};
pub use client::{Client, ClientBuilder, MAX_TOKEN_LIFETIME_SECS, SEND_PATH, TOKEN_PATH};
pub use error::{ApiError, Error, ErrorCode, Operation, ServiceException};
pub use model::content::{
    Location, MAX_LOCATION_TEXT_CHARS, MAX_QUICK_REPLY_PAYLOAD_CHARS, MAX_TEXT_CHARS,
    MAX_URL_CHARS, MAX_URL_PLACEHOLDER_CHARS, MediaButton, MediaHeader, MediaTemplateData,
    TemplateMessage, WhatsAppMessage,
};
pub use model::request::{
    Destination, MAX_SEND_AT_AHEAD_MILLIS, SendAt, SendRequest, SendRequestBuilder,
};
pub use model::response::{
    MessageResult, Outcome, SendResponse, SendStatus, SentTo, StatusGroup, StatusId,
};
pub use model::token::TokenResponse;
pub use sender::MessageNotAccepted;
pub use whatsapp_common::vendor_api::*;

/// The vendor name used in logs, errors and [`WhatsAppSender::vendor`].
pub const VENDOR: &str = "huawei-cec";
