//! The vendor-neutral [`WhatsAppSender`] for the gateway: text only (the
//! gateway sends free text or an image, no templates).
//!
//! The send's reference is the gateway's partner `id`: with duplicate
//! control on for your account (and `SendRetries::IfDeduplicated` on the
//! client), the gateway sends a message once per `id`, and a send made
//! again with the same reference that the gateway answers with code 10
//! ("prohibited sending duplicates") is the first one's success.

use whatsapp_common::{Capabilities, Envelope, SendError, Sent, VendorSender};

use crate::{Client, Error, InstantContent, SendRequest};

impl VendorSender for Client {
    const VENDOR: &'static str = crate::VENDOR;
    const CAPABILITIES: Capabilities = Capabilities::TEXT_ONLY;
    type Message = InstantContent;

    /// Text with the client's defaults.
    fn text_message(&self, text: &str) -> Result<InstantContent, SendError> {
        Ok(InstantContent::text(text))
    }

    /// Sends `content` to `to` with the reference as `id`.
    async fn send_message(
        &self,
        content: InstantContent,
        envelope: Envelope<'_>,
    ) -> Result<Sent, SendError> {
        let request = SendRequest::builder(envelope.to.clone(), content)
            .id(envelope.reference)
            .build()
            .map_err(Error::from)?;
        match self.send(&request).await {
            Ok(accepted) => Ok(Sent::Accepted(accepted.mt_num)),
            // Code 10: a message with this `id` was accepted before.
            Err(Error::Vendor(v)) if v.is_already_sent() => Ok(Sent::AlreadyAccepted),
            Err(e) => Err(e.into()),
        }
    }
}
