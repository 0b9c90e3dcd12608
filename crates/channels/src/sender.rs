//! The vendor-neutral [`WhatsAppSender`] for Bird: text (inside the 24-hour
//! window) and templates of the project set with
//! [`ClientBuilder::template_project`](crate::ClientBuilder::template_project).

use whatsapp_common::{
    Capabilities, ConfigError, PhoneNumber, SendError, SendReceipt, Template, WhatsAppSender,
};

use crate::{Body, Client, Content, Error, Parameter, SendRequest, TemplateMessage, VENDOR};

impl Client {
    /// Sends `content` to `to` and returns the receipt with Bird's message id.
    async fn send_receipt(
        &self,
        to: &PhoneNumber,
        content: impl Into<Content>,
    ) -> Result<SendReceipt, SendError> {
        let request = SendRequest::builder(to.clone(), content)
            .build()
            .map_err(Error::from)?;
        let m = self.send(&request).await?;
        Ok(SendReceipt::new(VENDOR, m.id, None))
    }
}

#[async_trait::async_trait]
impl WhatsAppSender for Client {
    fn vendor(&self) -> &'static str {
        VENDOR
    }

    fn capabilities(&self) -> Capabilities {
        Capabilities::ALL
    }

    /// Text: delivered only inside the 24-hour window (check with
    /// [`Client::contact_channel_info`]).
    async fn send_text(&self, to: &PhoneNumber, text: &str) -> Result<SendReceipt, SendError> {
        self.send_receipt(to, Body::text(text)).await
    }

    /// A template of the project set with
    /// [`ClientBuilder::template_project`](crate::ClientBuilder::template_project);
    /// parameters by name (positional values are named `1`, `2`, …).
    async fn send_template(
        &self,
        to: &PhoneNumber,
        template: &Template,
    ) -> Result<SendReceipt, SendError> {
        let (project, version) = self.template_project().cloned().ok_or_else(|| {
            Error::from(ConfigError::new(
                "template_project",
                "Bird addresses templates by project id: set .template_project(id, version)",
            ))
        })?;
        let mut t = TemplateMessage::new(project, template.language().with_separator('-'))
            .map_err(Error::from)?
            .version(version)
            .name(template.name().as_str());
        for (key, value) in template.parameters().by_name() {
            t = t.parameter(Parameter::string(key, value));
        }
        self.send_receipt(to, t).await
    }
}
