//! The vendor-neutral [`WhatsAppSender`] for ActiveTrail: templates, and
//! text within the 24-hour window, from the client's default sending
//! profile.
//!
//! `SendOperationalMessage` has no field for a caller's reference and
//! ActiveTrail documents no de-duplication: the send's reference comes back
//! in the receipt and in errors for your own records, and a send made again
//! may deliver twice.

use whatsapp_common::{Capabilities, Envelope, SendError, Sent, Template, VendorSender};

use crate::{Client, OperationalMessage, OperationalMessageBuilder, TemplateRef};

impl VendorSender for Client {
    const VENDOR: &'static str = crate::VENDOR;
    const CAPABILITIES: Capabilities = Capabilities::ALL;
    type Message = OperationalMessageBuilder;

    /// Free text: only within 24 hours of the contact's last reply; outside
    /// it, ActiveTrail fails the message.
    fn text_message(&self, text: &str) -> Result<OperationalMessageBuilder, SendError> {
        let profile = self.default_profile()?;
        Ok(OperationalMessage::content(profile, text))
    }

    /// ActiveTrail names template variables: positional values go under
    /// their 1-based position (`"1"`, `"2"`, …).
    fn template_message(
        &self,
        template: &Template,
    ) -> Result<OperationalMessageBuilder, SendError> {
        let profile = self.default_profile()?;
        let variables = template
            .parameters()
            .by_name()
            .fold(TemplateRef::new(template.name().as_str()), |t, (k, v)| {
                t.variable(k, v)
            });
        Ok(OperationalMessage::template(profile, variables))
    }

    /// Builds the message for `to` and sends it; the receipt carries the
    /// created campaign's id.
    async fn send_message(
        &self,
        message: OperationalMessageBuilder,
        envelope: Envelope<'_>,
    ) -> Result<Sent, SendError> {
        let message = message
            .to(envelope.to.clone())
            .build()
            .map_err(crate::Error::from)?;
        let response = self.send(&message).await?;
        let id = response
            .campaign
            .and_then(|c| c.id)
            .map(|g| g.as_str().to_owned());
        Ok(Sent::Accepted(id))
    }
}
