//! Shared by the contract, conformance and validation tests: fixtures,
//! clients, the documented values.
#![allow(clippy::unwrap_used, dead_code, unreachable_pub)]

use std::time::Duration;

use activetrail::{
    AttachmentType, CampaignType, Client, ClientBuilder, DotNetDateTime, Format,
    OperationalMessage, RetryPolicy, Scheduling, SendResponse, SendType, StatusType, TemplateRef,
};

/// The token the test clients carry.
pub const TOKEN: &str = "0XTEST-TOKEN";

/// A fixture file's text, from `fixtures/activetrail/`.
pub fn fixture(name: &str) -> String {
    let path = format!(
        "{}/../../fixtures/activetrail/{name}",
        env!("CARGO_MANIFEST_DIR")
    );
    std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{path}: {e}"))
}

/// The first documented mobile, as digits.
pub const MOBILE_1: &str = "972501234567";
/// The second documented mobile, as digits.
pub const MOBILE_2: &str = "972521234567";

/// The documented request built from the sample's own values. Only the
/// mobiles differ: the SDK refuses "sample string 1" as a phone number.
pub fn documented_message() -> OperationalMessage {
    OperationalMessage::template(
        1,
        TemplateRef::new("sample string 1")
            .variable("sample string 1", "sample string 2")
            .variable("sample string 3", "sample string 4"),
    )
    .name("sample string 1")
    .content("sample string 2")
    .scheduling(Scheduling::new(
        true,
        Some(DotNetDateTime::parse("2016-12-24T14:12:12").unwrap()),
    ))
    .to(format!("+{MOBILE_1}").parse().unwrap())
    .to(format!("+{MOBILE_2}").parse().unwrap())
    .build()
    .unwrap()
}

/// A template message to one Israeli mobile, from profile 7.
pub fn message() -> OperationalMessage {
    OperationalMessage::template(7, TemplateRef::new("welcome").variable("name", "Dana"))
        .to("+972501234567".parse().unwrap())
        .build()
        .unwrap()
}

/// A builder pointed at `uri`.
pub fn builder(uri: &str, format: Format) -> ClientBuilder {
    Client::builder(TOKEN)
        .base_url(uri)
        .format(format)
        .timeout(Duration::from_secs(5))
        .retry_policy(
            RetryPolicy::default()
                .initial_backoff(Duration::from_millis(5))
                .max_backoff(Duration::from_millis(20)),
        )
}

