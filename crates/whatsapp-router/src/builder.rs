//! Building a router.

use std::collections::HashMap;
use std::fmt;
use std::sync::Arc;
use std::time::Duration;

use crate::circuit::{Circuit, CircuitBreaker};
use crate::ledger::{Ledger, MemoryLedger};
use crate::limit::{InProcessLimiter, RateLimiter};
use crate::options::{AttemptEvent, OnAttempt};
use crate::route::Route;
use crate::router::{Router, Slot};
use crate::sender::{FailoverPolicy, Sender};

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
    pub(crate) fn new() -> Self {
        Self {
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
