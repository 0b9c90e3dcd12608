//! Contract tests: the documented samples on the wire and back in both
//! formats, every glossary name, round trips, the vendor-neutral trait.
#![allow(clippy::unwrap_used)]

#[path = "../support/mod.rs"]
mod support;

mod errors;
mod lenient;
mod round_trip;
mod send;
mod sender;
