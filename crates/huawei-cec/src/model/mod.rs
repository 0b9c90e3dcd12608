//! Wire types: what a send carries, the send request and its answer, the
//! token call.

pub(crate) mod content;
pub(crate) mod request;
pub(crate) mod response;
pub(crate) mod token;
