//! Contract tests: every documented command is what the SDK sends, every
//! documented answer decodes, failures and HTTP errors are typed, reads are
//! retried where sends are not, audience uploads resume after what was
//! added, a dispatch goes out once, the vendor-neutral trait, the rules
//! checked before sending.
#![allow(clippy::unwrap_used)]

#[path = "../support/mod.rs"]
mod support;

mod audiences;
mod campaigns;
mod dispatch;
mod errors;
mod paging;
mod reads;
mod sender;
mod validation;
#[cfg(feature = "webhook")]
mod webhook;
