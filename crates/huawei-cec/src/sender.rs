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
    Capabilities, PhoneNumber, RetryClass, SendError, SendErrorKind, SendOptions, SendReceipt,
    Template, TemplateParameters, ValidationError, WhatsAppSender,
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

#[async_trait::async_trait]
impl WhatsAppSender for Client {
    fn vendor(&self) -> &'static str {
        crate::VENDOR
    }

    fn capabilities(&self) -> Capabilities {
        Capabilities::ALL
    }

    /// Text to one destination.
    async fn send_text_with(
        &self,
        to: &PhoneNumber,
        text: &str,
        options: &SendOptions,
    ) -> Result<SendReceipt, SendError> {
        send_one(self, to, Ok(WhatsAppMessage::text(text)), options).await
    }

    /// A template with positional values, in registration order; named
    /// values are refused before anything is sent.
    async fn send_template_with(
        &self,
        to: &PhoneNumber,
        template: &Template,
        options: &SendOptions,
    ) -> Result<SendReceipt, SendError> {
        send_one(self, to, template_message(template), options).await
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

/// Sends `message` to `to` under the options' reference and makes the
/// receipt: CEC's id for the message (its `messageId`, else the `bulkId`).
async fn send_one(
    client: &Client,
    to: &PhoneNumber,
    message: Result<WhatsAppMessage, Error>,
    options: &SendOptions,
) -> Result<SendReceipt, SendError> {
    let reference = options.reference();
    let refused = |e: Error| SendError::from(e).with_client_reference(&reference);
    let request = message
        .and_then(|m| {
            Ok(SendRequest::builder(m)
                .bulk_id(&reference)
                .to_with_id(to.clone(), &reference)
                .build()?)
        })
        .map_err(refused)?;
    let response: SendResponse = client.send(&request).await.map_err(refused)?;
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
        )
        .with_client_reference(reference));
    }
    let vendor_id = first
        .and_then(|m| m.message_id.clone())
        .or(response.bulk_id);
    Ok(SendReceipt::new(crate::VENDOR, vendor_id, reference))
}
