//! Encode a documented command, decode the documented answers, beside the
//! floor: `serde_json::Value` of the same bytes.
#![allow(missing_docs, clippy::unwrap_used)]

use blip_campaign::{
    Audience, CampaignInfo, Command, CommandMethod, CommandResponse, FullCampaign, MessageTemplate,
};

const CREATED: &str = include_str!("../../../fixtures/blip-campaign/v2_create_response.json");
const REPORT: &str =
    include_str!("../../../fixtures/blip-campaign/constructed_report_response.json");

fn main() {
    divan::main();
}

#[divan::bench]
fn build_and_encode_individual_campaign() -> usize {
    let campaign = FullCampaign::individual(
        CampaignInfo::new("Campanha individual completo - Template Com variavel 10")
            .flow("{{flowId}}", "{{stateId}}"),
        Audience::new("+5531999990001".parse().unwrap()).param("1", "Ana"),
        MessageTemplate::whatsapp("template_with_variable", ["1"]),
    )
    .build()
    .unwrap();
    let cmd = Command::new(CommandMethod::Set, "/campaign/full").with_resource(
        blip_campaign::FULL_CAMPAIGN_TYPE,
        serde_json::to_value(&campaign).unwrap(),
    );
    serde_json::to_vec(&cmd).unwrap().len()
}

#[divan::bench]
fn decode_envelope_typed() -> CommandResponse {
    serde_json::from_str(divan::black_box(CREATED)).unwrap()
}

#[divan::bench]
fn decode_envelope_value_floor() -> serde_json::Value {
    serde_json::from_slice(divan::black_box(CREATED.as_bytes())).unwrap()
}

#[divan::bench]
fn decode_report_envelope_typed() -> CommandResponse {
    serde_json::from_str(divan::black_box(REPORT)).unwrap()
}

#[divan::bench]
fn decode_report_value_floor() -> serde_json::Value {
    serde_json::from_slice(divan::black_box(REPORT.as_bytes())).unwrap()
}
