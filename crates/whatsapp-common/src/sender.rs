//! A vendor-neutral interface for the common case: send a text, send a
//! template.
//!
//! Every vendor client implements [`WhatsAppSender`] (through
//! [`VendorSender`]) for the message kinds its API allows, so an
//! application can hold a `Box<dyn WhatsAppSender>` (or an `Arc`) and pick
//! the vendor by configuration. Anything vendor-specific
//! (scheduling, media, cascades, campaigns) stays on the vendor client itself.
//!
//! | vendor crate | text | template |
//! |---|---|---|
//! | `gateway-ru` | yes | no: the gateway sends free text or an image |
//! | `huawei-cec` | yes | yes (positional values, in registration order) |
//! | `activetrail` | only within 24 hours of the contact's reply | yes (named values; positional ones named `1`, `2`, …) |
//! | `channels` | only within the 24-hour window (`contact_channel_info` tells) | yes, with `template_project` set (Bird names templates by project id) |
//! | `blip-campaign` | no: campaigns send templates | yes, as an individual campaign (positional values named `1`, `2`, …) |
//!
//! [`WhatsAppSender::capabilities`] answers the same question at run time.

use std::fmt;
use std::time::Duration;

use crate::error::{Error, Refusal, RetryClass, SendFailure};
use crate::{PhoneNumber, Template};

/// Which message kinds a vendor client can send through [`WhatsAppSender`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub struct Capabilities {
    /// Free-form text.
    pub text: bool,
    /// Approved templates.
    pub template: bool,
}

impl Capabilities {
    /// Text and templates.
    pub const ALL: Self = Self {
        text: true,
        template: true,
    };
    /// Text only.
    pub const TEXT_ONLY: Self = Self {
        text: true,
        template: false,
    };
    /// Templates only.
    pub const TEMPLATE_ONLY: Self = Self {
        text: false,
        template: true,
    };
}

/// What the vendor said when it accepted a message.
///
/// Acceptance is not delivery: delivery is reported later, by each vendor's
/// own status mechanism.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct SendReceipt {
    /// The vendor's name (`"gateway-ru"`, …).
    pub vendor: &'static str,
    /// The vendor's id for the accepted message or campaign, where its
    /// answer carries one.
    pub vendor_message_id: Option<String>,
    /// The reference this send carried: the caller's
    /// ([`SendOptions::client_reference`]) or one made for it. Send it again
    /// with the same reference, never a new one.
    pub client_reference: String,
    /// The vendor answered that it had already accepted a message with this
    /// reference: this send delivered nothing new.
    pub already_accepted: bool,
}

impl SendReceipt {
    /// A receipt from `vendor` for the send that carried `client_reference`.
    pub fn new(
        vendor: &'static str,
        vendor_message_id: Option<String>,
        client_reference: impl Into<String>,
    ) -> Self {
        Self {
            vendor,
            vendor_message_id,
            client_reference: client_reference.into(),
            already_accepted: false,
        }
    }

    /// The same receipt, for a vendor that said it had already accepted a
    /// message with this reference.
    #[must_use]
    pub fn already_accepted(mut self) -> Self {
        self.already_accepted = true;
        self
    }
}

/// How one send through [`WhatsAppSender`] is made.
///
/// ```
/// use whatsapp_common::SendOptions;
/// let first = SendOptions::new().client_reference("order-1042-shipped");
/// assert_eq!(first.reference(), "order-1042-shipped");
/// // Without one, each send gets a fresh reference (returned in the
/// // receipt and in errors): pass it back to send the same message again.
/// let fresh = SendOptions::new();
/// assert_ne!(fresh.reference(), fresh.reference());
/// ```
#[derive(Debug, Clone, Default, PartialEq, Eq)]
#[non_exhaustive]
pub struct SendOptions {
    /// Your reference for this message. Each vendor crate sends it as the
    /// vendor's de-duplication id where the vendor has one (its docs say
    /// what the vendor guarantees), and it comes back in the receipt and in
    /// errors. Sending again after an error whose retry class is not
    /// [`RetryClass::Never`] should reuse it.
    pub client_reference: Option<String>,
}

impl SendOptions {
    /// No reference: one is made for each send.
    pub fn new() -> Self {
        Self::default()
    }

    /// Sends with your own reference.
    #[must_use]
    pub fn client_reference(mut self, reference: impl Into<String>) -> Self {
        self.client_reference = Some(reference.into());
        self
    }

