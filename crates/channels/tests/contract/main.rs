//! Contract tests: every documented example on the wire, Bird's answers and
//! errors, the retry rules, batches, every limit against Bird's own schema,
//! the vendor-neutral trait.
#![allow(clippy::unwrap_used)]

#[path = "../support/mod.rs"]
mod support;

mod batch;
mod errors;
mod examples;
mod property;
mod responses;
mod retrieval;
mod sender;
mod validation;
#[cfg(feature = "webhook")]
mod webhook;
mod wire_truth;
