//! Wire types.

pub(crate) mod request;
pub(crate) mod response;
pub(crate) mod types;
#[cfg(feature = "xml")]
mod xml_out;

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
