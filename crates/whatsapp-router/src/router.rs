//! The router and its failover loop.

use std::collections::HashMap;
use std::fmt;
use std::sync::Arc;
use std::time::Duration;

use tokio::time::Instant;
use tracing::Instrument;
use whatsapp_common::{
    Capabilities, PhoneNumber, RetryClass, SendError, SendErrorKind, SendFailure, SendOptions,
    SendReceipt, Template, WhatsAppSender,
};

use crate::builder::RouterBuilder;
use crate::circuit::{Circuit, Health};
use crate::error::{Attempt, AttemptOutcome, RouteError, Skip, Then};
use crate::ledger::{Claim, Ledger, Outcome};
use crate::limit::{RateLimiter, acquire};
use crate::options::{AttemptEvent, Content, OnAttempt, RouteOptions, Routed};
use crate::route::{MessageKind, Route};
use crate::sender::{FailoverPolicy, Sender};

#[derive(Debug)]
pub(crate) struct Slot {
    pub(crate) sender: Sender,
    pub(crate) circuit: Circuit,
}

/// Sends each message through one of several [`WhatsAppSender`]s: picks
/// the senders by route, fails over only where the message was not
/// processed (or was refused, as the [`FailoverPolicy`] allows), keeps each
/// sender under its rate limit and behind its circuit breaker, and records
/// each reference's first outcome so a resend does not send again.
///
/// A `Router` is itself a [`WhatsAppSender`] (vendor `"whatsapp-router"`);
/// [`Router::send`] also says how the message was routed.
pub struct Router {
    pub(crate) senders: Vec<Slot>,
    pub(crate) by_name: HashMap<String, usize>,
    pub(crate) routes: Vec<Route>,
    pub(crate) fallback: Option<Route>,
    pub(crate) policy: FailoverPolicy,
    pub(crate) limiter: Arc<dyn RateLimiter>,
    pub(crate) ledger: Option<Arc<dyn Ledger>>,
    pub(crate) max_wait: Duration,
    pub(crate) on_attempt: Option<OnAttempt>,
}

impl fmt::Debug for Router {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Router")
            .field("senders", &self.senders)
            .field("routes", &self.routes)
            .field("fallback", &self.fallback)
            .field("limiter", &self.limiter)
            .field("ledger", &self.ledger)
            .field("max_wait", &self.max_wait)
            .finish_non_exhaustive()
    }
}

/// The vendor name a router gives as a [`WhatsAppSender`].
pub const VENDOR: &str = "whatsapp-router";

impl Router {
    /// A builder with no senders, the default policy, breaker, in-process
    /// limiter and memory ledger.
    pub fn builder() -> RouterBuilder {
        RouterBuilder::new()
    }

    /// Sends free-form text to `to`.
    pub async fn send_text(
        &self,
        to: &PhoneNumber,
        text: &str,
        options: &RouteOptions,
    ) -> Result<Routed, RouteError> {
        self.send(to, Content::Text(text), options).await
    }

    /// Sends an approved template to `to`.
    pub async fn send_template(
        &self,
        to: &PhoneNumber,
        template: &Template,
        options: &RouteOptions,
    ) -> Result<Routed, RouteError> {
        self.send(to, Content::Template(template), options).await
    }

    /// Sends `content` to `to` through the first sender of its route that
    /// takes it.
    pub async fn send(
        &self,
        to: &PhoneNumber,
        content: Content<'_>,
        options: &RouteOptions,
    ) -> Result<Routed, RouteError> {
        let reference = options.send.reference();
        let deadline = options
            .deadline
            .unwrap_or_else(|| Instant::now() + self.max_wait);
        let span = tracing::info_span!(
            "whatsapp_router.send",
            reference = %reference,
            kind = content.kind().as_str(),
            country_code = to.country_code(),
        );
        self.send_claimed(to, content, reference, deadline)
            .instrument(span)
            .await
    }

