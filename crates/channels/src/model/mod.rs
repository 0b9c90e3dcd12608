//! Bird's wire types, one file per resource: the message to send and its
//! template, the bodies, the message Bird returns, the contact's channel
//! details, the batch answers, the message list and its filters, and the
//! webhook envelope.

pub(crate) mod batch;
pub(crate) mod body;
pub(crate) mod check;
pub(crate) mod contact;
pub(crate) mod message;
pub(crate) mod query;
pub(crate) mod request;
pub(crate) mod template;
pub(crate) mod time;
pub(crate) mod webhook;
