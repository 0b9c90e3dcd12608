//! The vendor-neutral [`WhatsAppSender`] for CEC: text, and templates with
//! positional values (CEC takes template values in registration order).

use whatsapp_common::{
    Capabilities, PhoneNumber, SendError, SendReceipt, Template, TemplateParameters,
    ValidationError, WhatsAppSender,
};

use crate::{Client, Error, SendRequest, SendResponse, TemplateMessage, WhatsAppMessage};

#[async_trait::async_trait]
impl WhatsAppSender for Client {
    fn vendor(&self) -> &'static str {
        crate::VENDOR
    }

    fn capabilities(&self) -> Capabilities {
        Capabilities::ALL
    }

    /// Text to one destination; the receipt's `client_reference` is the
    /// `messageId` sent.
    async fn send_text(&self, to: &PhoneNumber, text: &str) -> Result<SendReceipt, SendError> {
        send_one(self, to, WhatsAppMessage::text(text)).await
    }

    /// A template with positional values, in registration order; named
    /// values are refused before anything is sent.
    async fn send_template(
        &self,
        to: &PhoneNumber,
        template: &Template,
    ) -> Result<SendReceipt, SendError> {
        let data = match template.parameters() {
            TemplateParameters::Positional(values) => values.clone(),
            TemplateParameters::Named(_) => {
                return Err(Error::from(ValidationError::new(
                    "whatsApp.templateData",
                    "CEC takes template values in registration order: use positional parameters",
                ))
                .into());
            }
            _ => Vec::new(),
        };
        let message = TemplateMessage::new(template.name().as_str(), template.language().as_str())
            .map_err(Error::from)?
            .data(data);
        send_one(self, to, WhatsAppMessage::template(message)).await
    }
}

/// Sends `message` to `to` and makes the receipt: CEC's id for the message
/// (its `messageId`, else the `bulkId`) and the `messageId` sent.
async fn send_one(
    client: &Client,
    to: &PhoneNumber,
    message: WhatsAppMessage,
) -> Result<SendReceipt, SendError> {
    let request = SendRequest::builder(message)
        .to(to.clone())
        .build()
        .map_err(Error::from)?;
    let response: SendResponse = client.send(&request).await?;
    let sent_id = request
        .destinations()
        .first()
        .map(|d| d.message_id().to_owned());
    let vendor_id = response
        .messages
        .first()
        .map(|m| m.message_id.clone())
        .or(response.bulk_id)
        .unwrap_or_default();
    Ok(SendReceipt::new(crate::VENDOR, vendor_id, sent_id))
}