    async fn send_claimed(
        &self,
        to: &PhoneNumber,
        content: Content<'_>,
        reference: String,
        deadline: Instant,
    ) -> Result<Routed, RouteError> {
        if let Some(ledger) = &self.ledger {
            match ledger.claim(&reference).await {
                Ok(Claim::Fresh) => {}
                Ok(Claim::InFlight) => {
                    tracing::info!("another send of this reference is in flight");
                    return Err(RouteError::InFlight { reference });
                }
                Ok(Claim::Recorded(outcome)) => {
                    tracing::info!(
                        sender = outcome.sender(),
                        "the ledger holds this reference's outcome"
                    );
                    return self.ledger_outcome(reference, outcome);
                }
                Err(source) => {
                    tracing::warn!(error = %source, "the ledger could not be read: nothing sent");
                    return Err(RouteError::Backend { reference, source });
                }
            }
        }
        let result = self.route(to, content, &reference, deadline).await;
        let Some(ledger) = &self.ledger else {
            return result;
        };
        match result {
            Ok(mut routed) => {
                let outcome = Outcome::Accepted {
                    sender: routed.sender.clone(),
                    vendor_message_id: routed.receipt.vendor_message_id.clone(),
                    already_accepted: routed.receipt.already_accepted,
                };
                if let Err(e) = ledger.record(&reference, &outcome).await {
                    tracing::warn!(error = %e, "accepted, but the ledger did not record it");
                    routed.ledger_error = Some(e);
                }
                Ok(routed)
            }
            Err(e) => {
                let kept = match &e {
                    RouteError::Failed { sender, error, .. } => {
                        let (sender, error) = (sender.clone(), error.to_string());
                        match e.failure() {
                            SendFailure::Refused => Some(Outcome::Refused { sender, error }),
                            _ => Some(Outcome::MayHaveBeenDelivered { sender, error }),
                        }
                    }
                    _ => None,
                };
                let written = match &kept {
                    Some(outcome) => ledger.record(&reference, outcome).await,
                    None => ledger.release(&reference).await,
                };
                if let Err(w) = written {
                    tracing::warn!(error = %w, "the ledger did not record the outcome");
                }
                Err(e)
            }
        }
    }

    fn ledger_outcome(&self, reference: String, outcome: Outcome) -> Result<Routed, RouteError> {
        match outcome {
            Outcome::Accepted {
                sender,
                vendor_message_id,
                already_accepted,
            } => {
                let vendor = self
                    .by_name
                    .get(&sender)
                    .map_or("unknown", |i| self.senders[*i].sender.client.vendor());
                let mut receipt = SendReceipt::new(vendor, vendor_message_id, reference);
                if already_accepted {
                    receipt = receipt.already_accepted();
                }
                Ok(Routed {
                    receipt,
                    sender,
                    route: None,
                    attempts: Vec::new(),
                    from_ledger: true,
                    ledger_error: None,
                })
            }
            outcome => Err(RouteError::AlreadyRouted { reference, outcome }),
        }
    }

    /// The senders for one message: its route's, then the fallback's.
    fn plan(&self, to: &PhoneNumber, kind: MessageKind) -> Option<(&str, Vec<usize>)> {
        let route = self.routes.iter().find(|r| r.matches(to, kind));
        let name = route.or(self.fallback.as_ref())?.name();
        let mut order: Vec<usize> = Vec::new();
        for r in route.into_iter().chain(&self.fallback) {
            for i in r.order() {
                let slot = self.by_name[&r.sender_names()[i].0];
                if !order.contains(&slot) {
                    order.push(slot);
                }
            }
        }
        Some((name, order))
    }

    fn report(&self, reference: &str, route: &str, attempt: &Attempt, then: Then) {
        match &attempt.outcome {
            AttemptOutcome::Accepted => tracing::info!(
                sender = %attempt.sender, vendor = attempt.vendor, ?then, "accepted"
            ),
            AttemptOutcome::Failed {
                kind,
                failure,
                retry_class,
            } => tracing::info!(
                sender = %attempt.sender, vendor = attempt.vendor, ?kind, ?failure, ?retry_class, ?then,
                "attempt failed"
            ),
            AttemptOutcome::Skipped(skip) => tracing::info!(
                sender = %attempt.sender, vendor = attempt.vendor, ?skip, ?then, "sender skipped"
            ),
        }
        if let Some(callback) = &self.on_attempt {
            callback(&AttemptEvent {
                reference,
                route,
                attempt,
                then,
            });
        }
    }

