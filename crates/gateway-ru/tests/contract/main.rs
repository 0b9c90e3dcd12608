//! Contract tests: the documented samples on the wire and back, every
//! documented error code, the callbacks, the vendor-neutral trait, every
//! documented limit.
#![allow(clippy::unwrap_used)]

#[path = "../support/mod.rs"]
mod support;

mod callbacks;
mod errors;
mod send;
mod sender;
mod validation;
#[cfg(feature = "webhook")]
mod webhook;
