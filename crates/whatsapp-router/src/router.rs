//! The router: senders, routes, the failover loop.

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

use crate::circuit::{Circuit, CircuitBreaker, Health};
use crate::error::{Attempt, AttemptOutcome, RouteError, Skip, Then};
use crate::ledger::{Claim, Ledger, MemoryLedger, Outcome};
use crate::limit::{BackendError, InProcessLimiter, Quota, RateLimiter, acquire};
use crate::route::{MessageKind, Route};

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
    name: String,
    client: Arc<dyn WhatsAppSender>,
    timeout: Duration,
    quota: Option<Quota>,
    resends: u32,
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

    /// Sends to this sender stay under `quota` ([`Router`]'s limiter keeps
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

    fn can_send(&self, kind: MessageKind) -> bool {
        let c = self.client.capabilities();
        match kind {
            MessageKind::Text => c.text,
            MessageKind::Template => c.template,
        }
    }
}

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

type OnAttempt = Arc<dyn Fn(&AttemptEvent<'_>) + Send + Sync>;

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
    refused: Arc<dyn Fn(&SendError) -> bool + Send + Sync>,
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

    fn fails_over_after(&self, refusal: &SendError) -> bool {
        (self.refused)(refusal)
    }
}

/// A router's configuration was inconsistent.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum BuildError {
    /// Two senders have one name.
    #[error("two senders are named `{0}`: give each its own name")]
    DuplicateSender(String),
    /// A route names a sender that was not added.
    #[error(
        "route `{route}` names sender `{sender}`, which was not added: add it with `sender(..)`"
    )]
    UnknownSender {
        /// The route.
        route: String,
        /// The sender it names.
        sender: String,
    },
    /// A route names no sender.
    #[error("route `{0}` names no sender: add one with `to(..)`")]
    EmptyRoute(String),
    /// Neither a route nor a fallback.
    #[error("the router has no route: add one with `route(..)` or `fallback(..)`")]
    NoRoute,
}

/// Builds a [`Router`].
#[derive(Debug)]
pub struct RouterBuilder {
    senders: Vec<Sender>,
    routes: Vec<Route>,
    fallback: Option<Route>,
    policy: FailoverPolicy,
    breaker: CircuitBreaker,
    limiter: Arc<dyn RateLimiter>,
    ledger: Option<Arc<dyn Ledger>>,
    max_wait: Duration,
    on_attempt: Option<OnAttemptDebug>,
}

struct OnAttemptDebug(OnAttempt);

impl fmt::Debug for OnAttemptDebug {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("<callback>")
    }
}

impl RouterBuilder {
    /// Adds a sender.
    #[must_use]
    pub fn sender(mut self, sender: Sender) -> Self {
        self.senders.push(sender);
        self
    }

    /// Adds a route; routes are tried in the order added.
    #[must_use]
    pub fn route(mut self, route: Route) -> Self {
        self.routes.push(route);
        self
    }

    /// The route for messages no other route takes; its senders also
    /// follow every route's own, as the last failover.
    #[must_use]
    pub fn fallback(mut self, route: Route) -> Self {
        self.fallback = Some(route);
        self
    }

    /// When a refused message may go to another sender.
    #[must_use]
    pub fn policy(mut self, policy: FailoverPolicy) -> Self {
        self.policy = policy;
        self
    }

    /// Each sender's circuit breaker ([`CircuitBreaker::default`] unless
    /// set).
    #[must_use]
    pub fn circuit_breaker(mut self, breaker: CircuitBreaker) -> Self {
        self.breaker = breaker;
        self
    }

    /// Where rate-limit budgets are kept ([`InProcessLimiter`] unless set).
    #[must_use]
    pub fn rate_limiter(mut self, limiter: Arc<dyn RateLimiter>) -> Self {
        self.limiter = limiter;
        self
    }

    /// Where reference → first outcome is kept ([`MemoryLedger::new`]
    /// unless set).
    #[must_use]
    pub fn ledger(mut self, ledger: Arc<dyn Ledger>) -> Self {
        self.ledger = Some(ledger);
        self
    }

    /// No ledger: a resend of a reference is sent again (to vendors that
    /// de-duplicate by reference, that is safe).
    #[must_use]
    pub fn without_ledger(mut self) -> Self {
        self.ledger = None;
        self
    }

    /// How long a send may wait for rate-limit permits when its options set
    /// no deadline (5 seconds unless set).
    #[must_use]
    pub fn max_wait(mut self, wait: Duration) -> Self {
        self.max_wait = wait;
        self
    }

    /// Calls `callback` after each attempt (and each skipped sender).
    #[must_use]
    pub fn on_attempt(
        mut self,
        callback: impl Fn(&AttemptEvent<'_>) + Send + Sync + 'static,
    ) -> Self {
        self.on_attempt = Some(OnAttemptDebug(Arc::new(callback)));
        self
    }

    /// The router, or what is inconsistent.
    pub fn build(self) -> Result<Router, BuildError> {
        let mut by_name = HashMap::new();
        for (i, s) in self.senders.iter().enumerate() {
            if by_name.insert(s.name.clone(), i).is_some() {
                return Err(BuildError::DuplicateSender(s.name.clone()));
            }
        }
        if self.routes.is_empty() && self.fallback.is_none() {
            return Err(BuildError::NoRoute);
        }
        for route in self.routes.iter().chain(&self.fallback) {
            if route.sender_names().is_empty() {
                return Err(BuildError::EmptyRoute(route.name().to_owned()));
            }
            for (name, _) in route.sender_names() {
                if !by_name.contains_key(name) {
                    return Err(BuildError::UnknownSender {
                        route: route.name().to_owned(),
                        sender: name.clone(),
                    });
                }
            }
        }
        let breaker = self.breaker;
        Ok(Router {
            senders: self
                .senders
                .into_iter()
                .map(|sender| Slot {
                    sender,
                    circuit: Circuit::new(breaker),
                })
                .collect(),
            by_name,
            routes: self.routes,
            fallback: self.fallback,
            policy: self.policy,
            limiter: self.limiter,
            ledger: self.ledger,
            max_wait: self.max_wait,
            on_attempt: self.on_attempt.map(|c| c.0),
        })
    }
}

#[derive(Debug)]
struct Slot {
    sender: Sender,
    circuit: Circuit,
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
    senders: Vec<Slot>,
    by_name: HashMap<String, usize>,
    routes: Vec<Route>,
    fallback: Option<Route>,
    policy: FailoverPolicy,
    limiter: Arc<dyn RateLimiter>,
    ledger: Option<Arc<dyn Ledger>>,
    max_wait: Duration,
    on_attempt: Option<OnAttempt>,
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
        RouterBuilder {
            senders: Vec::new(),
            routes: Vec::new(),
            fallback: None,
            policy: FailoverPolicy::new(),
            breaker: CircuitBreaker::default(),
            limiter: Arc::new(InProcessLimiter::new()),
            ledger: Some(Arc::new(MemoryLedger::new())),
            max_wait: Duration::from_secs(5),
            on_attempt: None,
        }
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