    /// The reference a send with these options carries: yours, or a fresh
    /// UUID.
    pub fn reference(&self) -> String {
        self.client_reference.clone().unwrap_or_else(crate::new_id)
    }
}

/// Broad class of a [`SendError`], the same for every vendor.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum SendErrorKind {
    /// This vendor cannot send this kind of message.
    Unsupported,
    /// The message or recipient was refused before sending.
    InvalidInput,
    /// The vendor could not be reached, or did not answer in time.
    Transport,
    /// The vendor refused the credentials.
    Auth,
    /// The vendor refused the request (rate limit, bad request, server error).
    Vendor,
    /// The vendor's answer could not be understood.
    Decode,
}

/// An error from [`WhatsAppSender`], with the vendor's own error as source.
///
/// Downcast [`SendError::vendor_error`] to the vendor crate's `Error` for
/// every detail.
#[derive(Debug)]
pub struct SendError {
    vendor: &'static str,
    kind: SendErrorKind,
    retry_class: RetryClass,
    retry_after: Option<Duration>,
    failure: SendFailure,
    client_reference: Option<String>,
    source: Box<dyn std::error::Error + Send + Sync + 'static>,
}

impl SendError {
    /// Wraps a vendor error. What it means for the message
    /// ([`SendError::failure`]) is what `retry_class` alone says
    /// ([`SendFailure::from_retry_class`]) unless
    /// [`SendError::with_failure`] says otherwise.
    pub fn new(
        vendor: &'static str,
        kind: SendErrorKind,
        retry_class: RetryClass,
        retry_after: Option<Duration>,
        source: impl std::error::Error + Send + Sync + 'static,
    ) -> Self {
        Self {
            vendor,
            kind,
            retry_class,
            retry_after,
            failure: SendFailure::from_retry_class(retry_class),
            client_reference: None,
            source: Box::new(source),
        }
    }

    /// The same error, meaning `failure` for the message.
    #[must_use]
    pub fn with_failure(mut self, failure: SendFailure) -> Self {
        self.failure = failure;
        self
    }

    /// What this failure means for the message, over every attempt: not
    /// processed (sending it elsewhere sends it once), refused, or may
    /// have been delivered (sending it elsewhere may deliver it twice).
    /// For a vendor error, [`Error::failure`](crate::Error::failure).
    pub fn failure(&self) -> SendFailure {
        self.failure
    }

    /// The same error, for the send that carried `reference`.
    #[must_use]
    pub fn with_client_reference(mut self, reference: impl Into<String>) -> Self {
        self.client_reference = Some(reference.into());
        self
    }

    /// The reference the failed send carried: send the message again with
    /// this one (see [`SendOptions::client_reference`]).
    pub fn client_reference(&self) -> Option<&str> {
        self.client_reference.as_deref()
    }

    /// The error for a message kind `vendor` cannot send.
    pub fn unsupported(vendor: &'static str, what: &'static str) -> Self {
        Self::new(
            vendor,
            SendErrorKind::Unsupported,
            RetryClass::Never,
            None,
            Unsupported { vendor, what },
        )
        // Nothing was sent: another vendor may send it.
        .with_failure(SendFailure::NotProcessed)
    }

    /// Which vendor failed.
    pub fn vendor(&self) -> &'static str {
        self.vendor
    }
    /// The broad class.
    pub fn kind(&self) -> SendErrorKind {
        self.kind
    }
    /// May this send be made again? The vendor error's own
    /// [`Error::retry_class`], which the client's retry loop acted on.
    pub fn retry_class(&self) -> RetryClass {
        self.retry_class
    }
    /// How long the vendor asked to wait, if it said.
    pub fn retry_after(&self) -> Option<Duration> {
        self.retry_after
    }
    /// The vendor crate's error.
    pub fn vendor_error(&self) -> &(dyn std::error::Error + Send + Sync + 'static) {
        &*self.source
    }

    /// The vendor crate's error as `E` (its `Error`), when it is one.
    ///
    /// ```
    /// # use whatsapp_common::{Error, SendError, ValidationError};
    /// # #[derive(Debug)] struct ApiError;
    /// # impl whatsapp_common::Refusal for ApiError {
    /// #     const VENDOR: &'static str = "example";
    /// #     type Code = u16;
    /// #     fn code(&self) -> Option<u16> { None }
    /// #     fn describe(&self, s: u16, _: &whatsapp_common::RawBody, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result { write!(f, "HTTP {s}") }
    /// # }
    /// let neutral: SendError = Error::<ApiError>::from(ValidationError::new("to", "empty")).into();
    /// let typed = neutral.vendor_error_as::<Error<ApiError>>().expect("the vendor's own error");
    /// assert!(matches!(typed, Error::Validation(_)));
    /// ```
    pub fn vendor_error_as<E: std::error::Error + 'static>(&self) -> Option<&E> {
        self.source.downcast_ref()
    }
}

