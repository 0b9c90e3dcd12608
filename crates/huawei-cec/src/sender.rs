//! The vendor-neutral [`WhatsAppSender`] for CEC: text, and templates with
//! positional values (CEC takes template values in registration order).
//!
//! The send's reference is sent as the `bulkId` and as the destination's
//! `messageId`, the same on every attempt. Where CEC de-duplicates on the
//! message id for your account (set `SendRetries::IfDeduplicated` then), a
//! send made again with the same reference is sent once; CEC does not
//! document it. A 200 whose message CEC did not accept (status group
//! rejected, undeliverable or expired) is an error through this trait:
//! [`MessageNotAccepted`].

use std::fmt;

use whatsapp_common::{
    Capabilities, Envelope, RetryClass, SendError, SendErrorKind, Sent, Template,
    TemplateParameters, ValidationError, VendorSender,
};

use crate::{
    Client, Error, Outcome, SendRequest, SendResponse, SendStatus, TemplateMessage, WhatsAppMessage,
};

/// CEC answered the send with HTTP 200, but the message's status says it
/// will not be delivered (a `REJECTED`, `UNDELIVERABLE` or `EXPIRED`
/// status group): the vendor took the request and refused the message.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct MessageNotAccepted {
    /// The message's status, as CEC gave it.
    pub status: SendStatus,
}

impl fmt::Display for MessageNotAccepted {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let said = |v: &Option<String>| v.clone().unwrap_or_else(|| "-".to_owned());
        write!(
            f,
            "CEC did not accept the message: {} ({})",
            said(&self.status.name),
            said(&self.status.description)
        )?;
        if let Some(action) = &self.status.action {
            write!(f, "; {action}")?;
        }
        Ok(())
    }
}

impl std::error::Error for MessageNotAccepted {}

impl VendorSender for Client {
    const VENDOR: &'static str = crate::VENDOR;
    const CAPABILITIES: Capabilities = Capabilities::ALL;
    type Message = WhatsAppMessage;

    /// Text to one destination.
    fn text_message(&self, text: &str) -> Result<WhatsAppMessage, SendError> {
        Ok(WhatsAppMessage::text(text))
    }

    /// A template with positional values, in registration order; named
    /// values are refused before anything is sent.
    fn template_message(&self, template: &Template) -> Result<WhatsAppMessage, SendError> {
        Ok(template_message(template)?)
    }

    /// Sends `message` to `to` with the reference as the `bulkId` and the
    /// destination's `messageId`; the receipt carries CEC's id for the
    /// message (its `messageId`, else the `bulkId`).
    async fn send_message(
        &self,
        message: WhatsAppMessage,
        envelope: Envelope<'_>,
    ) -> Result<Sent, SendError> {
        let request = SendRequest::builder(message)
            .bulk_id(envelope.reference)
            .to_with_id(envelope.to.clone(), envelope.reference)
            .build()
            .map_err(Error::from)?;
        let response: SendResponse = self.send(&request).await?;
        let first = response.messages.first();
        if let Some(m) = first.filter(|m| m.outcome() == Outcome::Failed) {
            let not_accepted = MessageNotAccepted {
                status: m.status.clone().unwrap_or_default(),
            };
            return Err(SendError::new(
                crate::VENDOR,
                SendErrorKind::Vendor,
                RetryClass::Never,
                None,
                not_accepted,
            ));
        }
        let vendor_id = first
            .and_then(|m| m.message_id.clone())
            .or(response.bulk_id);
        Ok(Sent::Accepted(vendor_id))
    }
}

fn template_message(template: &Template) -> Result<WhatsAppMessage, Error> {
    let data = match template.parameters() {
        TemplateParameters::Positional(values) => values.clone(),
        TemplateParameters::Named(_) => {
            return Err(ValidationError::new(
                "whatsApp.templateData",
                "CEC takes template values in registration order: use positional parameters",
            )
            .into());
        }
        _ => Vec::new(),
    };
    let message =
        TemplateMessage::new(template.name().as_str(), template.language().as_str())?.data(data);
    Ok(WhatsAppMessage::template(message))
}
