//! Workspace automation lives in `main.rs`; this library target exists so
//! that the README's examples compile and run as doc tests against every
//! vendor crate (xtask depends on all of them, with their mocks).

/// The workspace README, whose Rust examples run as doc tests.
#[cfg(doctest)]
#[doc = include_str!("../../README.md")]
pub struct ReadmeDoctests;
