//! Campaigns, audiences and message templates: what is sent and what comes
//! back, one module per resource.

pub(crate) mod audience;
pub(crate) mod campaign;
pub(crate) mod page;
pub(crate) mod report;
pub(crate) mod template;
