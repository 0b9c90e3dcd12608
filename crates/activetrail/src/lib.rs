//! Rust SDK for ActiveTrail's WhatsApp operational messages
//! (`POST /api/whatsappcampaign/SendOperationalMessage`), in both wire
//! formats the API documents: JSON and .NET DataContract XML.
//!
//! - [`OperationalMessage`]: a template (the only thing a first message to a
//!   contact may be) or content (only within 24 hours of the contact's
//!   reply), recipients, sending profile, scheduling. `build()` checks it.
//! - [`Client`] sends it in the format chosen with [`ClientBuilder::format`];
//!   the types are the same either way. The token is a [`SecretString`] sent
//!   as the raw `Authorization` value.
//! - [`SendResponse`]: the created campaign, complete (counters, flags, GUIDs,
//!   links, attachments, order information, dates). Enums that are numbers
//!   in JSON and names in XML decode from both, unknown values kept.
//! - Errors: [`ApiError`] with ActiveTrail's glossary names and the ASP.NET
//!   error body. Sends are never retried after they may have reached
//!   ActiveTrail unless you opt in.
//! - Feature `xml` (default): the XML format and quick-xml. Feature `mock`:
//!   [`mock::MockActiveTrail`] for your own tests.
//!
//! ```
//! # #[cfg(feature = "mock")]
//! # #[tokio::main(flavor = "current_thread")]
//! # async fn main() -> Result<(), Box<dyn std::error::Error>> {
//! use activetrail::{Client, Format, OperationalMessage, TemplateRef};
//! # let at = activetrail::mock::MockActiveTrail::start().await;
//!
//! let client = Client::builder("your-api-token")
//! #   .base_url(at.uri())
//!     .format(Format::Xml)
//!     .build()?;
//! let message = OperationalMessage::template(7, TemplateRef::new("order_shipped").variable("name", "Dana"))
//!     .to("+972 50-123-4567".parse()?)
//!     .build()?;
//! let sent = client.send(&message).await?;
//! assert_eq!(sent.campaign.unwrap().total_sent, Some(8));
//! # Ok(()) }
//! # #[cfg(not(feature = "mock"))]
//! # fn main() {}
//! ```
#![forbid(unsafe_code)]

mod client;
mod decode;
mod error;
#[cfg(feature = "mock")]
pub mod mock;
mod model;
#[cfg(feature = "xml")]
pub mod xml;

pub use client::{Client, ClientBuilder, DEFAULT_BASE_URL, SEND_PATH};
pub use decode::Format;
pub use error::{ApiError, Error, ErrorBody, ErrorKind};
pub use model::request::{
    MobileFormat, OperationalMessage, OperationalMessageBuilder, Scheduling, TemplateRef,
};
pub use model::response::{
    Attachment, Campaign, CampaignLink, EventInfo, ItemsRow, OrderInfo, OrderProduct,
    ReceivedDesign, ReceivedDetails, ReceivedMessage, ReceivedScheduling, ReceivedSegment,
    ReceivedTemplate, SendResponse,
};
pub use model::types::{
    AttachmentType, CampaignType, DotNetDateTime, Guid, KeyValues, SendType, StatusType,
};
pub use model::{CAMPAIGN_NS, COMMERCE_NS, MESSAGE_NS, REPORT_NS};
pub use whatsapp_common::{
    ErrorExt, PhoneNumber, RetryPolicy, SecretString, ValidationError, WhatsAppSender,
};

/// The vendor name used in logs, errors and [`WhatsAppSender::vendor`].
pub const VENDOR: &str = "activetrail";
