//! Every collection read takes its page (`$skip`, `$take` of 1 to 100,
//! checked before sending); the pagers read every page to the end; the
//! campaign list and one campaign are typed and keep what they do not name.

use crate::support::{client, fixture, phone};

use blip_campaign::mock::{MockBlip, MockVendor, ResponseTemplate};
use blip_campaign::{
    Audience, CampaignInfo, CampaignStatus, CampaignType, ChannelType, Client, Cursor,
    DynamicCampaign, Error, ErrorCode, MAX_TAKE, MessageTemplate, Paging, Progress, RetryClass,
    SummaryFilter,
};
use serde_json::{Value, json};

/// The commands received since the first `since`, each without its `id`
/// (checked to be a UUID).
async fn sent_since(blip: &MockBlip, since: usize) -> Vec<Value> {
    let mut sent = blip.commands().await.split_off(since);
    for c in &mut sent {
        let id = c.as_object_mut().unwrap().remove("id").unwrap();
        assert_eq!(id.as_str().unwrap().len(), 36, "a UUID command id");
    }
    sent
}

/// The `get` command of `uri`, as the reads send it (no `type`, no
/// `resource`), without its `id`.
fn get(uri: &str) -> Value {
    json!({"to": "postmaster@activecampaign.msging.net", "method": "get", "uri": uri})
}

/// A dynamic campaign called `name`, created through `c`: its id.
async fn create(c: &Client, name: &str) -> String {
    let message = MessageTemplate::whatsapp("order_update", ["1"]);
    let campaign = DynamicCampaign::new(CampaignInfo::new(name), message).unwrap();
    c.create_campaign(&campaign).await.unwrap().id.unwrap()
}

/// `n` audiences for `order_update`, distinct recipients.
fn audiences(n: usize) -> Vec<Audience> {
    (0..n)
        .map(|i| {
            Audience::new(phone(&format!("+55319{:08}", 10_000_000 + i))).param("1", i.to_string())
        })
        .collect()
}

#[tokio::test]
async fn every_collection_read_sends_its_page() {
    let blip = MockBlip::start().await;
    let c = client(&blip.uri());
    let id = create(&c, "june").await;
    let before = blip.commands().await.len();
    let page = Paging::new(20, 50);
    c.campaigns(page).await.unwrap();
    let one = c.campaign(&id).await.unwrap();
    c.campaign_summary("ffc99160", page).await.unwrap();
    c.audience("ffc99160", page).await.unwrap();
    c.messages("ffc99160", page).await.unwrap();
    c.audience(
        "ffc99160",
        Paging {
            skip: None,
            take: Some(7),
        },
    )
    .await
    .unwrap();
    c.messages(
        "ffc99160",
        Paging {
            skip: Some(3),
            take: None,
        },
    )
    .await
    .unwrap();
    c.campaigns(Paging::default()).await.unwrap();
    let expected = [
        "/campaigns?$skip=20&$take=50",
        &format!("/campaigns/{id}"),
        "/campaigns/ffc99160/summaries?$skip=20&$take=50",
        "/audiences/ffc99160?$skip=20&$take=50",
        "/messages/ffc99160?$skip=20&$take=50",
        "/audiences/ffc99160?$take=7",
        "/messages/ffc99160?$skip=3",
        "/campaigns",
    ]
    .map(get);
    assert_eq!(sent_since(&blip, before).await, expected);
    assert_eq!(one.id, Some(id));
    assert_eq!(one.name.as_deref(), Some("june"));

    // A blank id is refused: `/campaigns/` would read the list.
    let before = blip.commands().await.len();
    for err in [
        c.campaign(" ").await.unwrap_err(),
        c.audience("", page).await.unwrap_err(),
        c.messages("", page).await.unwrap_err(),
        c.campaign_summary("", page).await.unwrap_err(),
    ] {
        assert!(
            matches!(&err, Error::Validation(v) if v.field() == "campaignId"),
            "{err:?}"
        );
    }
    assert_eq!(blip.commands().await.len(), before, "nothing sent");
}

