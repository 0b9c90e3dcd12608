//! A ready receiver for vendor callbacks: an [`axum`] router per vendor
//! that reads the raw body (up to a limit), verifies the request through
//! the vendor crate's [`Intake`] (Bird's signature, a shared secret, an
//! address allow-list), de-duplicates redeliveries, decodes the body into
//! vendor-neutral [`Event`]s and calls your async [`Handler`] once per
//! event.
//!
//! It answers as vendors expect:
//!
//! | what happened | answer | the handler |
//! |---|---|---|
//! | the events were handled (or had been, by an earlier delivery) | 200 | called once per event, never twice for a redelivery |
//! | the handler returned an error (or panicked) | 500: the vendor delivers again | on the redelivery: with the vendor's delivery id, all its events again; without, the failed event and those after it |
//! | the same delivery is being handled by another request right now | 503: the vendor delivers again later | not called |
//! | the request is not the vendor's (signature, secret, address) | 401 | not called |
//! | the body is over the limit | 413 | not called |
//! | the body does not decode | 200 or 400, as the vendor's [`Intake::acknowledge_undecodable`] says | not called |
//!
//! Nothing is logged of a body, a signature or a key: a refusal is logged
//! with what was wrong, an undecodable body with its length.
//!
//! The vendor crates stay free of this crate and of axum: each offers its
//! [`Intake`] behind its own `webhook` feature.
//!
//! ```
//! use std::time::SystemTime;
//! use whatsapp_common::events::{DeliveryEvent, DeliveryStatus, Event};
//! use whatsapp_common::webhook::{Intake, SharedSecret, WebhookError, WebhookRequest};
//! use whatsapp_receiver::Receiver;
//!
//! /// A vendor that sends `{"id": …, "status": …}` with a token header.
//! struct Example(SharedSecret);
//!
//! impl Intake for Example {
//!     fn vendor(&self) -> &'static str {
//!         "example"
//!     }
//!     fn verify(&self, r: &WebhookRequest<'_>, _now: SystemTime) -> Result<Option<String>, WebhookError> {
//!         self.0.check(r.header("x-token")).map(|()| None)
//!     }
//!     fn decode(&self, body: &[u8]) -> Result<Vec<Event>, whatsapp_common::DecodeError> {
//!         let v: serde_json::Value = whatsapp_common::DecodeError::json(200, body, false)?;
//!         let status = v["status"].as_str().unwrap_or_default();
//!         let event = DeliveryEvent::new("example", DeliveryStatus::Unknown(status.into()), status)
//!             .vendor_message_id(v["id"].as_str().unwrap_or_default());
//!         Ok(vec![Event::Delivery(event)])
//!     }
//! }
//!
//! let router: axum::Router = Receiver::new(
//!     Example(SharedSecret::new("token")),
//!     |event: Event| async move {
//!         println!("{event:?}");
//!         Ok::<(), std::io::Error>(())
//!     },
//!     "https://hooks.example.com/example",
//! )
//! .router();
//! ```
#![forbid(unsafe_code)]
#![cfg_attr(docsrs, feature(doc_cfg))]

use std::future::Future;
use std::net::SocketAddr;
use std::sync::Arc;
use std::time::SystemTime;

use axum::body::Body;
use axum::extract::{ConnectInfo, Request, State};
use axum::http::StatusCode;
use axum::routing::post;
use whatsapp_common::webhook::{Deduplicator, MemoryDeduplicator, Seen, WebhookRequest};

pub use axum;
pub use whatsapp_common::events::{self, DeliveryEvent, DeliveryStatus, Event, InboundMessage};
pub use whatsapp_common::webhook::{self, Intake};

/// The largest body read by default: 1 MiB (a callback is a few KiB).
pub const DEFAULT_MAX_BODY_BYTES: usize = 1024 * 1024;

/// The error a [`Handler`] returns: the vendor is asked to deliver again.
pub type HandlerError = Box<dyn std::error::Error + Send + Sync>;

/// The application's side: called once per event of each verified
/// delivery. An `Err` answers the vendor with a 5xx, so that it delivers
/// the event again. A closure `Fn(Event) -> impl Future<Output =
/// Result<(), E>>` is a handler.
#[async_trait::async_trait]
pub trait Handler: Send + Sync + 'static {
    /// Handles one event.
    async fn handle(&self, event: Event) -> Result<(), HandlerError>;
}

#[async_trait::async_trait]
impl<F, Fut, E> Handler for F
where
    F: Fn(Event) -> Fut + Send + Sync + 'static,
    Fut: Future<Output = Result<(), E>> + Send + 'static,
    E: Into<HandlerError> + 'static,
{
    async fn handle(&self, event: Event) -> Result<(), HandlerError> {
        (self)(event).await.map_err(Into::into)
    }
}

/// A receiver for one vendor: build it, then mount its
/// [`router`](Receiver::router) where the vendor's callbacks arrive.
pub struct Receiver<I, H> {
    intake: I,
    handler: H,
    dedup: Arc<dyn Deduplicator>,
    public_url: String,
    max_body_bytes: usize,
    clock: fn() -> SystemTime,
}

