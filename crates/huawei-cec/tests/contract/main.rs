//! Contract tests: the documented samples on the wire and back, the token
//! cache and its renewals, every documented status, the token's own leak
//! paths, the vendor-neutral trait.
#![allow(clippy::unwrap_used)]

#[path = "../support/mod.rs"]
mod support;

mod auth;
mod errors;
mod secrets;
mod send;
mod sender;
