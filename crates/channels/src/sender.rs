//! The vendor-neutral [`WhatsAppSender`] for Bird: text (inside the 24-hour
//! window) and templates of the project set with
//! [`ClientBuilder::template_project`](crate::ClientBuilder::template_project).
//!
//! The send's reference goes out as Bird's `reference` and comes back on
//! the message and in its status events, for correlation. Bird documents
//! no de-duplication on it: a send made again may deliver twice.

use whatsapp_common::{
    Capabilities, ConfigError, PhoneNumber, SendError, SendOptions, SendReceipt, Template,
    WhatsAppSender,
};

use crate::{Body, Client, Content, Error, Parameter, SendRequest, TemplateMessage, VENDOR};

impl Client {
    /// Sends `content` to `to` with the options' reference and returns the
    /// receipt with Bird's message id.
    async fn send_receipt(
        &self,
        to: &PhoneNumber,
        content: Result<Content, Error>,
        options: &SendOptions,
    ) -> Result<SendReceipt, SendError> {
        let reference = options.reference();
        let refused = |e: Error| SendError::from(e).with_client_reference(&reference);
        let request = content
            .and_then(|c| {
                Ok(SendRequest::builder(to.clone(), c)
                    .reference(&reference)
                    .build()?)
            })
            .map_err(refused)?;
        let m = self.send(&request).await.map_err(refused)?;
        Ok(SendReceipt::new(VENDOR, m.id, reference))
    }

    /// The template message for `template`, in the configured project.
    fn template_message(&self, template: &Template) -> Result<Content, Error> {
        let (project, version) = self.template_project().cloned().ok_or_else(|| {
            ConfigError::new(
                "template_project",
                "Bird addresses templates by project id: set .template_project(id, version)",
            )
        })?;
        let mut t = TemplateMessage::new(project, template.language().with_separator('-'))?
            .version(version)
            .name(template.name().as_str());
        for (key, value) in template.parameters().by_name() {
            t = t.parameter(Parameter::string(key, value));
        }
        Ok(t.into())
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
    async fn send_text_with(
        &self,
        to: &PhoneNumber,
        text: &str,
        options: &SendOptions,
    ) -> Result<SendReceipt, SendError> {
        self.send_receipt(to, Ok(Body::text(text).into()), options)
            .await
    }

    /// A template of the project set with
    /// [`ClientBuilder::template_project`](crate::ClientBuilder::template_project);
    /// parameters by name (positional values are named `1`, `2`, …).
    async fn send_template_with(
        &self,
        to: &PhoneNumber,
        template: &Template,
        options: &SendOptions,
    ) -> Result<SendReceipt, SendError> {
        self.send_receipt(to, self.template_message(template), options)
            .await
    }
}
