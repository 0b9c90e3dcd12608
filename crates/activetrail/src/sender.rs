//! The vendor-neutral [`WhatsAppSender`] for ActiveTrail: templates, and
//! text within the 24-hour window, from the client's default sending
//! profile.

use whatsapp_common::{
    Capabilities, PhoneNumber, SendError, SendReceipt, Template, WhatsAppSender,
};

use crate::{Client, Error, OperationalMessage, OperationalMessageBuilder, TemplateRef};

impl Client {
    /// Builds and sends `message` to `to`; the receipt carries the created
    /// campaign's id.
    async fn send_one(
        &self,
        to: &PhoneNumber,
        message: OperationalMessageBuilder,
    ) -> Result<SendReceipt, SendError> {
        let message = message.to(to.clone()).build().map_err(Error::from)?;
        let response = self.send(&message).await?;
        let id = response
            .campaign
            .and_then(|c| c.id)
            .map(|g| g.as_str().to_owned())
            .unwrap_or_default();
        Ok(SendReceipt::new(crate::VENDOR, id, None))
    }
}

#[async_trait::async_trait]
impl WhatsAppSender for Client {
    fn vendor(&self) -> &'static str {
        crate::VENDOR
    }

    fn capabilities(&self) -> Capabilities {
        Capabilities::ALL
    }

    /// Free text: only within 24 hours of the contact's last reply; outside
    /// it, ActiveTrail fails the message.
    async fn send_text(&self, to: &PhoneNumber, text: &str) -> Result<SendReceipt, SendError> {
        let profile = self.default_profile()?;
        self.send_one(to, OperationalMessage::content(profile, text))
            .await
    }

    /// ActiveTrail names template variables: positional values go under
    /// their 1-based position (`"1"`, `"2"`, …).
    async fn send_template(
        &self,
        to: &PhoneNumber,
        template: &Template,
    ) -> Result<SendReceipt, SendError> {
        let profile = self.default_profile()?;
        let variables = template
            .parameters()
            .by_name()
            .fold(TemplateRef::new(template.name().as_str()), |t, (k, v)| {
                t.variable(k, v)
            });
        self.send_one(to, OperationalMessage::template(profile, variables))
            .await
    }
}
