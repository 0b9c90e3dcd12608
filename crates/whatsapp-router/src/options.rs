//! What a router sends and what it says of a send.

use std::sync::Arc;
use std::time::Duration;

use tokio::time::Instant;
use whatsapp_common::{SendOptions, SendReceipt, Template};

use crate::error::{Attempt, Then};
use crate::limit::BackendError;
use crate::route::MessageKind;

/// What a router sends: a text or a template.
#[derive(Debug, Clone, Copy)]
#[non_exhaustive]
pub enum Content<'a> {
    /// Free-form text.
    Text(&'a str),
    /// An approved template.
    Template(&'a Template),
}

impl Content<'_> {
    /// The message kind.
    pub fn kind(&self) -> MessageKind {
        match self {
            Self::Text(_) => MessageKind::Text,
            Self::Template(_) => MessageKind::Template,
        }
    }
}

/// How one routed send is made: the [`SendOptions`] (its reference) and
/// the deadline for waiting on rate limits.
///
/// ```
/// use std::time::Duration;
/// use whatsapp_router::RouteOptions;
///
/// let options = RouteOptions::new()
///     .client_reference("order-1042-shipped")
///     .deadline_in(Duration::from_secs(2));
/// assert_eq!(options.send.reference(), "order-1042-shipped");
/// ```
#[derive(Debug, Clone, Default)]
#[non_exhaustive]
pub struct RouteOptions {
    /// The send's options: its reference, the ledger's key.
    pub send: SendOptions,
    /// No attempt starts waiting for a rate-limit permit past this instant
    /// (the router's `max_wait` from now when unset).
    pub deadline: Option<Instant>,
}

impl RouteOptions {
    /// A fresh reference, the router's wait.
    pub fn new() -> Self {
        Self::default()
    }

    /// Sends with your own reference: a resend with it returns the first
    /// outcome from the ledger instead of sending again.
    #[must_use]
    pub fn client_reference(mut self, reference: impl Into<String>) -> Self {
        self.send = self.send.client_reference(reference);
        self
    }

    /// Waits for rate-limit permits until `deadline` at the latest.
    #[must_use]
    pub fn deadline(mut self, deadline: Instant) -> Self {
        self.deadline = Some(deadline);
        self
    }

    /// Waits for rate-limit permits for `wait` from now at the latest.
    #[must_use]
    pub fn deadline_in(self, wait: Duration) -> Self {
        self.deadline(Instant::now() + wait)
    }
}

impl From<&SendOptions> for RouteOptions {
    fn from(send: &SendOptions) -> Self {
        Self {
            send: send.clone(),
            deadline: None,
        }
    }
}

/// A message a router got accepted, and how it was routed.
#[derive(Debug)]
#[non_exhaustive]
pub struct Routed {
    /// The accepting vendor's receipt.
    pub receipt: SendReceipt,
    /// The name of the sender that got it accepted.
    pub sender: String,
    /// The route taken; `None` when the outcome came from the ledger.
    pub route: Option<String>,
    /// Every sender tried, in order, the accepting one last.
    pub attempts: Vec<Attempt>,
    /// The reference had been sent before: this is the first outcome, from
    /// the ledger, and nothing was sent now.
    pub from_ledger: bool,
    /// The ledger could not record the outcome: a resend of this reference
    /// would send again.
    pub ledger_error: Option<BackendError>,
}

/// What a router is told after each attempt.
#[derive(Debug)]
#[non_exhaustive]
pub struct AttemptEvent<'a> {
    /// The send's reference.
    pub reference: &'a str,
    /// The route taken.
    pub route: &'a str,
    /// The attempt.
    pub attempt: &'a Attempt,
    /// What the router does next.
    pub then: Then,
}

pub(crate) type OnAttempt = Arc<dyn Fn(&AttemptEvent<'_>) + Send + Sync>;