impl<I, H> std::fmt::Debug for Receiver<I, H> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Receiver")
            .field("public_url", &self.public_url)
            .field("max_body_bytes", &self.max_body_bytes)
            .finish_non_exhaustive()
    }
}

impl<I: Intake, H: Handler> Receiver<I, H> {
    /// A receiver verifying with `intake` and calling `handler`.
    ///
    /// `public_url` is the URL the vendor calls, exactly as configured at
    /// the vendor (scheme, host, path): a vendor that signs the URL (Bird)
    /// signs that one, whatever proxies rewrite on the way. A request's
    /// query string is appended to it.
    ///
    /// De-duplication is in memory ([`MemoryDeduplicator::default`]: 100,000
    /// deliveries for 72 hours) unless [`Receiver::deduplicator`] says
    /// otherwise; bodies are read up to [`DEFAULT_MAX_BODY_BYTES`].
    pub fn new(intake: I, handler: H, public_url: impl Into<String>) -> Self {
        Self {
            intake,
            handler,
            dedup: Arc::new(MemoryDeduplicator::default()),
            public_url: public_url.into(),
            max_body_bytes: DEFAULT_MAX_BODY_BYTES,
            clock: SystemTime::now,
        }
    }

    /// De-duplicates with `store` (shared by every process that receives
    /// the same vendor's callbacks, for a store outside the process).
    #[must_use]
    pub fn deduplicator(mut self, store: Arc<dyn Deduplicator>) -> Self {
        self.dedup = store;
        self
    }

    /// Refuses bodies over `bytes` with 413, unread beyond the limit.
    #[must_use]
    pub fn max_body_bytes(mut self, bytes: usize) -> Self {
        self.max_body_bytes = bytes;
        self
    }

    /// Reads "now" from `clock` (for tests of signature windows).
    #[must_use]
    pub fn clock(mut self, clock: fn() -> SystemTime) -> Self {
        self.clock = clock;
        self
    }

    /// The router: `POST /` takes the vendor's callbacks. Mount it with
    /// `Router::nest("/hooks/bird", receiver.router())` or serve it alone.
    /// Serve it with `into_make_service_with_connect_info::<SocketAddr>()`
    /// for an intake that checks the peer's address.
    pub fn router(self) -> axum::Router {
        axum::Router::new()
            .route("/", post(receive::<I, H>))
            .with_state(Arc::new(self))
    }

    /// Runs one delivery through the receiver: the status to answer.
    async fn deliver(&self, request: Request) -> StatusCode {
        let vendor = self.intake.vendor();
        let (parts, body) = request.into_parts();
        let remote = parts
            .extensions
            .get::<ConnectInfo<SocketAddr>>()
            .map(|c| c.0.ip());
        let body = match axum::body::to_bytes(Body::new(body), self.max_body_bytes).await {
            Ok(b) => b,
            Err(_) => {
                tracing::warn!(
                    vendor,
                    limit = self.max_body_bytes,
                    "callback body over the limit: refused"
                );
                return StatusCode::PAYLOAD_TOO_LARGE;
            }
        };
        let headers: Vec<(&str, &str)> = parts
            .headers
            .iter()
            .filter_map(|(n, v)| Some((n.as_str(), v.to_str().ok()?)))
            .collect();
        let url = match parts.uri.query() {
            Some(q) => format!("{}?{q}", self.public_url),
            None => self.public_url.clone(),
        };
        let mut request = WebhookRequest::new(&url, &headers, &body);
        if let Some(addr) = remote {
            request = request.from_addr(addr);
        }
        let delivery_id = match self.intake.verify(&request, (self.clock)()) {
            Ok(id) => id,
            Err(e) => {
                tracing::warn!(vendor, error = %e, "callback refused");
                return StatusCode::UNAUTHORIZED;
            }
        };
        let events = match self.intake.decode(&body) {
            Ok(events) => events,
            Err(_) => {
                let acknowledged = self.intake.acknowledge_undecodable();
                tracing::warn!(
                    vendor,
                    len = body.len(),
                    acknowledged,
                    "callback body did not decode"
                );
                return if acknowledged {
                    StatusCode::OK
                } else {
                    StatusCode::BAD_REQUEST
                };
            }
        };
        match delivery_id {
            Some(id) => {
                self.handle_delivery(&format!("{vendor}:delivery:{id}"), events)
                    .await
            }
            None => self.handle_each(events).await,
        }
    }

    /// The handler on `event`; a panic in it is an error like any other,
    /// so that the delivery's de-duplication entry is ended all the same.
    async fn call_handler(&self, event: Event) -> Result<(), HandlerError> {
        let handled = std::panic::AssertUnwindSafe(self.handler.handle(event));
        match CatchUnwind(Box::pin(handled)).await {
            Ok(outcome) => outcome,
            Err(()) => Err("the handler panicked".into()),
        }
    }

