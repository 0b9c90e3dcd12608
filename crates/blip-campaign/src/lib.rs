//! Rust SDK for Blip's Active Campaign over LIME commands
//! (`POST https://{contract}.http.msging.net/commands`, addressed to
//! `postmaster@activecampaign.msging.net`).
//!
//! - Create and send in one command: [`Client::create_full_campaign`] with a
//!   [`FullCampaign`] (individual or batch; a [`MessageTemplate`]: WhatsApp
//!   template or RCS content).
//! - The dynamic flow: [`Client::create_campaign`] → [`Client::add_audiences`]
//!   (5,000 a command; each command Blip accepted is recorded in the
//!   caller's [`AudienceProgress`], and a call again with it after an error or a
//!   cancelled call resumes after them) or [`Client::add_audiences_file`]
//!   with [`audience_csv`] → [`Client::dispatch`] (sent once: a concurrent
//!   dispatch of the campaign, or one after a failure that may have
//!   reached Blip, is refused before sending).
//! - Reads: [`Client::campaigns`], [`Client::campaign`],
//!   [`Client::campaign_summaries`], [`Client::campaign_summary`],
//!   [`Client::audience`], [`Client::messages`], [`Client::report`]; and
//!   [`Client::cancel_campaign`]. Each collection read takes its page
//!   ([`Paging`]: `$skip`, `$take` of at most [`MAX_TAKE`]), and has a
//!   `…_pages` twin ([`Client::audience_pages`], …) returning a [`Pager`]
//!   that reads every page to the end.
//! - Any other command: [`Client::send_command`] with a [`Command`], the
//!   typed envelope back.
//! - Errors are typed: [`Error`] is the workspace's one error type. A failed
//!   command comes back as HTTP 200 with `status: failure`: that is
//!   [`Error::Vendor`](whatsapp_common::Error::Vendor) with an [`ApiError`]
//!   holding LIME's [`Reason`] ([`ErrorCode`]); an HTTP error has no reason.
//!   Every error says whether the command may be sent again
//!   ([`Error::retry_class`](whatsapp_common::Error::retry_class)).
//! - The key is a [`SecretString`] (`Authorization: Key …`).
//! - Feature `mock`: `mock::MockBlip` for your own tests.
//! - Feature `webhook`: `webhook::BlipIntake` checks Blip's callbacks to
//!   the bot (a custom header with a shared secret, an address allow-list:
//!   Blip signs nothing) and reads them as vendor-neutral events, for the
//!   `whatsapp-receiver` crate's router.
//!
//! Types marked **Unverified** follow the best inference from Blip's public
//! material (see `docs/blip-campaign.md`); [`Client::send_command`] lets a
//! tenant that differs send exactly what it needs.
//!
//! ```
//! # #[cfg(feature = "mock")]
//! # #[tokio::main(flavor = "current_thread")]
//! # async fn main() -> Result<(), Box<dyn std::error::Error>> {
//! use blip_campaign::{Audience, CampaignInfo, Client, DynamicCampaign, MessageTemplate, AudienceProgress};
//! # use blip_campaign::mock::MockVendor;
//! # let blip = blip_campaign::mock::MockBlip::start().await;
//!
//! let client = Client::builder("Key your-key").base_url(blip.uri()).build()?;
//! let message = MessageTemplate::whatsapp("order_update", ["1"]).language("pt_BR");
//! let campaign = client
//!     .create_campaign(&DynamicCampaign::new(CampaignInfo::new("june-orders"), message.clone())?)
//!     .await?;
//! let id = campaign.id.ok_or("no campaign id in Blip's answer")?;
//! let audiences = vec![Audience::new("+5531999999999".parse()?).param("1", "Ana")];
//! let mut progress = AudienceProgress::new(); // after an error, what was added; pass it again to resume
//! client.add_audiences(&id, &message, &audiences, &mut progress).await?;
//! client.dispatch(&id).await?;
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
#[cfg(feature = "webhook")]
#[cfg_attr(docsrs, doc(cfg(feature = "webhook")))]
pub mod webhook;

pub use client::{AudienceProgress, Client, ClientBuilder, MAX_AUDIENCES_PER_COMMAND};
pub use codec::{
    AUDIENCE_TYPE, CAMPAIGN_TYPE, COLLECTION_TYPE, Collection, Command, CommandMethod,
    CommandResponse, CommandStatus, DYNAMIC_CAMPAIGN_TYPE, FULL_CAMPAIGN_TYPE, POSTMASTER,
};
pub use error::{ApiError, Error, ErrorCode, Reason};
pub use model::audience::{
    Audience, AudienceItem, AudienceStatus, MAX_PARAM_CHARS, NumberStatus, audience_csv,
};
pub use model::campaign::{
    Campaign, CampaignInfo, CampaignStatus, CampaignType, ChannelType, DynamicCampaign,
    FullCampaign, FullCampaignBuilder,
};
pub use model::page::{MAX_TAKE, Paging};
pub use model::report::{CampaignReport, CampaignSummary, RecipientStatus, SummaryFilter};
pub use model::template::{CampaignMessage, MessageTemplate};
pub use whatsapp_common::vendor_api::*;

/// The vendor name used in logs, errors and [`WhatsAppSender::vendor`].
pub const VENDOR: &str = "blip-campaign";

/// How the client reads a command's answer into a typed resource, for the
/// fuzz targets and the conformance suite (feature `mock`). Not public API.
#[cfg(feature = "mock")]
#[cfg_attr(docsrs, doc(cfg(feature = "mock")))]
#[doc(hidden)]
pub mod __fuzz {
    use serde::de::DeserializeOwned;
    use serde_json::Value;
    use whatsapp_common::Protocol;
    use whatsapp_common::http::Response;

    use crate::{
        AudienceItem, Campaign, CampaignMessage, CampaignReport, CampaignSummary, Collection,
        CommandResponse, DecodeError,
    };

    /// Reads `body` (an HTTP 200 answer) as the client reads the answer to
    /// a typed operation: the envelope, then its resource as `T`.
    pub fn read_answer<T: DeserializeOwned>(body: &[u8]) -> Result<T, crate::Error> {
        crate::protocol::Lime { uri: "/fuzz" }.decode(&Response::new(200, body.to_vec()))
    }

    /// Reads `body` every way the crate reads an answer, writing out every
    /// error: as each typed resource through the client's own path, as the
    /// public envelope, and that envelope's resource as each type.
    pub fn decode_every_way(body: &[u8]) {
        fn as_type<T: DeserializeOwned>(body: &[u8], resource: Option<&Value>) {
            if let Err(e) = read_answer::<T>(body) {
                let _ = format!("{e} {e:?}");
            }
            if let Some(Err(e)) = resource.map(|r| DecodeError::json_value::<T>(200, r.clone())) {
                let _ = format!("{e} {e:?}");
            }
        }
        let envelope = serde_json::from_slice::<CommandResponse>(body).ok();
        if let Some(reason) = envelope.as_ref().and_then(|e| e.reason.as_ref()) {
            let _ = reason.code.name();
        }
        let resource = envelope.as_ref().and_then(|e| e.resource.as_ref());
        as_type::<Campaign>(body, resource);
        as_type::<CampaignSummary>(body, resource);
        as_type::<Collection<Campaign>>(body, resource);
        as_type::<Collection<CampaignSummary>>(body, resource);
        as_type::<Collection<AudienceItem>>(body, resource);
        as_type::<Collection<CampaignMessage>>(body, resource);
        as_type::<CampaignReport>(body, resource);
    }
}
