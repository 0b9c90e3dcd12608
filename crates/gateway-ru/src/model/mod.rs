//! Wire types: the send request, its response, and the callbacks.

pub(crate) mod callback;
pub(crate) mod cascade;
pub(crate) mod options;
pub(crate) mod request;
pub(crate) mod timestamp;