    /// A delivery with the vendor's own id: handled whole, once.
    async fn handle_delivery(&self, key: &str, events: Vec<Event>) -> StatusCode {
        match self.dedup.begin(key).await {
            Seen::Done => return StatusCode::OK,
            Seen::InProgress => return StatusCode::SERVICE_UNAVAILABLE,
            _ => {}
        }
        for event in events {
            if let Err(e) = self.call_handler(event).await {
                self.dedup.finish(key, false).await;
                tracing::warn!(vendor = self.intake.vendor(), error = %e, "callback handler failed: the vendor is asked to deliver again");
                return StatusCode::INTERNAL_SERVER_ERROR;
            }
        }
        self.dedup.finish(key, true).await;
        StatusCode::OK
    }

    /// A delivery without an id: each event de-duplicated by its own key
    /// ([`Event::dedup_key`]); an event given twice in one delivery is one.
    async fn handle_each(&self, events: Vec<Event>) -> StatusCode {
        let mut begun: Vec<(String, Event)> = Vec::new();
        for event in events {
            let key = event.dedup_key();
            if begun.iter().any(|(k, _)| *k == key) {
                continue;
            }
            match self.dedup.begin(&key).await {
                Seen::Done => continue,
                Seen::InProgress => {
                    for (k, _) in &begun {
                        self.dedup.finish(k, false).await;
                    }
                    return StatusCode::SERVICE_UNAVAILABLE;
                }
                _ => begun.push((key, event)),
            }
        }
        let mut failed = false;
        for (key, event) in begun {
            let handled = !failed
                && match self.call_handler(event).await {
                    Ok(()) => true,
                    Err(e) => {
                        tracing::warn!(vendor = self.intake.vendor(), error = %e, "callback handler failed: the vendor is asked to deliver again");
                        false
                    }
                };
            failed |= !handled;
            self.dedup.finish(&key, handled).await;
        }
        if failed {
            StatusCode::INTERNAL_SERVER_ERROR
        } else {
            StatusCode::OK
        }
    }
}

/// Polls a future, turning a panic in it into `Err(())`.
struct CatchUnwind<F>(std::pin::Pin<Box<F>>);

impl<F: Future> Future for CatchUnwind<F> {
    type Output = Result<F::Output, ()>;

    fn poll(
        mut self: std::pin::Pin<&mut Self>,
        cx: &mut std::task::Context<'_>,
    ) -> std::task::Poll<Self::Output> {
        let inner = self.0.as_mut();
        match std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| inner.poll(cx))) {
            Ok(std::task::Poll::Ready(v)) => std::task::Poll::Ready(Ok(v)),
            Ok(std::task::Poll::Pending) => std::task::Poll::Pending,
            Err(_) => std::task::Poll::Ready(Err(())),
        }
    }
}

/// A [`Handler`] that keeps every event it is given, in order: for tests
/// and demos. Clones share the record.
///
/// ```
/// # #[tokio::main(flavor = "current_thread")]
/// # async fn main() {
/// use whatsapp_receiver::{Handler, Recorder};
/// use whatsapp_common::events::{DeliveryEvent, DeliveryStatus, Event};
///
/// let recorder = Recorder::default();
/// let event = Event::Delivery(DeliveryEvent::new("example", DeliveryStatus::Sent, "sent"));
/// recorder.handle(event.clone()).await.unwrap();
/// assert_eq!(recorder.events(), [event]);
/// # }
/// ```
#[derive(Debug, Clone, Default)]
pub struct Recorder(Arc<std::sync::Mutex<Vec<Event>>>);

impl Recorder {
    /// The events handled so far.
    pub fn events(&self) -> Vec<Event> {
        self.0.lock().unwrap_or_else(|p| p.into_inner()).clone()
    }
}

#[async_trait::async_trait]
impl Handler for Recorder {
    async fn handle(&self, event: Event) -> Result<(), HandlerError> {
        self.0.lock().unwrap_or_else(|p| p.into_inner()).push(event);
        Ok(())
    }
}

/// Serves `router` on 127.0.0.1, on a free port, in a task of its own
/// (with the peer's address known to the router's intake): the URL to
/// post to, `http://127.0.0.1:…/`. For tests and demos.
///
/// # Errors
///
/// When no port can be bound.
pub async fn serve_local(router: axum::Router) -> std::io::Result<String> {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await?;
    let url = format!("http://{}/", listener.local_addr()?);
    let service = router.into_make_service_with_connect_info::<SocketAddr>();
    tokio::spawn(async move { axum::serve(listener, service).await });
    Ok(url)
}

/// Each delivery runs in a task of its own, so that a request the server
/// gives up on (the vendor closed the connection) still ends its
/// de-duplication entry, as handled or not, instead of leaving it under
/// way; a handler that panics counts as one that failed.
async fn receive<I: Intake, H: Handler>(
    State(receiver): State<Arc<Receiver<I, H>>>,
    request: Request,
) -> StatusCode {
    tokio::spawn(async move { receiver.deliver(request).await })
        .await
        .unwrap_or(StatusCode::INTERNAL_SERVER_ERROR)
}
