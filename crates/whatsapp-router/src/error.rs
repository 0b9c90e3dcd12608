//! What a routed send tried, and how it failed.

use std::time::Duration;

use whatsapp_common::{RetryClass, SendError, SendErrorKind, SendFailure};

use crate::ledger::Outcome;
use crate::limit::BackendError;
use crate::sender::Sender;

/// One sender tried (or skipped) for a message.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct Attempt {
    /// The sender's name in the router.
    pub sender: String,
    /// Its vendor.
    pub vendor: &'static str,
    /// How it went.
    pub outcome: AttemptOutcome,
    /// How long it took (zero for a skipped sender).
    pub elapsed: Duration,
}

impl Attempt {
    pub(crate) fn new(sender: &Sender, outcome: AttemptOutcome, elapsed: Duration) -> Self {
        Self {
            sender: sender.name().to_owned(),
            vendor: sender.vendor(),
            outcome,
            elapsed,
        }
    }
}

/// How one attempt went.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum AttemptOutcome {
    /// The vendor accepted the message.
    Accepted,
    /// The send failed.
    Failed {
        /// The error's broad class.
        kind: SendErrorKind,
        /// What it means for the message.
        failure: SendFailure,
        /// Its retry class.
        retry_class: RetryClass,
    },
    /// Nothing was sent to this sender.
    Skipped(Skip),
}

/// Why a sender was skipped (nothing was sent to it).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum Skip {
    /// It cannot send this kind of message.
    Unsupported,
    /// Its circuit is open.
    CircuitOpen,
    /// No rate-limit permit came before the deadline.
    NoPermit,
    /// The rate limiter's backend failed.
    LimiterFailed,
}

/// What the router does after an attempt.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum Then {
    /// The message was accepted.
    Done,
    /// It goes to the next sender.
    FailOver,
    /// It goes to the same sender again, with the same reference (the
    /// sender de-duplicates by reference).
    Resend,
    /// The routing ends here.
    Stop,
}

/// Why a routed send did not end accepted. Every variant carries the
/// send's reference: send the message again with it, never with a new one.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum RouteError {
    /// No route takes this message. Nothing was sent.
    #[error("no route takes this message (reference {reference}); nothing was sent")]
    NoRoute {
        /// The send's reference.
        reference: String,
    },
    /// Every sender was tried or skipped and none processed the message.
    /// Nothing was sent; [`RouteError::attempts`] says why per sender.
    #[error("no sender took the message (reference {reference}); nothing was sent")]
    NotSent {
        /// The send's reference.
        reference: String,
        /// Every sender tried or skipped.
        attempts: Vec<Attempt>,
    },
    /// A sender's error ended the routing: the vendor refused the message,
    /// or may have delivered it (then no other sender was tried).
    #[error("{sender} (reference {reference}): {error}")]
    Failed {
        /// The send's reference.
        reference: String,
        /// The sender whose error it is.
        sender: String,
        /// The error.
        #[source]
        error: Box<SendError>,
        /// Every sender tried or skipped.
        attempts: Vec<Attempt>,
    },
    /// This reference was sent before and did not end accepted: this is
    /// its first outcome, from the ledger. Nothing was sent now.
    #[error("reference {reference} was sent before through {}; nothing was sent now", .outcome.sender())]
    AlreadyRouted {
        /// The send's reference.
        reference: String,
        /// The first outcome.
        outcome: Outcome,
    },
    /// Another send of this reference is in flight. Nothing was sent now;
    /// that send may deliver the message.
    #[error("another send of reference {reference} is in flight; nothing was sent now")]
    InFlight {
        /// The send's reference.
        reference: String,
    },
    /// The ledger could not be read. Nothing was sent.
    #[error("reference {reference}: the ledger could not be read; nothing was sent")]
    Backend {
        /// The send's reference.
        reference: String,
        /// The backend's failure.
        #[source]
        source: BackendError,
    },
}

impl RouteError {
    /// The send's reference.
    pub fn reference(&self) -> &str {
        match self {
            Self::NoRoute { reference }
            | Self::NotSent { reference, .. }
            | Self::Failed { reference, .. }
            | Self::AlreadyRouted { reference, .. }
            | Self::InFlight { reference }
            | Self::Backend { reference, .. } => reference,
        }
    }

    /// Every sender tried or skipped, in order.
    pub fn attempts(&self) -> &[Attempt] {
        match self {
            Self::NotSent { attempts, .. } | Self::Failed { attempts, .. } => attempts,
            _ => &[],
        }
    }

    /// What the failure means for the message: not processed (nothing
    /// went out: sending it again sends it once), refused, or may have
    /// been delivered (by this send or the one in flight).
    pub fn failure(&self) -> SendFailure {
        match self {
            Self::NoRoute { .. } | Self::NotSent { .. } | Self::Backend { .. } => {
                SendFailure::NotProcessed
            }
            Self::Failed { error, .. } => error.failure(),
            Self::AlreadyRouted { outcome, .. } => match outcome {
                Outcome::Refused { .. } => SendFailure::Refused,
                _ => SendFailure::MayHaveBeenDelivered,
            },
            Self::InFlight { .. } => SendFailure::MayHaveBeenDelivered,
        }
    }

    /// The sender's error that ended the routing, if one did.
    pub fn send_error(&self) -> Option<&SendError> {
        match self {
            Self::Failed { error, .. } => Some(error),
            _ => None,
        }
    }
}

impl From<RouteError> for SendError {
    /// A sender's error as it is; the router's own failures as the
    /// `"whatsapp-router"` vendor's.
    fn from(e: RouteError) -> Self {
        let (kind, class) = match &e {
            RouteError::Failed { .. } => (SendErrorKind::Vendor, RetryClass::Never),
            RouteError::NoRoute { .. } => (SendErrorKind::Unsupported, RetryClass::Never),
            RouteError::NotSent { .. } | RouteError::Backend { .. } => {
                (SendErrorKind::Transport, RetryClass::Safe)
            }
            RouteError::AlreadyRouted { .. } | RouteError::InFlight { .. } => {
                (SendErrorKind::Vendor, RetryClass::Never)
            }
        };
        let (failure, reference) = (e.failure(), e.reference().to_owned());
        match e {
            RouteError::Failed { error, .. } => *error,
            e => SendError::new(crate::VENDOR, kind, class, None, e)
                .with_failure(failure)
                .with_client_reference(reference),
        }
    }
}