impl fmt::Display for SendError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {}", self.vendor, self.source)
    }
}

impl std::error::Error for SendError {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        Some(&*self.source)
    }
}

impl<E: Refusal> From<Error<E>> for SendError {
    fn from(e: Error<E>) -> Self {
        let (kind, failure) = (e.send_error_kind(), e.failure());
        SendError::new(E::VENDOR, kind, e.retry_class(), e.retry_after(), e).with_failure(failure)
    }
}

impl<E: Refusal> Error<E> {
    /// The broad class a [`SendError`] made from this error carries: the
    /// same for every vendor.
    pub fn send_error_kind(&self) -> SendErrorKind {
        match self {
            Error::Validation(_) | Error::Config(_) => SendErrorKind::InvalidInput,
            Error::Transport(_) => SendErrorKind::Transport,
            Error::Decode(_) => SendErrorKind::Decode,
            Error::Vendor(v) => v.api().send_error_kind(v.status()),
        }
    }
}

/// The message kind a vendor cannot send.
#[derive(Debug, Clone, thiserror::Error)]
#[error("{vendor} cannot send {what} messages")]
pub struct Unsupported {
    vendor: &'static str,
    what: &'static str,
}

/// Send WhatsApp messages without naming the vendor.
///
/// Object safe: hold a `Box<dyn WhatsAppSender>` and choose the vendor by
/// configuration.
///
/// ```
/// use whatsapp_common::{PhoneNumber, SendError, SendOptions, WhatsAppSender};
///
/// async fn notify(sender: &dyn WhatsAppSender, to: &PhoneNumber) -> Result<String, SendError> {
///     // A reference of your own: sending again with it, after a lost
///     // answer, is how a vendor that deduplicates sends only one message.
///     let options = SendOptions::new().client_reference("order-1042-shipped");
///     let receipt = sender
///         .send_text_with(to, "Your order has shipped", &options)
///         .await?;
///     Ok(receipt.vendor_message_id.unwrap_or(receipt.client_reference))
/// }
/// ```
#[async_trait::async_trait]
pub trait WhatsAppSender: Send + Sync + fmt::Debug {
    /// The vendor's name (`"gateway-ru"`, …).
    fn vendor(&self) -> &'static str;

    /// Which message kinds this client sends.
    fn capabilities(&self) -> Capabilities;

    /// Sends free-form text to `to`, with a fresh reference.
    ///
    /// Most vendors (and WhatsApp itself) deliver free text only inside the
    /// 24-hour window that opens when the user last wrote to the business.
    async fn send_text(&self, to: &PhoneNumber, text: &str) -> Result<SendReceipt, SendError> {
        self.send_text_with(to, text, &SendOptions::default()).await
    }

    /// Sends free-form text to `to`, as `options` say. The default refuses
    /// with [`SendErrorKind::Unsupported`].
    async fn send_text_with(
        &self,
        to: &PhoneNumber,
        text: &str,
        options: &SendOptions,
    ) -> Result<SendReceipt, SendError> {
        let _ = (to, text, options);
        Err(SendError::unsupported(self.vendor(), "free text"))
    }

    /// Sends an approved template to `to`, with a fresh reference.
    async fn send_template(
        &self,
        to: &PhoneNumber,
        template: &Template,
    ) -> Result<SendReceipt, SendError> {
        self.send_template_with(to, template, &SendOptions::default())
            .await
    }

    /// Sends an approved template to `to`, as `options` say. The default
    /// refuses with [`SendErrorKind::Unsupported`].
    async fn send_template_with(
        &self,
        to: &PhoneNumber,
        template: &Template,
        options: &SendOptions,
    ) -> Result<SendReceipt, SendError> {
        let _ = (to, template, options);
        Err(SendError::unsupported(self.vendor(), "template"))
    }
}

