//! One sender in a router, and when a refusal fails over.

use std::fmt;
use std::sync::Arc;
use std::time::Duration;

use whatsapp_common::{SendError, SendErrorKind, WhatsAppSender};

use crate::limit::Quota;
use crate::route::MessageKind;

/// One sender in a router: a [`WhatsAppSender`] under a name, with its
/// timeout, rate limit and what it guarantees about references.
///
/// ```
/// use std::time::Duration;
/// use whatsapp_router::{Sender, limit::presets};
/// # fn f(bird: channels::Client) {
/// let sender = Sender::new("bird", bird)
///     .timeout(Duration::from_secs(20))
///     .rate_limit(presets::BIRD_POST);
/// assert_eq!(sender.name(), "bird");
/// # }
/// ```
pub struct Sender {
    pub(crate) name: String,
    pub(crate) client: Arc<dyn WhatsAppSender>,
    pub(crate) timeout: Duration,
    pub(crate) quota: Option<Quota>,
    pub(crate) resends: u32,
}

impl fmt::Debug for Sender {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Sender")
            .field("name", &self.name)
            .field("vendor", &self.client.vendor())
            .field("timeout", &self.timeout)
            .field("quota", &self.quota)
            .field("resends", &self.resends)
            .finish()
    }
}

impl Sender {
    /// `client` under `name`, with a 60-second timeout per attempt and no
    /// rate limit.
    pub fn new(name: impl Into<String>, client: impl WhatsAppSender + 'static) -> Self {
        Self::shared(name, Arc::new(client))
    }

    /// A client shared with the rest of the application.
    pub fn shared(name: impl Into<String>, client: Arc<dyn WhatsAppSender>) -> Self {
        Self {
            name: name.into(),
            client,
            timeout: Duration::from_secs(60),
            quota: None,
            resends: 0,
        }
    }

    /// How long one attempt may take (the client's own retries included).
    /// An attempt that runs out of it may have reached the vendor: the
    /// router never fails over after it.
    #[must_use]
    pub fn timeout(mut self, timeout: Duration) -> Self {
        self.timeout = timeout;
        self
    }

    /// Sends to this sender stay under `quota` ([`Router`](crate::Router)'s limiter keeps
    /// it, under the sender's name).
    #[must_use]
    pub fn rate_limit(mut self, quota: Quota) -> Self {
        self.quota = Some(quota);
        self
    }

    /// Declares that this sender's vendor de-duplicates by the send's
    /// reference: after an attempt that may have delivered, the router
    /// sends again to this sender, with the same reference, up to
    /// `resends` times (never to another sender). Declare it only where
    /// the vendor crate's docs say the vendor guarantees it.
    #[must_use]
    pub fn deduplicates_by_reference(mut self, resends: u32) -> Self {
        self.resends = resends;
        self
    }

    /// The sender's name in the router.
    pub fn name(&self) -> &str {
        &self.name
    }

    /// Its vendor ([`WhatsAppSender::vendor`]).
    pub fn vendor(&self) -> &'static str {
        self.client.vendor()
    }

    pub(crate) fn can_send(&self, kind: MessageKind) -> bool {
        let c = self.client.capabilities();
        match kind {
            MessageKind::Text => c.text,
            MessageKind::Template => c.template,
        }
    }
}

/// When a refused message may go to another sender.
///
/// A refusal means the vendor took the request and will deliver nothing;
/// whether another vendor may fare better depends on why (an unapproved
/// template at one may be approved at another; an invalid number is
/// invalid everywhere). The default fails over only when the refusal is of
/// the sender's credentials ([`SendErrorKind::Auth`]), which say nothing
/// about the message.
///
/// ```
/// use whatsapp_common::SendErrorKind;
/// use whatsapp_router::FailoverPolicy;
///
/// // Also fail over when the vendor refused the request itself.
/// let policy = FailoverPolicy::new()
///     .fail_over_when_refused(|e| matches!(e.kind(), SendErrorKind::Auth | SendErrorKind::Vendor));
/// # let _ = policy;
/// ```
#[derive(Clone)]
pub struct FailoverPolicy {
    pub(crate) refused: Arc<dyn Fn(&SendError) -> bool + Send + Sync>,
}

impl fmt::Debug for FailoverPolicy {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("FailoverPolicy").finish_non_exhaustive()
    }
}

impl Default for FailoverPolicy {
    fn default() -> Self {
        Self::new()
    }
}

impl FailoverPolicy {
    /// Fails over after a refusal of the credentials only.
    pub fn new() -> Self {
        Self {
            refused: Arc::new(|e| e.kind() == SendErrorKind::Auth),
        }
    }

    /// Fails over after a refusal when `decide` says so. Downcast
    /// [`SendError::vendor_error_as`] to the vendor crate's `Error` to read
    /// its typed code.
    #[must_use]
    pub fn fail_over_when_refused(
        mut self,
        decide: impl Fn(&SendError) -> bool + Send + Sync + 'static,
    ) -> Self {
        self.refused = Arc::new(decide);
        self
    }

    pub(crate) fn fails_over_after(&self, refusal: &SendError) -> bool {
        (self.refused)(refusal)
    }
}
