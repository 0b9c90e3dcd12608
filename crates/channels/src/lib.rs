//! Rust SDK for the Bird Channels API's WhatsApp messages.
//!
//! - [`Client::send`]: `POST /workspaces/{workspaceId}/channels/{channelId}/messages`
//!   with a [`SendRequest`] carrying a [`Body`] (text, image, file,
//!   location, list, carousel, with [`Action`] buttons) *or* a
//!   [`TemplateMessage`], never both. `build()` checks what Bird's
//!   `CreateMessage` schema states of every field the builders write —
//!   lengths, counts, ranges, `uri`, `date-time`, `uuid` and BCP 47
//!   formats, the members and shapes of `meta` and of structured template
//!   parameters — before any request (one exception, an unanchored pattern
//!   on `meta.email.from.username`, is left to Bird); nothing you did not
//!   set is sent.
//! - [`Client::contact_channel_info`]: is the 24-hour customer-service
//!   window open for a contact? ([`ContactChannelInfo::is_window_open`]).
//! - [`Client::send_batch`]: many messages, 100 per request, each chunk's
//!   outcome recorded in the caller's [`BatchProgress`] as its answer
//!   comes. A refusal of one chunk's content is that chunk's outcome; an
//!   error that would fail every later chunk too (401/403, 429 or a
//!   `Retry-After` the retry loop gave up on, 5xx, transport) stops the
//!   batch. After a stop or a dropped future the progress keeps the
//!   finished chunks and names the one in flight; the same call again
//!   resumes.
//! - Reading messages back: [`Client::get_message`], [`Client::messages`]
//!   (one page, filtered by [`MessageQuery`]) and [`Client::messages_pages`]
//!   (every page, following `nextPageToken`), and
//!   [`Client::batch_messages`]: each message of an accepted batch with its
//!   status and failure.
//! - [`Message`] (the answer and the webhook payload) and [`WebhookEvent`]
//!   are typed, unknown values kept.
//! - Errors are typed: [`Error`] is the workspace's one error type; a
//!   refusal carries [`ApiError`] with Bird's code as [`ErrorCode`], its
//!   message and per-field details. Every error says whether the request
//!   may be sent again ([`Error::retry_class`](whatsapp_common::Error::retry_class)).
//! - The access key is a [`SecretString`] sent as `Authorization: AccessKey …`.
//! - Feature `mock`: `mock::MockBird` for your own tests.
//! - Feature `webhook`: `webhook::BirdIntake` checks Bird's webhook signature
//!   as Bird documents it and reads the deliveries as vendor-neutral
//!   events, for the `whatsapp-receiver` crate's router.
//!
//! ```
//! # #[cfg(feature = "mock")]
//! # #[tokio::main(flavor = "current_thread")]
//! # async fn main() -> Result<(), Box<dyn std::error::Error>> {
//! use channels::{Action, Body, Client, SendRequest};
//! # use channels::mock::MockVendor;
//! # let bird = channels::mock::MockBird::start().await;
//!
//! let client = Client::builder("your-access-key", channels::mock::WORKSPACE_ID, channels::mock::CHANNEL_ID)
//! #   .base_url(bird.uri())
//!     .build()?;
//! let body = Body::text("Your order has shipped").with_actions(vec![Action::reply("Track it")]);
//! let sent = client.send(&SendRequest::builder("+31 6 12345678".parse()?, body).build()?).await?;
//! assert_eq!(sent.status, Some(channels::MessageStatus::Accepted));
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

pub use client::{Client, ClientBuilder, DEFAULT_BASE_URL, MAX_BATCH};
pub use error::{ApiError, Error, ErrorCode};
pub use model::batch::{BatchAccepted, BatchOutcome, BatchProgress};
pub use model::body::{
    Action, ActionDescription, ActionMetadata, Body, CAROUSEL_CARDS, Carousel, Coordinates, File,
    Files, Image, Images, Item, Link, List, ListButton, ListMetadata, Location, LocationRequest,
    MAX_ACTION_LABEL_CHARS, MAX_CAROUSEL_TEXT_CHARS, MAX_LIST_BUTTON_LABEL_CHARS,
    MAX_REPLY_MESSAGE_CHARS, Place, Postback, Reply, ReplyMessage, Text, TextMetadata,
    WhatsAppTextMetadata,
};
pub use model::contact::ContactChannelInfo;
pub use model::message::{
    ConnectorInfo, ContactInfo, Direction, Failure, FailureSource, Message, MessageStatus, Origin,
    Part, Party,
};
pub use model::query::{MAX_PAGE_SIZE, MAX_TIME_RANGE_MILLIS, MessageList, MessageQuery};
pub use model::request::{
    Content, MAX_SCHEDULE_AHEAD_MILLIS, MAX_SHORT_LINK_DOMAIN_CHARS, MAX_TAG_CHARS, MAX_TAGS,
    Recipient, ReplyTo, ReplyToType, SendRequest, SendRequestBuilder,
};
pub use model::template::{
    MAX_UTM_KEY_CHARS, MAX_UTM_PARAMETERS, MAX_UTM_VALUE_CHARS, Parameter, ParameterValue,
    TemplateMessage, TemplateVersion,
};
pub use model::time::Timestamp;
pub use model::webhook::WebhookEvent;
pub use whatsapp_common::vendor_api::*;

/// The vendor name used in logs, errors and [`WhatsAppSender::vendor`].
pub const VENDOR: &str = "channels";
