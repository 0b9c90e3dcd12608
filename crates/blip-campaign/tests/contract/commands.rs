//! The LIME envelopes themselves: the documented answers decode, and the
//! escape hatch sends any command as given.

use crate::support::{client, fixture};

use blip_campaign::mock::{MockBlip, MockVendor};
use blip_campaign::{CampaignStatus, CampaignType, Command, CommandMethod, CommandStatus};
use serde_json::json;

#[test]
fn the_documented_create_answer_decodes_every_value() {
    let r: blip_campaign::CommandResponse =
        serde_json::from_str(&fixture("v2_create_response.json")).unwrap();
    assert_eq!(r.status, CommandStatus::Success);
    assert_eq!(r.method, Some(CommandMethod::Set));
    assert_eq!(
        r.resource_type.as_deref(),
        Some("application/vnd.iris.activecampaign.campaign+json")
    );
    assert_eq!(
        (r.id.as_deref(), r.from.as_deref(), r.to.as_deref()),
        (Some("..."), Some("..."), Some("..."))
    );
    let meta = r.metadata.as_ref().unwrap();
    assert_eq!(
        (meta["traceparent"].as_str(), meta["#command.uri"].as_str()),
        (Some("..."), Some("..."))
    );
    let c: blip_campaign::Campaign = serde_json::from_value(r.resource.unwrap()).unwrap();
    assert_eq!(c.id, "ffc99160-5182...");
    assert_eq!(c.name.as_deref(), Some("Campanha em Massa"));
    assert_eq!(c.campaign_type, Some(CampaignType::Batch));
    assert_eq!(c.flow_id.as_deref(), Some("f7bfd815-1327..."));
    assert_eq!(c.state_id.as_deref(), Some("onboarding"));
    assert_eq!(c.status, Some(CampaignStatus::New));
    assert_eq!(c.created.as_deref(), Some("2024-06-03T17:21:05.577Z"));
}

#[tokio::test]
async fn the_escape_hatch_sends_any_command() {
    let blip = MockBlip::start().await;
    let c = client(&blip.uri());
    let cmd = Command::new(CommandMethod::Get, "/campaigns/abc/reports").with_id("my-id-1");
    let r = c.send_command(&cmd).await.unwrap();
    assert_eq!(r.status, CommandStatus::Success);
    assert_eq!(r.id.as_deref(), Some("my-id-1"));
    assert!(r.resource.is_some());
    let sent = &blip.commands().await[0];
    assert_eq!(
        sent,
        &json!({"id": "my-id-1", "to": "postmaster@activecampaign.msging.net", "method": "get", "uri": "/campaigns/abc/reports"})
    );
    assert_eq!(
        blip.requests().await[0].header("authorization"),
        Some("Key dGVzdDp0ZXN0")
    );
    assert_eq!(blip.requests().await[0].path, "/commands");
}
