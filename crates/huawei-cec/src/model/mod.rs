//! Wire types.

pub(crate) mod request;
pub(crate) mod response;
