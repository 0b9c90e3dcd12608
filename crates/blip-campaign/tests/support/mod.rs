//! Shared by the contract tests, the conformance suite and the benches: the
//! documented samples, the commands as the SDK builds them, client set-up.
#![allow(clippy::unwrap_used)]
#![allow(dead_code, unreachable_pub)]

use std::time::Duration;

use blip_campaign::mock::MockBlip;
use blip_campaign::{
    Audience, CampaignInfo, Client, ClientBuilder, FullCampaign, MessageTemplate, PhoneNumber,
};
use serde_json::Value;
use whatsapp_common::mock::fast_retries;

/// A key whose secret part no text may show (the conformance suite), the
/// one the trait's mock insists on.
pub const KEY: &str = "Key c2VjcmV0LWJsaXAta2V5OnRvcHNlY3JldA==";

/// The recipients the documented placeholders are replaced with.
pub const PHONE_1: &str = "+5531999990001";
/// The second one.
pub const PHONE_2: &str = "+5531999990002";

/// Every documented answer: the create's, the research's success and
/// failure, the reads' constructed shapes.
pub const ANSWERS: [&str; 9] = [
    "v2_create_response.json",
    "research_command_success.json",
    "research_command_failure.json",
    "constructed_summaries_response.json",
    "constructed_audience_response.json",
    "constructed_messages_response.json",
    "constructed_report_response.json",
    "constructed_campaigns_response.json",
    "constructed_campaign_response.json",
];

/// Every documented `/campaign/full` command.
pub const FULL_CAMPAIGNS: [&str; 12] = [
    "full_individual_whatsapp.json",
    "full_individual_rcs.json",
    "full_batch_whatsapp.json",
    "full_batch_rcs.json",
    "example_template_without_variables.json",
    "example_template_with_variables.json",
    "example_reply_with_url.json",
    "example_template_with_image.json",
    "example_template_with_video.json",
    "example_template_with_video_bulk.json",
    "example_template_with_carousel.json",
    "example_template_with_carousel_bulk.json",
];

/// A fixture file's text, from `fixtures/blip-campaign/`.
pub fn fixture(name: &str) -> String {
    whatsapp_common::mock::fixture("blip-campaign", name)
}

/// A cleaned documented command with its placeholder recipients replaced by
/// real numbers (the SDK refuses "+5531999..." and "{{phonenumber1}}").
pub fn documented(name: &str) -> Value {
    let text = fixture(name)
        .replace("\"+5531999...\"", &format!("\"{PHONE_1}\""))
        .replace("\"+55319...\"", &format!("\"{PHONE_1}\""))
        .replace("\"+55319..\"", &format!("\"{PHONE_2}\""))
        .replace("\"{{phonenumber1}}\"", &format!("\"{PHONE_1}\""))
        .replace("\"{{phonenumber2}}\"", &format!("\"{PHONE_2}\""));
    serde_json::from_str(&text).unwrap()
}

/// A phone number.
pub fn phone(p: &str) -> PhoneNumber {
    p.parse().unwrap()
}

/// A builder pointed at `uri` with the sample key.
pub fn builder(uri: &str) -> ClientBuilder {
    Client::builder("Key dGVzdDp0ZXN0")
        .base_url(uri)
        .timeout(Duration::from_secs(5))
        .retry_policy(fast_retries())
}

/// A client pointed at `uri`.
pub fn client(uri: &str) -> Client {
    builder(uri).build().unwrap()
}

/// Checks the last command against the documented one: every member but
/// `id` equal, and `id` a fresh UUID.
pub async fn assert_last_command(blip: &MockBlip, expected: &Value) {
    let mut sent = blip.commands().await.pop().unwrap();
    let id = sent.as_object_mut().unwrap().remove("id").unwrap();
    assert_eq!(id.as_str().unwrap().len(), 36, "a UUID command id");
    let mut expected = expected.clone();
    expected.as_object_mut().unwrap().remove("id");
    assert_eq!(sent, expected);
}

/// The `campaign` entity of a documented resource, as the SDK builds it.
pub fn info(resource: &Value) -> CampaignInfo {
    let c = &resource["campaign"];
    let mut i = CampaignInfo::new(c["name"].as_str().unwrap());
    if let (Some(f), Some(s)) = (c["flowId"].as_str(), c["stateId"].as_str()) {
        i = i.flow(f, s);
    }
    if let Some(m) = c["masterstate"].as_str() {
        i = i.master_state(m);
    }
    if let Some(s) = c["sourceApplication"].as_str() {
        i = i.source_application(s);
    }
    for t in c["tags"].as_array().into_iter().flatten() {
        i = i.tag(t.as_str().unwrap());
    }
    i
}

/// A documented audience, as the SDK builds it.
pub fn audience(a: &Value) -> Audience {
    let mut out = Audience::new(phone(a["recipient"].as_str().unwrap()));
    for (k, v) in a["messageParams"].as_object().into_iter().flatten() {
        out = out.param(k, v.as_str().unwrap());
    }
    for (k, v) in a["contextVariables"].as_object().into_iter().flatten() {
        out = out.context_variable(k, v.clone());
    }
    out
}

/// A documented `message` entity, as the SDK builds it.
pub fn message(m: &Value) -> MessageTemplate {
    let params: Vec<String> = m["messageParams"]
        .as_array()
        .into_iter()
        .flatten()
        .map(|p| p.as_str().unwrap().to_owned())
        .collect();
    match m["messageContent"].as_str() {
        Some(content) => MessageTemplate::rcs(content, params),
        None => {
            let mut msg = MessageTemplate::whatsapp(m["messageTemplate"].as_str().unwrap(), params);
            if let Some(l) = m["messageTemplateLanguage"].as_str() {
                msg = msg.language(l);
            }
            msg
        }
    }
}

/// A documented `/campaign/full` command's campaign, as the SDK builds it.
pub fn full_campaign(name: &str) -> FullCampaign {
    let expected = documented(name);
    let r = &expected["resource"];
    match r["audiences"].as_array() {
        Some(list) => FullCampaign::batch(
            info(r),
            list.iter().map(audience).collect(),
            message(&r["message"]),
        ),
        None => FullCampaign::individual(info(r), audience(&r["audience"]), message(&r["message"])),
    }
    .build()
    .unwrap_or_else(|e| panic!("{name}: {e}"))
}
