//! Wire types: the request, the response, the value types both use, and
//! (feature `mock`) the request as a server reads it.

#[cfg(feature = "mock")]
pub(crate) mod received;
pub(crate) mod request;
pub(crate) mod response;
pub(crate) mod types;

/// Namespace of the request and response roots and their own members.
pub const REPORT_NS: &str = "http://schemas.datacontract.org/2004/07/ActiveTrail.BusinessLogic.Domain.WhatsApp.WhatsAppCampaignReport";
/// Namespace of attachment types.
pub const MESSAGE_NS: &str =
    "http://schemas.datacontract.org/2004/07/ActiveTrail.BusinessLogic.Domain.WhatsApp.Message";
/// Namespace of campaign event and link types.
pub const CAMPAIGN_NS: &str =
    "http://schemas.datacontract.org/2004/07/ActiveTrail.BusinessLogic.Domain.WhatsApp.Campaign";
/// Namespace of order and product types.
pub const COMMERCE_NS: &str =
    "http://schemas.datacontract.org/2004/07/ActiveTrail.BusinessLogic.Domain.Commerce";