    async fn route(
        &self,
        to: &PhoneNumber,
        content: Content<'_>,
        reference: &str,
        deadline: Instant,
    ) -> Result<Routed, RouteError> {
        let kind = content.kind();
        let Some((route, order)) = self.plan(to, kind) else {
            return Err(RouteError::NoRoute {
                reference: reference.to_owned(),
            });
        };
        let options = SendOptions::new().client_reference(reference);
        let mut attempts: Vec<Attempt> = Vec::new();
        // A refusal another sender may still better, as the policy allows.
        let mut refused: Option<(String, SendError)> = None;
        let count = order.len();
        for (n, index) in order.into_iter().enumerate() {
            let slot = &self.senders[index];
            let last = n + 1 == count;
            let next = if last { Then::Stop } else { Then::FailOver };
            let skip = |attempts: &mut Vec<Attempt>, why: Skip| {
                let a = Attempt::new(&slot.sender, AttemptOutcome::Skipped(why), Duration::ZERO);
                self.report(reference, route, &a, next);
                attempts.push(a);
            };
            if !slot.sender.can_send(kind) {
                skip(&mut attempts, Skip::Unsupported);
                continue;
            }
            if slot.circuit.admit().is_err() {
                skip(&mut attempts, Skip::CircuitOpen);
                continue;
            }
            // Set once an attempt may have delivered: from then on the
            // message stays with this sender.
            let mut delivered: Option<SendError> = None;
            let mut resends = slot.sender.resends;
            loop {
                if let Some(quota) = slot.sender.quota {
                    let why =
                        match acquire(&*self.limiter, &slot.sender.name, quota, deadline).await {
                            Ok(true) => None,
                            Ok(false) => Some(Skip::NoPermit),
                            Err(e) => {
                                tracing::warn!(error = %e, "rate limiter failed: sender skipped");
                                Some(Skip::LimiterFailed)
                            }
                        };
                    if let Some(why) = why {
                        slot.circuit.record(Health::Unknown);
                        if let Some(error) = delivered {
                            let a = Attempt::new(
                                &slot.sender,
                                AttemptOutcome::Skipped(why),
                                Duration::ZERO,
                            );
                            self.report(reference, route, &a, Then::Stop);
                            attempts.push(a);
                            return Err(failed(reference, &slot.sender, error, attempts));
                        }
                        skip(&mut attempts, why);
                        break;
                    }
                }
                let started = Instant::now();
                let span = tracing::info_span!(
                    "whatsapp_router.attempt",
                    sender = %slot.sender.name,
                    vendor = slot.sender.vendor(),
                    attempt = attempts.len() + 1,
                );
                let sent = tokio::time::timeout(
                    slot.sender.timeout,
                    send_once(&*slot.sender.client, to, content, &options),
                )
                .instrument(span)
                .await
                .unwrap_or_else(|_| Err(timed_out(&slot.sender, reference)));
                let elapsed = started.elapsed();
                let error = match sent {
                    Ok(receipt) => {
                        slot.circuit.record(Health::Good);
                        let a = Attempt::new(&slot.sender, AttemptOutcome::Accepted, elapsed);
                        self.report(reference, route, &a, Then::Done);
                        attempts.push(a);
                        return Ok(Routed {
                            receipt,
                            sender: slot.sender.name.clone(),
                            route: Some(route.to_owned()),
                            attempts,
                            from_ledger: false,
                            ledger_error: None,
                        });
                    }
                    Err(error) => error,
                };
                slot.circuit.record(health(&error));
                let failure = error.failure();
                let decision = match failure {
                    // Once an attempt may have delivered, the message stays
                    // with this sender whatever a resend answers.
                    _ if delivered.is_some() && failure != SendFailure::MayHaveBeenDelivered => {
                        Decision::Stop
                    }
                    SendFailure::NotProcessed => Decision::Next,
                    SendFailure::Refused if self.policy.fails_over_after(&error) => Decision::Next,
                    SendFailure::Refused => Decision::Stop,
                    _ if resends > 0 => Decision::Resend,
                    _ => Decision::Stop,
                };
                let then = match decision {
                    Decision::Next => next,
                    Decision::Resend => Then::Resend,
                    Decision::Stop => Then::Stop,
                };
                let a = Attempt::new(
                    &slot.sender,
                    AttemptOutcome::Failed {
                        kind: error.kind(),
                        failure,
                        retry_class: error.retry_class(),
                    },
                    elapsed,
                );
                self.report(reference, route, &a, then);
                attempts.push(a);
                match decision {
                    Decision::Resend => {
                        resends -= 1;
                        if let Some(wait) = error.retry_after() {
                            let left = deadline.saturating_duration_since(Instant::now());
                            tokio::time::sleep(wait.min(left)).await;
                        }
                        delivered = Some(error);
                    }
                    Decision::Next => {
                        if failure == SendFailure::Refused {
                            refused = Some((slot.sender.name.clone(), error));
                        }
                        break;
                    }
                    Decision::Stop => {
                        let error = match delivered {
                            Some(earlier) if failure != SendFailure::MayHaveBeenDelivered => {
                                earlier
                            }
                            _ => error,
                        };
                        return Err(failed(reference, &slot.sender, error, attempts));
                    }
                }
            }
        }
        match refused {
            Some((sender, error)) => Err(RouteError::Failed {
                reference: reference.to_owned(),
                sender,
                error: Box::new(error),
                attempts,
            }),
            None => Err(RouteError::NotSent {
                reference: reference.to_owned(),
                attempts,
            }),
        }
    }
}

