//! The vendor-neutral [`WhatsAppSender`] for Blip: templates only, each
//! sent as an individual campaign.
//!
//! The send's reference is the `/campaign/full` command's `id` (the same
//! on every attempt) and names the campaign. Whether Blip de-duplicates
//! commands on their id is not documented: a send made again may deliver
//! twice.

use whatsapp_common::{
    Capabilities, PhoneNumber, SendError, SendOptions, SendReceipt, Template, WhatsAppSender,
};

use crate::{Audience, CampaignInfo, Client, Error, FullCampaign, MessageTemplate};

#[async_trait::async_trait]
impl WhatsAppSender for Client {
    fn vendor(&self) -> &'static str {
        crate::VENDOR
    }

    fn capabilities(&self) -> Capabilities {
        Capabilities::TEMPLATE_ONLY
    }

    /// An individual campaign with the template, named after it and the
    /// reference; positional values are named `1`, `2`, … as Blip's
    /// templates number them, and replies go to the builder's
    /// `default_flow`. The receipt's id is the campaign's.
    async fn send_template_with(
        &self,
        to: &PhoneNumber,
        template: &Template,
        options: &SendOptions,
    ) -> Result<SendReceipt, SendError> {
        let reference = options.reference();
        let refused = |e: Error| SendError::from(e).with_client_reference(&reference);
        let mut audience = Audience::new(to.clone());
        let mut names = Vec::with_capacity(template.parameters().len());
        for (name, value) in template.parameters().by_name() {
            audience = audience.param(name.as_ref(), value);
            names.push(name.into_owned());
        }
        let mut info = CampaignInfo::new(format!("{}-{reference}", template.name()));
        if let Some((flow, state)) = self.default_flow() {
            info = info.flow(flow, state);
        }
        let message = MessageTemplate::whatsapp(template.name().as_str(), names)
            .language(template.language().as_str());
        let campaign = FullCampaign::individual(info, audience, message)
            .build()
            .map_err(|e| refused(e.into()))?;
        let created = self
            .create_full_campaign_with_id(&campaign, &reference)
            .await
            .map_err(refused)?;
        Ok(SendReceipt::new(crate::VENDOR, created.id, reference))
    }
}