/// `$take` is 1 to 100 on each read and each pager, refused before
/// sending on either side, with what to fix.
#[tokio::test]
async fn take_is_1_to_100_checked_before_sending_on_both_sides() {
    assert_eq!(MAX_TAKE, 100);
    let blip = MockBlip::start().await;
    let c = client(&blip.uri());
    // Every read and pager with a `$take` of `t`: what each sent, or its error.
    async fn each(c: &Client, blip: &MockBlip, t: u32) -> Vec<Result<Value, Error>> {
        let p = Paging::new(0, t);
        let filter = SummaryFilter {
            take: Some(t),
            ..SummaryFilter::default()
        };
        let mut out = Vec::new();
        macro_rules! run {
            ($call:expr) => {{
                let before = blip.commands().await.len();
                out.push(match $call {
                    Ok(()) => Ok(sent_since(blip, before).await.pop().unwrap()),
                    Err(e) => {
                        assert_eq!(blip.commands().await.len(), before, "{t}: nothing sent");
                        Err(e)
                    }
                });
            }};
        }
        run!(c.campaigns(p).await.map(drop));
        run!(c.campaign_summaries(&filter).await.map(drop));
        run!(c.campaign_summary("x", p).await.map(drop));
        run!(c.audience("x", p).await.map(drop));
        run!(c.messages("x", p).await.map(drop));
        run!(match c.campaigns_pages(t) {
            Ok(mut pager) => pager.next_page().await.map(drop),
            Err(e) => Err(e),
        });
        run!(
            match c.campaign_summaries_pages(&SummaryFilter::default(), t) {
                Ok(mut pager) => pager.next_page().await.map(drop),
                Err(e) => Err(e),
            }
        );
        run!(match c.campaign_summary_pages("x", t) {
            Ok(mut pager) => pager.next_page().await.map(drop),
            Err(e) => Err(e),
        });
        run!(match c.audience_pages("x", t) {
            Ok(mut pager) => pager.next_page().await.map(drop),
            Err(e) => Err(e),
        });
        run!(match c.messages_pages("x", t) {
            Ok(mut pager) => pager.next_page().await.map(drop),
            Err(e) => Err(e),
        });
        out
    }
    for t in [1, 100] {
        let uris: Vec<Value> = each(&c, &blip, t)
            .await
            .into_iter()
            .map(|r| r.unwrap())
            .collect();
        let expected: Vec<Value> = [
            format!("/campaigns?$skip=0&$take={t}"),
            format!("/campaigns/summaries?$take={t}"),
            format!("/campaigns/x/summaries?$skip=0&$take={t}"),
            format!("/audiences/x?$skip=0&$take={t}"),
            format!("/messages/x?$skip=0&$take={t}"),
            format!("/campaigns?$skip=0&$take={t}"),
            format!("/campaigns/summaries?$skip=0&$take={t}"),
            format!("/campaigns/x/summaries?$skip=0&$take={t}"),
            format!("/audiences/x?$skip=0&$take={t}"),
            format!("/messages/x?$skip=0&$take={t}"),
        ]
        .iter()
        .map(|u| get(u))
        .collect();
        assert_eq!(uris, expected, "$take={t} accepted");
    }
    for (t, fix) in [
        (0, "is 0: ask for 1 to 100"),
        (101, "is 101: ask for at most 100"),
    ] {
        for r in each(&c, &blip, t).await {
            let err = r.unwrap_err();
            match &err {
                Error::Validation(v) => {
                    assert_eq!(v.field(), "$take", "{err}");
                    assert!(v.reason().contains(fix), "{t}: {err}");
                }
                other => panic!("{t}: {other:?}"),
            }
            assert_eq!(err.retry_class(), RetryClass::Never, "{t}: fix, not resend");
        }
    }
}

#[tokio::test]
async fn a_pager_reads_every_page_and_stops_at_a_short_or_empty_page() {
    let blip = MockBlip::start().await;
    let c = client(&blip.uri());
    let message = MessageTemplate::whatsapp("order_update", ["1"]);
    for (n, pages) in [(7, 3), (6, 3), (0, 1)] {
        let id = create(&c, &format!("list-{n}")).await;
        let sent = audiences(n);
        if n > 0 {
            c.add_audiences(&id, &message, &sent, &mut Progress::new())
                .await
                .unwrap();
        }
        let before = blip.commands().await.len();
        let read = c.audience_pages(&id, 3).unwrap().all().await.unwrap();
        let recipients: Vec<_> = read.iter().map(|i| i.recipient.clone().unwrap()).collect();
        let want: Vec<_> = sent.iter().map(|a| a.recipient().e164()).collect();
        if n > 0 {
            assert_eq!(recipients, want, "{n}: every audience, in order");
        }
        let uris: Vec<Value> = (0..pages)
            .map(|p| get(&format!("/audiences/{id}?$skip={}&$take=3", p * 3)))
            .collect();
        assert_eq!(sent_since(&blip, before).await, uris, "{n} audiences");
    }
}

