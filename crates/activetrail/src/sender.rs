//! The vendor-neutral [`WhatsAppSender`] for ActiveTrail: templates, and
//! text within the 24-hour window, from the client's default sending
//! profile.
//!
//! `SendOperationalMessage` has no field for a caller's reference and
//! ActiveTrail documents no de-duplication: the send's reference comes back
//! in the receipt and in errors for your own records, and a send made again
//! may deliver twice.

use whatsapp_common::{
    Capabilities, PhoneNumber, SendError, SendOptions, SendReceipt, Template, WhatsAppSender,
};

use crate::{Client, Error, OperationalMessage, OperationalMessageBuilder, TemplateRef};

impl Client {
    /// Builds and sends `message` to `to`; the receipt carries the created
    /// campaign's id.
    async fn send_one(
        &self,
        to: &PhoneNumber,
        message: Result<OperationalMessageBuilder, Error>,
        options: &SendOptions,
    ) -> Result<SendReceipt, SendError> {
        let reference = options.reference();
        let refused = |e: Error| SendError::from(e).with_client_reference(&reference);
        let message = message
            .and_then(|m| Ok(m.to(to.clone()).build()?))
            .map_err(refused)?;
        let response = self.send(&message).await.map_err(refused)?;
        let id = response
            .campaign
            .and_then(|c| c.id)
            .map(|g| g.as_str().to_owned());
        Ok(SendReceipt::new(crate::VENDOR, id, reference))
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
    async fn send_text_with(
        &self,
        to: &PhoneNumber,
        text: &str,
        options: &SendOptions,
    ) -> Result<SendReceipt, SendError> {
        let message = self
            .default_profile()
            .map(|profile| OperationalMessage::content(profile, text));
        self.send_one(to, message, options).await
    }

    /// ActiveTrail names template variables: positional values go under
    /// their 1-based position (`"1"`, `"2"`, …).
    async fn send_template_with(
        &self,
        to: &PhoneNumber,
        template: &Template,
        options: &SendOptions,
    ) -> Result<SendReceipt, SendError> {
        let message = self.default_profile().map(|profile| {
            let variables = template
                .parameters()
                .by_name()
                .fold(TemplateRef::new(template.name().as_str()), |t, (k, v)| {
                    t.variable(k, v)
                });
            OperationalMessage::template(profile, variables)
        });
        self.send_one(to, message, options).await
    }
}
