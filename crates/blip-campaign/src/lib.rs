//! Rust SDK for Blip's Active Campaign over LIME commands
//! (`POST https://{contract}.http.msging.net/commands`, addressed to
//! `postmaster@activecampaign.msging.net`).
//!
//! - Create and send in one command: [`Client::create_full_campaign`] with a
//!   [`FullCampaign`] (individual or batch; WhatsApp template or RCS).
//! - The dynamic flow: [`Client::create_campaign`] → [`Client::add_audiences`]
//!   (or [`Client::add_audiences_file`] with [`audience_csv`]) →
//!   [`Client::dispatch`].
//! - Reads: [`Client::campaign_summaries`], [`Client::campaign_summary`],
//!   [`Client::audience`], [`Client::messages`], [`Client::report`]; and
//!   [`Client::cancel_campaign`].
//! - Any other command: [`Client::send_command`] with a [`Command`], the
//!   typed envelope back.
//! - A failed command comes back as HTTP 200 with `status: failure`: that
//!   is [`Error::Command`] with LIME's reason code.
//! - The key is a [`SecretString`] (`Authorization: Key …`).
//! - Feature `mock`: [`mock::MockBlip`] for your own tests.
//!
//! Types marked **Unverified** follow the best inference from Blip's public
//! material (see `docs/blip-campaign.md`); [`Client::send_command`] lets a
//! tenant that differs send exactly what it needs.
//!
//! ```
//! # #[cfg(feature = "mock")]
//! # #[tokio::main(flavor = "current_thread")]
//! # async fn main() -> Result<(), Box<dyn std::error::Error>> {
//! use blip_campaign::{Audience, CampaignInfo, Client, DynamicCampaign, Message};
//! # let blip = blip_campaign::mock::MockBlip::start().await;
//!
//! let client = Client::builder("Key your-key").base_url(blip.uri()).build()?;
//! let message = Message::whatsapp("order_update", ["1"]).language("pt_BR");
//! let campaign = client
//!     .create_campaign(&DynamicCampaign::new(CampaignInfo::new("june-orders"), message.clone())?)
//!     .await?;
//! let audiences = vec![Audience::new("+5531999999999".parse()?).param("1", "Ana")];
//! client.add_audiences(&campaign.id, &message, &audiences).await?;
//! client.dispatch(&campaign.id).await?;
//! # Ok(()) }
//! # #[cfg(not(feature = "mock"))]
//! # fn main() {}
//! ```
#![forbid(unsafe_code)]

mod client;
mod error;
mod lime;
#[cfg(feature = "mock")]
pub mod mock;
mod model;

pub use client::{
    AUDIENCE_TYPE, CAMPAIGN_TYPE, COLLECTION_TYPE, Client, ClientBuilder, DYNAMIC_CAMPAIGN_TYPE,
    FULL_CAMPAIGN_TYPE, MAX_AUDIENCES_PER_COMMAND,
};
pub use error::Error;
pub use lime::{
    Collection, Command, CommandMethod, CommandResponse, CommandStatus, POSTMASTER, Reason,
};
pub use model::{
    Audience, AudienceItem, AudienceStatus, Campaign, CampaignInfo, CampaignMessage,
    CampaignReport, CampaignStatus, CampaignSummary, CampaignType, ChannelType, DynamicCampaign,
    FullCampaign, FullCampaignBuilder, MAX_PARAM_CHARS, Message, NumberStatus, RecipientStatus,
    SummaryFilter, audience_csv,
};
pub use whatsapp_common::{
    ErrorExt, PhoneNumber, RetryPolicy, SecretString, ValidationError, WhatsAppSender,
};

/// The vendor name used in logs, errors and [`WhatsAppSender::vendor`].
pub const VENDOR: &str = "blip-campaign";

/// How the client reads a command's answer into a typed resource, for the
/// fuzz targets. Not public API.
#[doc(hidden)]
pub mod __fuzz {
    /// Reads `body` as the client reads the answer to a typed operation.
    pub fn read_answer<T: serde::de::DeserializeOwned>(body: &[u8]) -> Result<T, crate::Error> {
        let answer: crate::lime::TypedAnswer =
            whatsapp_common::DecodeError::json(200, body, false)?;
        crate::client::typed_resource(answer, "/fuzz")
    }
}