#[tokio::test]
async fn a_pager_goes_page_by_page_and_an_error_keeps_its_place() {
    let blip = MockBlip::start().await;
    let c = client(&blip.uri());
    for name in ["a", "b", "c", "d", "e"] {
        create(&c, name).await;
    }
    let before = blip.commands().await.len();
    let mut pager = c.campaigns_pages(2).unwrap();
    let names = |page: Vec<blip_campaign::Campaign>| -> Vec<String> {
        page.into_iter().map(|c| c.name.unwrap()).collect()
    };
    assert_eq!(names(pager.next_page().await.unwrap().unwrap()), ["a", "b"]);
    blip.fail_next(ErrorCode::CommandNotAllowed, 1).await;
    let err = pager.next_page().await.unwrap_err();
    assert_eq!(err.code(), Some(ErrorCode::CommandNotAllowed));
    assert_eq!(pager.cursor(), Some(&Cursor::Offset(2)), "kept its place");
    assert_eq!(names(pager.next_page().await.unwrap().unwrap()), ["c", "d"]);
    assert_eq!(names(pager.next_page().await.unwrap().unwrap()), ["e"]);
    assert!(pager.is_done());
    assert!(pager.next_page().await.unwrap().is_none());
    let uris = [
        "/campaigns?$skip=0&$take=2",
        "/campaigns?$skip=2&$take=2",
        "/campaigns?$skip=2&$take=2",
        "/campaigns?$skip=4&$take=2",
    ]
    .map(get);
    assert_eq!(sent_since(&blip, before).await, uris);

    // The summaries' pager keeps the filter and starts at its `skip`.
    let before = blip.commands().await.len();
    let filter = SummaryFilter {
        created: Some("2024-06-03".into()),
        campaign_sender: Some("owner@example.com".into()),
        take: Some(50),
        ..SummaryFilter::default()
    };
    let all = c.campaign_summaries_pages(&filter, 1).unwrap().all().await;
    assert_eq!(all.unwrap().len(), 1, "the fixture's one summary");
    let skipped = SummaryFilter {
        skip: Some(1),
        ..filter
    };
    let rest = c.campaign_summaries_pages(&skipped, 1).unwrap().all().await;
    assert!(rest.unwrap().is_empty());
    let q = "CampaignSender=owner%40example.com&created=2024-06-03";
    let uris = [
        format!("/campaigns/summaries?{q}&$skip=0&$take=1"),
        format!("/campaigns/summaries?{q}&$skip=1&$take=1"),
        format!("/campaigns/summaries?{q}&$skip=1&$take=1"),
    ];
    let uris: Vec<Value> = uris.iter().map(|u| get(u)).collect();
    assert_eq!(sent_since(&blip, before).await, uris);
}

#[tokio::test]
async fn the_campaign_list_and_one_campaign_are_typed_and_keep_unknown_members() {
    let blip = MockBlip::start().await;
    let c = client(&blip.uri());
    let answer = |name| ResponseTemplate::new(200).set_body_string(fixture(name));
    blip.respond_next(answer("constructed_campaigns_response.json"), 1)
        .await;
    let list = c.campaigns(Paging::new(0, 2)).await.unwrap();
    blip.respond_next(answer("constructed_campaign_response.json"), 1)
        .await;
    let one = c
        .campaign("ffc99160-5182-4c33-8a21-0d5ab0f4e0a1")
        .await
        .unwrap();
    assert_eq!(
        sent_since(&blip, 0).await,
        [
            get("/campaigns?$skip=0&$take=2"),
            get("/campaigns/ffc99160-5182-4c33-8a21-0d5ab0f4e0a1")
        ]
    );

    assert_eq!(list.total, Some(2));
    let (a, b) = (&list.items[0], &list.items[1]);
    let mut without_new = one.clone();
    without_new.extra.remove("isSomethingNew");
    assert_eq!(a, &without_new, "the same campaign, listed or read alone");
    let typed = [a, b].map(|x| {
        (
            x.id.as_deref().unwrap(),
            x.name.as_deref(),
            x.campaign_type.clone(),
            x.status.clone(),
            x.channel_type.clone(),
            x.scheduled.as_deref(),
        )
    });
    assert_eq!(
        typed,
        [
            (
                "ffc99160-5182-4c33-8a21-0d5ab0f4e0a1",
                Some("Campanha em Massa"),
                Some(CampaignType::Batch),
                Some(CampaignStatus::Dispatched),
                Some(ChannelType::WhatsApp),
                None
            ),
            (
                "0b7c2f1e-9a41-4d3b-8e5f-6c2d1a0f9e22",
                Some("welcome-ana"),
                Some(CampaignType::Individual),
                Some(CampaignStatus::Scheduled),
                Some(ChannelType::WhatsApp),
                Some("2024-06-05T12:00:00.000Z")
            ),
        ]
    );
    assert_eq!(a.master_state.as_deref(), Some("masterstate@msging.net"));
    assert_eq!(a.tags.as_deref(), Some(&["orders".to_owned()][..]));
    assert_eq!(
        a.extra,
        *json!({"isToUseLiteApi": false, "canSendWithOpenTicket": true})
            .as_object()
            .unwrap()
    );
    assert_eq!(
        b.extra,
        *json!({"aFieldBlipMayAddLater": {"nested": [1, 2]}})
            .as_object()
            .unwrap()
    );
    assert_eq!(one.extra["isSomethingNew"], "kept");
}

/// The mock pages as Blip is inferred to: a `$take` over 100 fails.
#[tokio::test]
async fn the_mock_refuses_a_take_over_100_as_blip_does() {
    use blip_campaign::{Command, CommandMethod, CommandStatus};
    let blip = MockBlip::start().await;
    let c = client(&blip.uri());
    let cmd = Command::new(CommandMethod::Get, "/audiences/x?$skip=0&$take=101");
    let r = c.send_command(&cmd).await.unwrap();
    assert_eq!(r.status, Some(CommandStatus::Failure));
    let reason = r.reason.unwrap();
    assert_eq!(reason.code, ErrorCode::ValidationError);
    assert_eq!(
        reason.description.as_deref(),
        Some("The take parameter can not be greater than 100")
    );
}
