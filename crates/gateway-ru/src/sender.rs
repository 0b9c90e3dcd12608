//! The vendor-neutral [`WhatsAppSender`] for the gateway: text only (the
//! gateway sends free text or an image, no templates).

use whatsapp_common::{Capabilities, PhoneNumber, SendError, SendReceipt, WhatsAppSender};

use crate::{Client, Error, InstantContent, SendRequest};

#[async_trait::async_trait]
impl WhatsAppSender for Client {
    fn vendor(&self) -> &'static str {
        crate::VENDOR
    }

    fn capabilities(&self) -> Capabilities {
        Capabilities::TEXT_ONLY
    }

    /// Text with the client's defaults; the receipt's `client_reference`
    /// is the `id` sent.
    async fn send_text(&self, to: &PhoneNumber, text: &str) -> Result<SendReceipt, SendError> {
        let request = SendRequest::builder(to.clone(), InstantContent::text(text))
            .build()
            .map_err(Error::from)?;
        let response = self.send(&request).await?;
        Ok(SendReceipt::new(
            crate::VENDOR,
            response.mt_num,
            Some(request.id().to_owned()),
        ))
    }
}