/// What a vendor client implements to be a [`WhatsAppSender`]: how it
/// makes a text or a template message, and how it sends one message to one
/// recipient under the send's reference.
///
/// The [`WhatsAppSender`] methods are written once, here: each send takes
/// the reference from its [`SendOptions`], puts it on every error, and
/// makes the [`SendReceipt`] from what [`VendorSender::send_message`]
/// answered. A message kind the vendor cannot send keeps the default
/// method and leaves it out of [`VendorSender::CAPABILITIES`]: such a send
/// is refused with [`SendErrorKind::Unsupported`], without a reference.
pub trait VendorSender: Send + Sync + fmt::Debug {
    /// The vendor's name, as [`WhatsAppSender::vendor`] gives it.
    const VENDOR: &'static str;
    /// What [`WhatsAppSender::capabilities`] answers.
    const CAPABILITIES: Capabilities;
    /// A message made from a text or a template, before it is addressed.
    type Message: Send;

    /// The message for free-form `text`. The default refuses with
    /// [`SendErrorKind::Unsupported`]; it is not called when
    /// [`VendorSender::CAPABILITIES`] leaves text out.
    fn text_message(&self, text: &str) -> Result<Self::Message, SendError> {
        let _ = text;
        Err(SendError::unsupported(Self::VENDOR, "free text"))
    }

    /// The message for `template`. The default refuses with
    /// [`SendErrorKind::Unsupported`]; it is not called when
    /// [`VendorSender::CAPABILITIES`] leaves templates out.
    fn template_message(&self, template: &Template) -> Result<Self::Message, SendError> {
        let _ = template;
        Err(SendError::unsupported(Self::VENDOR, "template"))
    }

    /// Sends `message` as `envelope` says (to whom, under which
    /// reference) and says how the vendor took it.
    fn send_message(
        &self,
        message: Self::Message,
        envelope: Envelope<'_>,
    ) -> impl Future<Output = Result<Sent, SendError>> + Send;
}

/// Where one message sent through [`VendorSender::send_message`] goes, and
/// the reference it carries.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub struct Envelope<'a> {
    /// The recipient.
    pub to: &'a PhoneNumber,
    /// The send's reference ([`SendOptions::reference`]): the vendor's
    /// de-duplication id where it has one.
    pub reference: &'a str,
}

/// How the vendor took one message sent through
/// [`VendorSender::send_message`].
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum Sent {
    /// Accepted, with the vendor's id for the message or campaign where
    /// its answer carries one.
    Accepted(Option<String>),
    /// The vendor answered that it had already accepted a message with this
    /// reference ([`SendReceipt::already_accepted`]).
    AlreadyAccepted,
}

#[async_trait::async_trait]
impl<T: VendorSender> WhatsAppSender for T {
    fn vendor(&self) -> &'static str {
        T::VENDOR
    }

    fn capabilities(&self) -> Capabilities {
        T::CAPABILITIES
    }

    async fn send_text_with(
        &self,
        to: &PhoneNumber,
        text: &str,
        options: &SendOptions,
    ) -> Result<SendReceipt, SendError> {
        if !T::CAPABILITIES.text {
            return Err(SendError::unsupported(T::VENDOR, "free text"));
        }
        send(self, self.text_message(text), to, options).await
    }

    async fn send_template_with(
        &self,
        to: &PhoneNumber,
        template: &Template,
        options: &SendOptions,
    ) -> Result<SendReceipt, SendError> {
        if !T::CAPABILITIES.template {
            return Err(SendError::unsupported(T::VENDOR, "template"));
        }
        send(self, self.template_message(template), to, options).await
    }
}

/// One send through [`WhatsAppSender`]: `message` sent to `to` under the
/// options' reference, which the receipt and every error carry.
async fn send<T: VendorSender>(
    sender: &T,
    message: Result<T::Message, SendError>,
    to: &PhoneNumber,
    options: &SendOptions,
) -> Result<SendReceipt, SendError> {
    let reference = options.reference();
    let envelope = Envelope {
        to,
        reference: &reference,
    };
    let sent = match message {
        Ok(message) => sender.send_message(message, envelope).await,
        Err(e) => Err(e),
    };
    match sent {
        Ok(Sent::Accepted(id)) => Ok(SendReceipt::new(T::VENDOR, id, reference)),
        Ok(Sent::AlreadyAccepted) => {
            Ok(SendReceipt::new(T::VENDOR, None, reference).already_accepted())
        }
        Err(e) => Err(e.with_client_reference(reference)),
    }
}
