//! Rust SDK for the Russian messaging gateway's WhatsApp send (Rapporto
//! REST v6, formerly Zagruzka).
//!
//! - [`Client::send`] posts a [`SendRequest`]: text *or* an image
//!   ([`InstantContent`]), with schedule, lifetime, delivery-report, extra
//!   parameter and cascade options. Every documented limit is checked by
//!   [`SendRequestBuilder::build`] before anything is sent.
//! - Errors are typed: [`Error`] is the workspace's one error type; a
//!   refusal carries [`ApiError`] with the gateway's documented code as
//!   [`ErrorCode`] and its `extendedDescription`. Every error says whether
//!   the send may be made again ([`Error::retry_class`]).
//! - [`DeliveryStatus`] and [`InboundMessage`] decode what the gateway POSTs
//!   back to you.
//! - Credentials: the password is a [`SecretString`] and never appears in
//!   `Debug`, errors or logs.
//! - Feature `mock`: `mock::MockGateway`, a local gateway for your own tests.
//! - Feature `webhook`: `webhook::GatewayIntake` checks the callbacks (a
//!   shared secret, an address allow-list: the gateway signs nothing) and
//!   reads them as vendor-neutral events, for the `whatsapp-receiver`
//!   crate's router.
//!
//! The base URL is required: the gateway issues each partner its own URI.
//!
//! ```
//! # #[cfg(feature = "mock")]
//! # #[tokio::main(flavor = "current_thread")]
//! # async fn main() -> Result<(), Box<dyn std::error::Error>> {
//! use gateway_ru::{Client, InstantContent, SendRequest, Ttl};
//! # use gateway_ru::mock::MockVendor;
//! # let gateway = gateway_ru::mock::MockGateway::start().await;
//! # let partner_uri = gateway.uri();
//!
//! let client = Client::builder("YOUR_LOGIN", "YOUR_PASSWORD")
//!     .base_url(partner_uri)
//!     .default_service_number("SHOP")
//!     .build()?;
//! let request = SendRequest::builder("+7 921 123-45-67".parse()?, InstantContent::text("Заказ отправлен"))
//!     .ttl(Ttl::days(1)?)
//!     .build()?;
//! let accepted = client.send(&request).await?;
//! assert_eq!(accepted.mt_num.as_deref(), Some("107930572"));
//! # Ok(()) }
//! # #[cfg(not(feature = "mock"))]
//! # fn main() {}
//! ```
#![forbid(unsafe_code)]
#![cfg_attr(docsrs, feature(doc_cfg))]

mod client;
mod error;
#[cfg(feature = "mock")]
#[cfg_attr(docsrs, doc(cfg(feature = "mock")))]
pub mod mock;
mod model;
mod protocol;
mod sender;
#[cfg(feature = "webhook")]
#[cfg_attr(docsrs, doc(cfg(feature = "webhook")))]
pub mod webhook;

pub use client::{Client, ClientBuilder};
pub use error::{ApiError, Error, ErrorCode};
pub use model::callback::{
    DeliveryState, DeliveryStatus, InboundMessage, TrafficType, WhatsAppDeliveryError,
};
pub use model::request::{
    CascadeChainLink, CascadeMessage, CascadeState, ExtraParams, InstantContent, MAX_ID_CHARS,
    MAX_NOTIFY_URL_CHARS, MAX_TEXT_CHARS, MessageData, MessageType, RegisteredDelivery,
    ScheduleInfo, ScheduleInfoBuilder, SendRequest, SendRequestBuilder, SendResponse, Ttl, TtlUnit,
};
pub use model::timestamp::GatewayTimestamp;
pub use whatsapp_common::vendor_api::*;

/// The vendor name used in logs, errors and [`WhatsAppSender::vendor`].
pub const VENDOR: &str = "gateway-ru";
