//! The vendor-neutral [`WhatsAppSender`] for Blip: templates only, each
//! sent as an individual campaign.
//!
//! The send's reference is the `/campaign/full` command's `id` (the same
//! on every attempt) and names the campaign. Whether Blip de-duplicates
//! commands on their id is not documented: a send made again may deliver
//! twice.

use whatsapp_common::{Capabilities, Envelope, SendError, Sent, Template, VendorSender};

use crate::{Audience, CampaignInfo, Client, Error, FullCampaign, MessageTemplate};

impl VendorSender for Client {
    const VENDOR: &'static str = crate::VENDOR;
    const CAPABILITIES: Capabilities = Capabilities::TEMPLATE_ONLY;
    type Message = Template;

    /// The template itself: its campaign is made when the recipient and
    /// the reference are known.
    fn template_message(&self, template: &Template) -> Result<Template, SendError> {
        Ok(template.clone())
    }

    /// An individual campaign with the template, named after it and the
    /// reference; positional values are named `1`, `2`, … as Blip's
    /// templates number them, and replies go to the builder's
    /// `default_flow`. The reference is the `/campaign/full` command's
    /// `id`; the receipt's id is the campaign's.
    async fn send_message(
        &self,
        template: Template,
        envelope: Envelope<'_>,
    ) -> Result<Sent, SendError> {
        let mut audience = Audience::new(envelope.to.clone());
        let mut names = Vec::with_capacity(template.parameters().len());
        for (name, value) in template.parameters().by_name() {
            audience = audience.param(name.as_ref(), value);
            names.push(name.into_owned());
        }
        let mut info = CampaignInfo::new(format!("{}-{}", template.name(), envelope.reference));
        if let Some((flow, state)) = self.default_flow() {
            info = info.flow(flow, state);
        }
        let message = MessageTemplate::whatsapp(template.name().as_str(), names)
            .language(template.language().as_str());
        let campaign = FullCampaign::individual(info, audience, message)
            .build()
            .map_err(Error::from)?;
        let created = self
            .create_full_campaign_with_id(&campaign, envelope.reference)
            .await?;
        Ok(Sent::Accepted(created.id))
    }
}
