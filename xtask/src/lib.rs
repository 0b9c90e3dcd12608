//! Workspace automation lives in `main.rs`; this library target exists so
//! that the README's examples compile and run as doc tests against every
//! vendor crate (xtask depends on all of them, with their mocks), and so
//! that the tests in `xtask/tests/` can run the demo's steps.

pub mod demo;

/// What an xtask step returns: `Err` with the message to print.
pub type Result<T = ()> = std::result::Result<T, String>;

/// The workspace README, whose Rust examples run as doc tests.
#[cfg(doctest)]
#[doc = include_str!("../../README.md")]
pub struct ReadmeDoctests;
