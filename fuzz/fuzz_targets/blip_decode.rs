//! blip-campaign: the LIME envelope and every typed resource the client
//! reads out of it, from any bytes.
#![no_main]

use blip_campaign::{
    AudienceItem, CampaignMessage, CampaignReport, CampaignSummary, Collection, CommandResponse,
};
use libfuzzer_sys::fuzz_target;
use whatsapp_common::DecodeError;

fuzz_target!(|data: &[u8]| {
    let Ok(response) = serde_json::from_slice::<CommandResponse>(data) else {
        return;
    };
    if let Some(reason) = &response.reason {
        let _ = reason.code_name();
    }
    let Some(resource) = response.resource else {
        return;
    };
    let _ = DecodeError::json_value::<Collection<CampaignSummary>>(200, resource.clone());
    let _ = DecodeError::json_value::<CampaignSummary>(200, resource.clone());
    let _ = DecodeError::json_value::<Collection<AudienceItem>>(200, resource.clone());
    let _ = DecodeError::json_value::<Collection<CampaignMessage>>(200, resource.clone());
    if let Err(e) = DecodeError::json_value::<CampaignReport>(200, resource) {
        let _ = format!("{e} {e:?}");
    }
});
