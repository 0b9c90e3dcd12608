//! Contract tests: the documented samples on the wire and back, the token
//! cache, its renewals and its own leak paths, every documented status, the
//! vendor-neutral trait.
#![allow(clippy::unwrap_used)]

#[path = "../support/mod.rs"]
mod support;

mod auth;
mod errors;
mod renewal;
mod send;
mod sender;
