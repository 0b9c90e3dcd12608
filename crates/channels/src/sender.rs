//! The vendor-neutral [`WhatsAppSender`] for Bird: text (inside the 24-hour
//! window) and templates of the project set with
//! [`ClientBuilder::template_project`](crate::ClientBuilder::template_project).
//!
//! The send's reference goes out as Bird's `reference` and comes back on
//! the message and in its status events, for correlation. Bird documents
//! no de-duplication on it: a send made again may deliver twice.

use whatsapp_common::{
    Capabilities, ConfigError, Envelope, SendError, Sent, Template, VendorSender,
};

use crate::{Body, Client, Content, Error, Parameter, SendRequest, TemplateMessage};

impl Client {
    /// The template message for `template`, in the configured project.
    fn template_content(&self, template: &Template) -> Result<Content, Error> {
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

impl VendorSender for Client {
    const VENDOR: &'static str = crate::VENDOR;
    const CAPABILITIES: Capabilities = Capabilities::ALL;
    type Message = Content;

    /// Text: delivered only inside the 24-hour window (check with
    /// [`Client::contact_channel_info`]).
    fn text_message(&self, text: &str) -> Result<Content, SendError> {
        Ok(Body::text(text).into())
    }

    /// A template of the project set with
    /// [`ClientBuilder::template_project`](crate::ClientBuilder::template_project);
    /// parameters by name (positional values are named `1`, `2`, …).
    fn template_message(&self, template: &Template) -> Result<Content, SendError> {
        Ok(self.template_content(template)?)
    }

    /// Sends `content` to `to` with the reference as Bird's `reference`;
    /// the receipt carries Bird's message id.
    async fn send_message(
        &self,
        content: Content,
        envelope: Envelope<'_>,
    ) -> Result<Sent, SendError> {
        let request = SendRequest::builder(envelope.to.clone(), content)
            .reference(envelope.reference)
            .build()
            .map_err(Error::from)?;
        let m = self.send(&request).await?;
        Ok(Sent::Accepted(m.id))
    }
}
