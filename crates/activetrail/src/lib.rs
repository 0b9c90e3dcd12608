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
//!   in JSON and names in XML decode from both, unknown values kept. Read
//!   leniently, since ActiveTrail accepted the send: a value that does not
//!   fit its type is left out and named in [`SendResponse::warnings`], never
//!   an error that would have the message sent twice.
//! - Errors are typed: [`Error`] is the workspace's one error type; a
//!   refusal carries [`ApiError`] with ActiveTrail's glossary name as
//!   [`ErrorCode`] and the ASP.NET error body. Every error says whether the
//!   send may be made again ([`Error::retry_class`]);
//!   `SendOperationalMessage` has no de-duplication id, so a send is not
//!   retried after it may have reached ActiveTrail unless you opt in (see
//!   [`ClientBuilder`]).
//! - Feature `xml` (default): the XML format and quick-xml. Feature `mock`:
//!   `mock::MockActiveTrail` for your own tests.
//!
//! ```
//! # #[cfg(feature = "mock")]
//! # #[tokio::main(flavor = "current_thread")]
//! # async fn main() -> Result<(), Box<dyn std::error::Error>> {
//! use activetrail::{Client, Format, OperationalMessage, TemplateRef};
//! # use activetrail::mock::MockVendor;
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
#![cfg_attr(docsrs, feature(doc_cfg))]

mod client;
mod codec;
mod error;
#[cfg(feature = "mock")]
#[cfg_attr(docsrs, doc(cfg(feature = "mock")))]
pub mod mock;
mod model;
mod protocol;
mod sender;

pub use client::{Client, ClientBuilder, DEFAULT_BASE_URL, SEND_PATH};
pub use codec::Format;
pub use error::{ApiError, Error, ErrorBody, ErrorCode};
#[cfg(feature = "mock")]
#[cfg_attr(docsrs, doc(cfg(feature = "mock")))]
pub use model::received::{
    ReceivedDesign, ReceivedDetails, ReceivedMessage, ReceivedScheduling, ReceivedSegment,
    ReceivedTemplate,
};
pub use model::request::{
    MobileFormat, OperationalMessage, OperationalMessageBuilder, Scheduling, TemplateRef,
};
pub use model::response::{
    Attachment, Campaign, CampaignLink, EventInfo, ItemsRow, OrderInfo, OrderProduct, SendResponse,
};
pub use model::types::{
    AttachmentType, CampaignType, DotNetDateTime, Guid, KeyValues, SendType, StatusType,
};
pub use model::{CAMPAIGN_NS, COMMERCE_NS, MESSAGE_NS, REPORT_NS};
pub use whatsapp_common::vendor_api::*;

/// The DataContract XML reader and writer, for the mock and for tests that
/// compare XML element by element (feature `mock`); applications do not
/// need it.
///
/// - Reading: [`parse`](xml::parse) makes a namespace-aware [`XmlNode`](xml::XmlNode)
///   tree (namespace URI + local name, never prefixes). A UTF-8 BOM and an
///   XML declaration are accepted; a DOCTYPE is refused; nesting is capped
///   at [`MAX_DEPTH`](xml::MAX_DEPTH), size at
///   [`MAX_ELEMENTS`](xml::MAX_ELEMENTS) and the namespace declarations in
///   scope at [`MAX_NAMESPACE_DECLARATIONS`](xml::MAX_NAMESPACE_DECLARATIONS);
///   reading is linear in the document.
/// - Writing: [`XmlElement`](xml::XmlElement) trees, every contract's
///   members in ordinal ([`compare_ordinal`](xml::compare_ordinal)) order as
///   DataContractSerializer expects, namespaces declared with `dNpM`
///   prefixes.
#[cfg(feature = "mock")]
#[cfg_attr(docsrs, doc(cfg(feature = "mock")))]
pub mod xml {
    pub use crate::codec::xml_read::{
        ARRAYS_NS, MAX_DEPTH, MAX_ELEMENTS, MAX_NAMESPACE_DECLARATIONS, XSI_NS, XmlError, XmlNode,
        parse,
    };
    pub use crate::codec::xml_write::{XmlElement, compare_ordinal};
}

/// The vendor name used in logs, errors and [`WhatsAppSender::vendor`].
pub const VENDOR: &str = "activetrail";