/// Asserts every value of the documented response sample. `json` says
/// whether the JSON sample (which has members the XML one lacks) was read.
pub fn assert_documented_response(r: &SendResponse, json: bool) {
    let s = |v: &Option<String>| v.as_deref().unwrap().to_owned();
    let d = |v: &Option<activetrail::DotNetDateTime>| v.as_ref().unwrap().to_string();
    const DATE: &str = "2016-12-24T14:12:12";
    assert_eq!(s(&r.send_type_name), "sample string 1");
    assert_eq!(s(&r.status_name), "sample string 2");
    assert_eq!(d(&r.status_date), DATE);
    assert_eq!(d(&r.handled_date), DATE);

    let c = r.campaign.as_ref().unwrap();
    assert_eq!(
        c.id.as_ref().unwrap().as_str(),
        "31203993-a781-4163-95dd-ae3bfa386fc4"
    );
    assert_eq!(c.parent_user_id, Some(2));
    assert_eq!(s(&c.from_name), "sample string 3");
    assert_eq!(s(&c.from_number), "sample string 4");
    assert_eq!(s(&c.name), "sample string 5");
    assert_eq!(s(&c.content), "sample string 6");
    assert_eq!(c.is_deleted, Some(true));
    assert_eq!(c.total_sent, Some(8));
    assert_eq!(c.total_succeeded, Some(9));
    assert_eq!(c.total_opens, Some(10));
    assert_eq!(c.total_failed, Some(11));
    assert_eq!(c.can_unsubscribe, Some(true));
    assert_eq!(c.total_unsubscribed, Some(13));
    assert_eq!(s(&c.unsubscribe_text), "sample string 14");
    assert_eq!(c.total_credits, Some(15));
    assert_eq!(c.wizard_max_step, Some(64));
    assert_eq!(c.wizard_current_step, Some(64));
    assert_eq!(c.status_type, Some(StatusType::None));
    assert_eq!(c.sending_profile_id, Some(16));
    assert_eq!(c.total_clicks, Some(17));
    assert_eq!(c.total_unique_clicks, Some(18));
    assert_eq!(c.is_link_tracking, Some(true));
    assert_eq!(c.send_type, Some(SendType::Regular));
    assert_eq!(c.group_ids.as_deref(), Some(&[1, 2][..]));
    let mobiles = c.mobile_numbers.as_ref().unwrap().pairs();
    assert_eq!(
        mobiles,
        &[
            ("sample string 1".to_owned(), 2),
            ("sample string 3".to_owned(), 4)
        ]
    );
    assert_eq!(c.restricted_group_ids.as_deref(), Some(&[1, 2][..]));
    let rc: Vec<&str> = c
        .restricted_campaign_ids
        .as_ref()
        .unwrap()
        .iter()
        .map(|g| g.as_str())
        .collect();
    assert_eq!(
        rc,
        [
            "6f4a09ad-440f-467a-b819-019554340a9e",
            "8c6936f9-8419-4d31-91b9-56014e157c3f"
        ]
    );
    assert_eq!(c.is_distinct_sending, Some(true));
    let links = c.links.as_ref().unwrap();
    assert_eq!(links.len(), 2);
    for l in links {
        assert_eq!(
            l.id.as_ref().unwrap().as_str(),
            "1306962d-c574-476a-9d82-6609031523a3"
        );
        assert_eq!(l.position, Some(2));
        assert_eq!(s(&l.url), "sample string 3");
        assert_eq!(d(&l.date_created_utc), DATE);
    }
    assert_eq!(c.scheduled_time_zone_id, Some(1));
    for date in [
        &c.scheduled_date_utc,
        &c.date_sent_utc,
        &c.date_created_utc,
        &c.date_updated_utc,
        &c.date_deleted_utc,
    ] {
        assert_eq!(d(date), DATE);
    }
    assert_eq!(c.schema_id, Some(22));
    assert_eq!(s(&c.template_id), "sample string 23");
    assert_eq!(c.campaign_type, Some(CampaignType::Template));
    let attachments = c.attachments.as_ref().unwrap();
    assert_eq!(attachments.len(), 2);
    for a in attachments {
        assert_eq!(s(&a.url), "sample string 1");
        assert_eq!(a.attachment_type, Some(AttachmentType::Image));
    }
    assert_eq!(s(&c.removal_word), "sample string 24");

    let o = c.event_info.as_ref().unwrap().order_info.as_ref().unwrap();
    if json {
        assert_eq!(o.parent_user_id, Some(1));
        assert_eq!(o.schema_id, Some(2));
        assert_eq!(o.crm_user_id, Some(3));
        assert_eq!(o.group_id, Some(4));
        assert_eq!(o.mailing_list_id, Some(5));
        assert_eq!(o.newsletter_subscription, Some(true));
        assert_eq!(s(&o.contacts_api_key), "sample string 6");
        let rows = o.items_rows.as_ref().unwrap();
        assert_eq!(rows.len(), 2);
        for row in rows {
            let products = row.products.as_ref().unwrap();
            assert_eq!(products.len(), 2);
            assert!(
                products
                    .iter()
                    .all(|p| *p == activetrail::OrderProduct::default())
            );
        }
    } else {
        assert_eq!(o.parent_user_id, None);
        assert_eq!(o.items_rows, None);
    }
    assert_eq!(s(&o.order_id), "sample string 7");
    assert_eq!(s(&o.id), "sample string 8");
    assert_eq!(s(&o.order_name), "sample string 9");
    assert_eq!(s(&o.external_id), "sample string 10");
    assert_eq!(s(&o.external_name), "sample string 11");
    assert_eq!(s(&o.first_name), "sample string 12");
    assert_eq!(s(&o.last_name), "sample string 13");
    assert_eq!(s(&o.email), "sample string 14");
    assert_eq!(s(&o.mobile), "sample string 15");
    assert_eq!(o.net_amount, Some(16.1));
    assert_eq!(o.tax, Some(17.1));
    assert_eq!(s(&o.coupon), "sample string 18");
    assert_eq!(o.quantity, Some(19.1));
    assert_eq!(o.total_amount, Some(20.1));
    assert_eq!(s(&o.address), "sample string 21");
    assert_eq!(s(&o.city), "sample string 22");
    assert_eq!(s(&o.url), "sample string 23");
    assert_eq!(d(&o.purchase_date), DATE);
    assert_eq!(d(&o.last_update), DATE);
    assert_eq!(s(&o.purchase_type), "sample string 24");
    assert_eq!(o.store_id, Some(25));
    assert_eq!(s(&o.location_type), "Unknown");
    let ext = [
        &o.ext1, &o.ext2, &o.ext3, &o.ext4, &o.ext5, &o.ext6, &o.ext7, &o.ext8, &o.ext9, &o.ext10,
    ];
    for (i, e) in ext.iter().enumerate() {
        assert_eq!(s(e), format!("sample string {}", 26 + i));
    }
    for n in [o.num1, o.num2, o.num3, o.num4, o.num5] {
        assert_eq!(n, Some(1));
    }
    for date in [&o.date1, &o.date2, &o.date3] {
        assert_eq!(d(date), DATE);
    }
    let products = o.products.as_ref().unwrap();
    assert_eq!(products.len(), 2);
    for p in products {
        assert_eq!(s(&p.id), "sample string 1");
        if json {
            assert_eq!(s(&p.product_name), "sample string 2");
        } else {
            assert_eq!(p.product_name, None);
        }
        assert_eq!(s(&p.name), "sample string 2");
        assert_eq!(s(&p.description), "sample string 3");
        assert_eq!(s(&p.sku), "sample string 4");
        assert_eq!(s(&p.product_type), "sample string 5");
        assert_eq!(s(&p.category), "sample string 6");
        assert_eq!(s(&p.brand), "sample string 7");
        assert_eq!(s(&p.color), "sample string 8");
        assert_eq!(s(&p.size), "sample string 9");
        assert_eq!(p.weight, Some(10.1));
        assert_eq!(p.quantity, Some(11.1));
        assert_eq!(p.total_amount, Some(12.1));
        assert_eq!(p.unit_price, Some(13.1));
        assert_eq!(p.shipping_price, Some(14.1));
        assert_eq!(p.discount, Some(15.1));
        assert_eq!(p.tax, Some(16.1));
        assert_eq!(d(&p.event_date), DATE);
        assert_eq!(d(&p.scheduled_date), DATE);
        assert_eq!(d(&p.pickup_date), DATE);
        assert_eq!(s(&p.coupon), "sample string 17");
        assert_eq!(p.total_price, Some(18.1));
        assert_eq!(s(&p.image), "sample string 19");
    }
}
