//! Every documented command is what the SDK sends (envelope and resource
//! as JSON values): full campaigns, the dynamic flow, split audiences, a
//! cancel.

use crate::support::{
    FULL_CAMPAIGNS, PHONE_1, PHONE_2, assert_last_command, client, documented, full_campaign, info,
    message, phone,
};

use blip_campaign::mock::{MockBlip, MockVendor};
use blip_campaign::{
    Audience, CampaignStatus, DynamicCampaign, Error, ErrorCode, MessageTemplate, Progress,
};
use serde_json::json;

#[tokio::test]
async fn every_documented_full_campaign_is_what_the_sdk_sends() {
    let blip = MockBlip::start().await;
    let c = client(&blip.uri());
    for name in FULL_CAMPAIGNS {
        let expected = documented(name);
        let campaign = full_campaign(name);
        let created = c
            .create_full_campaign(&campaign)
            .await
            .unwrap_or_else(|e| panic!("{name}: {e}"));
        assert_eq!(created.status, Some(CampaignStatus::New), "{name}");
        assert_eq!(
            created.campaign_type,
            Some(campaign.campaign_type()),
            "{name}: read back from upper case"
        );
        assert_last_command(&blip, &expected).await;
    }
}

#[tokio::test]
async fn the_dynamic_flow_matches_the_documentation() {
    let blip = MockBlip::start().await;
    let c = client(&blip.uri());
    for name in ["v2_create_whatsapp.json", "v2_create_rcs.json"] {
        let expected = documented(name);
        let r = &expected["resource"];
        let campaign = DynamicCampaign::new(info(r), message(&r["message"])).unwrap();
        c.create_campaign(&campaign).await.unwrap();
        assert_last_command(&blip, &expected).await;
    }
    // Audiences: an unverified LIME collection; dispatch: as the research found.
    let msg = MessageTemplate::whatsapp("order_update", ["1"]);
    let audiences = vec![
        Audience::new(phone(PHONE_1))
            .param("1", "Ana")
            .context_variable("cpf", "123"),
        Audience::new(phone(PHONE_2)).param("1", "Bia"),
    ];
    let mut progress = Progress::new();
    c.add_audiences("cmp-1", &msg, &audiences, &mut progress)
        .await
        .unwrap();
    assert_eq!(progress.chunks().len(), 1, "one command");
    assert_eq!(progress.next_index(), 2);
    let sent = blip.commands().await.pop().unwrap();
    assert_eq!(sent["method"], "set");
    assert_eq!(sent["uri"], "/audiences/v2/cmp-1");
    assert_eq!(sent["type"], "application/vnd.lime.collection+json");
    assert_eq!(
        sent["resource"],
        json!({"itemType": "application/vnd.iris.activecampaign.audience+json", "total": 2, "items": [
            {"recipient": PHONE_1, "messageParams": {"1": "Ana"}, "contextVariables": {"cpf": "123"}},
            {"recipient": PHONE_2, "messageParams": {"1": "Bia"}}
        ]})
    );
    c.add_audiences_file("cmp-1", &msg, &audiences)
        .await
        .unwrap();
    let sent = blip.commands().await.pop().unwrap();
    assert_eq!(sent["uri"], "/audiences/v2/cmp-1/file");
    assert_eq!(sent["type"], "text/csv");
    assert!(
        sent["resource"]
            .as_str()
            .unwrap()
            .starts_with("recipient,1,#contextvariables#\r\n")
    );

    c.dispatch("cmp-1").await.unwrap();
    let mut expected = documented("research_dispatch_request.json");
    expected["resource"]["id"] = json!("cmp-1");
    assert_last_command(&blip, &expected).await;

    // After dispatch: refused before sending, and Blip refuses too.
    let before = blip.commands().await.len();
    let err = c
        .add_audiences("cmp-1", &msg, &audiences, &mut Progress::new())
        .await
        .unwrap_err();
    assert!(
        matches!(&err, Error::Validation(v) if v.field() == "campaignId"),
        "{err:?}"
    );
    assert!(err.to_string().contains("already dispatched"), "{err}");
    assert_eq!(blip.commands().await.len(), before, "nothing sent");
    let other = client(&blip.uri());
    let err = other
        .add_audiences("cmp-1", &msg, &audiences, &mut Progress::new())
        .await
        .unwrap_err();
    assert_eq!(err.code(), Some(ErrorCode::CommandInvalidArgument));
    assert_eq!(err.code().map(|c| c.as_i64()), Some(64));
}

#[tokio::test]
async fn large_audience_lists_are_split() {
    let blip = MockBlip::start().await;
    let c = client(&blip.uri());
    let msg = MessageTemplate::whatsapp("t", ["1"]);
    let audiences: Vec<Audience> = (0..(blip_campaign::MAX_AUDIENCES_PER_COMMAND + 10))
        .map(|i| Audience::new(phone(&format!("+55319{:08}", i))).param("1", "x"))
        .collect();
    let mut progress = Progress::new();
    c.add_audiences("big", &msg, &audiences, &mut progress)
        .await
        .unwrap();
    let chunks: Vec<_> = progress
        .chunks()
        .iter()
        .map(|c| (c.first_index, c.len))
        .collect();
    let max = blip_campaign::MAX_AUDIENCES_PER_COMMAND;
    assert_eq!(chunks, [(0, max), (max, 10)]);
    let cmds = blip.commands().await;
    assert_eq!(
        cmds[0]["resource"]["items"].as_array().unwrap().len(),
        blip_campaign::MAX_AUDIENCES_PER_COMMAND
    );
    assert_eq!(cmds[1]["resource"]["total"], 10);
}

#[tokio::test]
async fn a_cancel_is_the_documented_delete() {
    let blip = MockBlip::start().await;
    client(&blip.uri())
        .cancel_campaign("ffc99160")
        .await
        .unwrap();
    let mut expected = documented("research_delete_request.json");
    expected["uri"] = json!("/campaigns/ffc99160");
    assert_last_command(&blip, &expected).await;
}
