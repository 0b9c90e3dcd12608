//! blip-campaign: the LIME envelope and every typed resource the client
//! reads out of it, from any bytes, through the client's own reading and
//! through the public envelope.
#![no_main]

use blip_campaign::{
    AudienceItem, CampaignMessage, CampaignReport, CampaignSummary, Collection, CommandResponse,
};
use libfuzzer_sys::fuzz_target;
use whatsapp_common::DecodeError;

fuzz_target!(|data: &[u8]| {
    // The client's own path for typed operations: the resource kept as raw
    // JSON, checked for capitalised keys, then read into its type.
    use blip_campaign::__fuzz::read_answer;
    let _ = read_answer::<Collection<CampaignSummary>>(data);
    let _ = read_answer::<CampaignSummary>(data);
    let _ = read_answer::<Collection<AudienceItem>>(data);
    let _ = read_answer::<Collection<CampaignMessage>>(data);
    if let Err(e) = read_answer::<CampaignReport>(data) {
        let _ = format!("{e} {e:?}");
    }
    let Ok(response) = serde_json::from_slice::<CommandResponse>(data) else {
        return;
    };
    if let Some(reason) = &response.reason {
        let _ = reason.code.name();
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
