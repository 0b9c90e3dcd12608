//! Failover that never sends a message twice, routing by destination,
//! weight and capability, and rate limits shared across processes — over
//! any [`WhatsAppSender`](whatsapp_common::WhatsAppSender).
//!
//! Every vendor crate's error says what a failure means for the message
//! ([`SendFailure`](whatsapp_common::SendFailure)), over every attempt its
//! client made. The router acts on that answer and nothing else:
//!
//! | the failed attempt | the router |
//! |---|---|
//! | *not processed*: nothing left, or the vendor proves it took nothing (a 429 Bird documents as not processed, the gateway's codes 1 and 3) | fails over to the next sender |
//! | *refused*: the vendor took it and will deliver nothing | asks the [`FailoverPolicy`] (by default: fail over only when the credentials were refused) |
//! | *may have been delivered*: a timeout after the request left, a broken connection, a 5xx, an answer that would not decode | stops and returns the error with the reference; sends again to the same sender, with the same reference, only where [`Sender::deduplicates_by_reference`] declares the vendor de-duplicates |
//!
//! Around it: a [`CircuitBreaker`] per sender, a [`limit::Quota`] per sender
//! kept by a [`limit::RateLimiter`] (in process through `governor`; in Redis
//! with the `redis` feature, so many processes share one budget), and an
//! idempotency [`ledger`] (reference → first outcome; in memory by default,
//! in Redis with the feature) so a resend of a reference returns the first
//! outcome instead of sending again. Each routing decision and attempt is a
//! `tracing` span or event (sender, outcome, retry class — never the
//! message), and [`RouterBuilder::on_attempt`] is told of each.
//!
//! ```no_run
//! use std::time::Duration;
//! use whatsapp_common::PhoneNumber;
//! use whatsapp_router::{Route, RouteOptions, Router, Sender, limit::presets};
//!
//! # async fn run(gateway: gateway_ru::Client, bird: channels::Client) -> Result<(), Box<dyn std::error::Error>> {
//! let router = Router::builder()
//!     .sender(Sender::new("gateway", gateway).timeout(Duration::from_secs(20)))
//!     .sender(Sender::new("bird", bird).rate_limit(presets::BIRD_POST))
//!     // Russian numbers to the gateway first; everything else to Bird.
//!     .route(Route::new("russia").country_code("7").to("gateway"))
//!     .fallback(Route::new("default").to("bird"))
//!     .build()?;
//!
//! let to: PhoneNumber = "+7 921 123-45-67".parse()?;
//! let options = RouteOptions::new().client_reference("order-1042-shipped");
//! match router.send_text(&to, "Your order has shipped", &options).await {
//!     Ok(routed) => println!("sent by {} after {} attempt(s)", routed.sender, routed.attempts.len()),
//!     Err(e) => {
//!         // Send again later with the same reference: the ledger (or the
//!         // vendor) makes sure it goes out once.
//!         eprintln!("{e}; what it means for the message: {:?}", e.failure());
//!     }
//! }
//! # Ok(()) }
//! ```
//!
//! docs/router.md in the repository says more: the rate limits each vendor
//! documents, and the one window the ledger cannot close.

#![cfg_attr(docsrs, feature(doc_cfg))]

mod builder;
mod circuit;
mod error;
pub mod ledger;
pub mod limit;
mod options;
#[cfg(feature = "redis")]
pub mod redis;
mod route;
mod router;
mod sender;

pub use builder::{BuildError, RouterBuilder};
pub use circuit::CircuitBreaker;
pub use error::{Attempt, AttemptOutcome, RouteError, Skip, Then};
pub use options::{AttemptEvent, Content, RouteOptions, Routed};
pub use route::{MessageKind, Route};
pub use router::{AttemptTimedOut, Router, VENDOR};
pub use sender::{FailoverPolicy, Sender};
