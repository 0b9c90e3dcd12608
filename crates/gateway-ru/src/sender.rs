//! The vendor-neutral [`WhatsAppSender`] for the gateway: text only (the
//! gateway sends free text or an image, no templates).
//!
//! The send's reference is the gateway's partner `id`: with duplicate
//! control on for your account (and `SendRetries::IfDeduplicated` on the
//! client), the gateway sends a message once per `id`, and a send made
//! again with the same reference that the gateway answers with code 10
//! ("prohibited sending duplicates") is the first one's success.

use whatsapp_common::{
    Capabilities, PhoneNumber, SendError, SendOptions, SendReceipt, WhatsAppSender,
};

use crate::{Client, Error, InstantContent, SendRequest};

#[async_trait::async_trait]
impl WhatsAppSender for Client {
    fn vendor(&self) -> &'static str {
        crate::VENDOR
    }

    fn capabilities(&self) -> Capabilities {
        Capabilities::TEXT_ONLY
    }

    /// Text with the client's defaults, the reference sent as `id`.
    async fn send_text_with(
        &self,
        to: &PhoneNumber,
        text: &str,
        options: &SendOptions,
    ) -> Result<SendReceipt, SendError> {
        let reference = options.reference();
        let refused = |e: Error| SendError::from(e).with_client_reference(&reference);
        let request = SendRequest::builder(to.clone(), InstantContent::text(text))
            .id(&reference)
            .build()
            .map_err(|e| refused(e.into()))?;
        match self.send(&request).await {
            Ok(accepted) => Ok(SendReceipt::new(crate::VENDOR, accepted.mt_num, reference)),
            // Code 10: a message with this `id` was accepted before.
            Err(Error::Vendor(v)) if v.is_already_sent() => {
                Ok(SendReceipt::new(crate::VENDOR, None, reference).already_accepted())
            }
            Err(e) => Err(refused(e)),
        }
    }
}