/// What the loop does after a failed attempt.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Decision {
    /// Nothing was sent (or the policy lets a refusal go on): the next
    /// sender, if any.
    Next,
    /// Send again to this sender, with the same reference.
    Resend,
    /// The routing ends with this error.
    Stop,
}

fn failed(
    reference: &str,
    sender: &Sender,
    error: SendError,
    attempts: Vec<Attempt>,
) -> RouteError {
    RouteError::Failed {
        reference: reference.to_owned(),
        sender: sender.name.clone(),
        error: Box::new(error),
        attempts,
    }
}

async fn send_once(
    client: &dyn WhatsAppSender,
    to: &PhoneNumber,
    content: Content<'_>,
    options: &SendOptions,
) -> Result<SendReceipt, SendError> {
    match content {
        Content::Text(text) => client.send_text_with(to, text, options).await,
        Content::Template(t) => client.send_template_with(to, t, options).await,
    }
}

/// What an attempt's failure says about the sender.
fn health(error: &SendError) -> Health {
    match (error.kind(), error.failure()) {
        (SendErrorKind::InvalidInput | SendErrorKind::Unsupported, _) => Health::Unknown,
        (SendErrorKind::Vendor, SendFailure::Refused) => Health::Good,
        _ => Health::Bad,
    }
}

/// The attempt ran out of the sender's timeout.
#[derive(Debug, thiserror::Error)]
#[error("{sender}: no answer within {after:?}; the request may have reached the vendor")]
pub struct AttemptTimedOut {
    sender: String,
    after: Duration,
}

fn timed_out(sender: &Sender, reference: &str) -> SendError {
    SendError::new(
        sender.client.vendor(),
        SendErrorKind::Transport,
        RetryClass::IfDeduplicated,
        None,
        AttemptTimedOut {
            sender: sender.name.clone(),
            after: sender.timeout,
        },
    )
    .with_failure(SendFailure::MayHaveBeenDelivered)
    .with_client_reference(reference)
}

impl Router {
    /// A send through [`WhatsAppSender`]: the receipt, or the error as a
    /// [`SendError`].
    async fn send_as_sender(
        &self,
        to: &PhoneNumber,
        content: Content<'_>,
        options: &SendOptions,
    ) -> Result<SendReceipt, SendError> {
        self.send(to, content, &options.into())
            .await
            .map(|r| r.receipt)
            .map_err(SendError::from)
    }
}

#[async_trait::async_trait]
impl WhatsAppSender for Router {
    fn vendor(&self) -> &'static str {
        VENDOR
    }

    /// What any of its senders can send.
    fn capabilities(&self) -> Capabilities {
        let mut c = Capabilities::TEXT_ONLY;
        c.text = self
            .senders
            .iter()
            .any(|s| s.sender.can_send(MessageKind::Text));
        c.template = self
            .senders
            .iter()
            .any(|s| s.sender.can_send(MessageKind::Template));
        c
    }

    async fn send_text_with(
        &self,
        to: &PhoneNumber,
        text: &str,
        options: &SendOptions,
    ) -> Result<SendReceipt, SendError> {
        self.send_as_sender(to, Content::Text(text), options).await
    }

    async fn send_template_with(
        &self,
        to: &PhoneNumber,
        template: &Template,
        options: &SendOptions,
    ) -> Result<SendReceipt, SendError> {
        self.send_as_sender(to, Content::Template(template), options)
            .await
    }
}
