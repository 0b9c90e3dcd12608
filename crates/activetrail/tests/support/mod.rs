//! Shared by the contract, conformance and validation tests and the bench:
//! fixtures, clients, the documented values.
#![allow(clippy::unwrap_used, dead_code, unreachable_pub)]

use std::fmt::Display;
use std::time::Duration;

use activetrail::{
    ApiError, AttachmentType, CampaignType, Client, ClientBuilder, DotNetDateTime, Error, Format,
    OperationalMessage, OrderProduct, Scheduling, SendResponse, SendType, StatusType, TemplateRef,
    VendorError,
};
use whatsapp_common::mock::fast_retries;

/// The token the test clients carry.
pub const TOKEN: &str = "0XTEST-TOKEN";

/// A fixture file's text, from `fixtures/activetrail/`.
pub fn fixture(name: &str) -> String {
    whatsapp_common::mock::fixture("activetrail", name)
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

/// The documented JSON request with [`MOBILE_1`] and [`MOBILE_2`] for its
/// sample mobiles: what [`documented_message`] sends.
pub fn documented_request_json() -> serde_json::Value {
    let mut expected = whatsapp_common::mock::fixture_json("activetrail", "send_request.json");
    expected["segment"]["mobiles"] = serde_json::json!([MOBILE_1, MOBILE_2]);
    expected
}

/// The documented XML request with [`MOBILE_1`] and [`MOBILE_2`] for its
/// sample mobiles: what [`documented_message`] sends.
pub fn documented_request_xml() -> String {
    fixture("send_request.xml")
        .replace(
            "sample string 1</d3p1:string>",
            &format!("{MOBILE_1}</d3p1:string>"),
        )
        .replace(
            "sample string 2</d3p1:string>",
            &format!("{MOBILE_2}</d3p1:string>"),
        )
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
        .retry_policy(fast_retries())
}

/// The refusal `err` is; panics with `err` when it is anything else.
pub fn refusal(err: &Error) -> &VendorError<ApiError> {
    err.vendor()
        .unwrap_or_else(|| panic!("not a refusal: {err:?}"))
}

/// A member's value as text, as the samples write it.
trait Shown {
    fn shown(&self) -> Option<String>;
}

impl<T: Display> Shown for Option<T> {
    fn shown(&self) -> Option<String> {
        self.as_ref().map(T::to_string)
    }
}

/// Asserts every value of the documented response sample. `json` says
/// whether the JSON sample (which has members the XML one lacks) was read.
pub fn assert_documented_response(r: &SendResponse, json: bool) {
    let c = r.campaign.as_ref().unwrap();
    let o = c.event_info.as_ref().unwrap().order_info.as_ref().unwrap();
    // The sample lists two of each, alike.
    let [l, l2] = c.links.as_deref().unwrap() else {
        panic!("two links")
    };
    let [a, a2] = c.attachments.as_deref().unwrap() else {
        panic!("two attachments")
    };
    let [p, p2] = o.products.as_deref().unwrap() else {
        panic!("two products")
    };
    assert_eq!((l, a, p), (l2, a2, p2));

    // Every member with one value, as the sample writes it.
    const DATE: &str = "2016-12-24T14:12:12";
    let members: &[(&str, &dyn Shown, &str)] = &[
        ("send_type_name", &r.send_type_name, "sample string 1"),
        ("status_name", &r.status_name, "sample string 2"),
        ("status_date", &r.status_date, DATE),
        ("handled_date", &r.handled_date, DATE),
        ("id", &c.id, "31203993-a781-4163-95dd-ae3bfa386fc4"),
        ("parentuserid", &c.parent_user_id, "2"),
        ("fromname", &c.from_name, "sample string 3"),
        ("fromnumber", &c.from_number, "sample string 4"),
        ("name", &c.name, "sample string 5"),
        ("content", &c.content, "sample string 6"),
        ("isdeleted", &c.is_deleted, "true"),
        ("totalsent", &c.total_sent, "8"),
        ("totalsucceeded", &c.total_succeeded, "9"),
        ("totalopens", &c.total_opens, "10"),
        ("totalfailed", &c.total_failed, "11"),
        ("canunsubscribe", &c.can_unsubscribe, "true"),
        ("totalunsubscribed", &c.total_unsubscribed, "13"),
        ("unsubscribetext", &c.unsubscribe_text, "sample string 14"),
        ("totalcredits", &c.total_credits, "15"),
        ("wizardmaxstep", &c.wizard_max_step, "64"),
        ("wizardcurrentstep", &c.wizard_current_step, "64"),
        ("sendingprofileid", &c.sending_profile_id, "16"),
        ("totalclicks", &c.total_clicks, "17"),
        ("totaluniqueclicks", &c.total_unique_clicks, "18"),
        ("islinktracking", &c.is_link_tracking, "true"),
        ("isdistinctsending", &c.is_distinct_sending, "true"),
        ("links.id", &l.id, "1306962d-c574-476a-9d82-6609031523a3"),
        ("links.position", &l.position, "2"),
        ("links.url", &l.url, "sample string 3"),
        ("links.dateсreatedutc", &l.date_created_utc, DATE),
        ("scheduledtimezoneid", &c.scheduled_time_zone_id, "1"),
        ("scheduleddateutc", &c.scheduled_date_utc, DATE),
        ("datesentutc", &c.date_sent_utc, DATE),
        ("datecreatedutc", &c.date_created_utc, DATE),
        ("dateupdatedutc", &c.date_updated_utc, DATE),
        ("datedeletedutc", &c.date_deleted_utc, DATE),
        ("schemaid", &c.schema_id, "22"),
        ("templateid", &c.template_id, "sample string 23"),
        ("attachments.Url", &a.url, "sample string 1"),
        ("removalword", &c.removal_word, "sample string 24"),
        ("orderinfo.parentuserid", &o.parent_user_id, "1"),
        ("orderinfo.schemaid", &o.schema_id, "2"),
        ("crmuserid", &o.crm_user_id, "3"),
        ("groupid", &o.group_id, "4"),
        ("mailinglistid", &o.mailing_list_id, "5"),
        ("newslettersubscription", &o.newsletter_subscription, "true"),
        ("contactsapikey", &o.contacts_api_key, "sample string 6"),
        ("Orderid", &o.order_id, "sample string 7"),
        ("Id", &o.id, "sample string 8"),
        ("ordername", &o.order_name, "sample string 9"),
        ("externalid", &o.external_id, "sample string 10"),
        ("externalname", &o.external_name, "sample string 11"),
        ("firstname", &o.first_name, "sample string 12"),
        ("lastname", &o.last_name, "sample string 13"),
        ("email", &o.email, "sample string 14"),
        ("mobile", &o.mobile, "sample string 15"),
        ("netamount", &o.net_amount, "16.1"),
        ("tax", &o.tax, "17.1"),
        ("coupon", &o.coupon, "sample string 18"),
        ("quantity", &o.quantity, "19.1"),
        ("totalamount", &o.total_amount, "20.1"),
        ("address", &o.address, "sample string 21"),
        ("city", &o.city, "sample string 22"),
        ("products.id", &p.id, "sample string 1"),
        ("products.productname", &p.product_name, "sample string 2"),
        ("products.name", &p.name, "sample string 2"),
        ("products.description", &p.description, "sample string 3"),
        ("products.sku", &p.sku, "sample string 4"),
        ("products.type", &p.product_type, "sample string 5"),
        ("products.category", &p.category, "sample string 6"),
        ("products.brand", &p.brand, "sample string 7"),
        ("products.color", &p.color, "sample string 8"),
        ("products.size", &p.size, "sample string 9"),
        ("products.weight", &p.weight, "10.1"),
        ("products.quantity", &p.quantity, "11.1"),
        ("products.totalamount", &p.total_amount, "12.1"),
        ("products.unitprice", &p.unit_price, "13.1"),
        ("products.shippingprice", &p.shipping_price, "14.1"),
        ("products.discount", &p.discount, "15.1"),
        ("products.tax", &p.tax, "16.1"),
        ("products.eventdate", &p.event_date, DATE),
        ("products.scheduleddate", &p.scheduled_date, DATE),
        ("products.pickupdate", &p.pickup_date, DATE),
        ("products.coupon", &p.coupon, "sample string 17"),
        ("products.totalprice", &p.total_price, "18.1"),
        ("products.image", &p.image, "sample string 19"),
        ("url", &o.url, "sample string 23"),
        ("purchasedate", &o.purchase_date, DATE),
        ("lastupdate", &o.last_update, DATE),
        ("purchasetype", &o.purchase_type, "sample string 24"),
        ("storeid", &o.store_id, "25"),
        ("locationType", &o.location_type, "Unknown"),
        ("ext1", &o.ext1, "sample string 26"),
        ("ext2", &o.ext2, "sample string 27"),
        ("ext3", &o.ext3, "sample string 28"),
        ("ext4", &o.ext4, "sample string 29"),
        ("ext5", &o.ext5, "sample string 30"),
        ("ext6", &o.ext6, "sample string 31"),
        ("ext7", &o.ext7, "sample string 32"),
        ("ext8", &o.ext8, "sample string 33"),
        ("ext9", &o.ext9, "sample string 34"),
        ("ext10", &o.ext10, "sample string 35"),
        ("num1", &o.num1, "1"),
        ("num2", &o.num2, "1"),
        ("num3", &o.num3, "1"),
        ("num4", &o.num4, "1"),
        ("num5", &o.num5, "1"),
        ("Date1", &o.date1, DATE),
        ("Date2", &o.date2, DATE),
        ("Date3", &o.date3, DATE),
    ];
    // Members only the JSON sample has: the XML one lacks them.
    let json_only = [
        "orderinfo.parentuserid",
        "orderinfo.schemaid",
        "crmuserid",
        "groupid",
        "mailinglistid",
        "newslettersubscription",
        "contactsapikey",
        "products.productname",
    ];
    for (name, value, want) in members {
        let want = (json || !json_only.contains(name)).then_some(*want);
        assert_eq!(value.shown().as_deref(), want, "{name}");
    }

    assert_eq!(c.status_type, Some(StatusType::None));
    assert_eq!(c.send_type, Some(SendType::Regular));
    assert_eq!(c.campaign_type, Some(CampaignType::Template));
    assert_eq!(a.attachment_type, Some(AttachmentType::Image));
    assert_eq!(c.group_ids.as_deref(), Some(&[1, 2][..]));
    assert_eq!(c.restricted_group_ids.as_deref(), Some(&[1, 2][..]));
    assert_eq!(
        c.mobile_numbers.as_ref().unwrap().pairs(),
        &[
            ("sample string 1".to_owned(), 2),
            ("sample string 3".to_owned(), 4)
        ]
    );
    let restricted: Vec<&str> = c
        .restricted_campaign_ids
        .as_ref()
        .unwrap()
        .iter()
        .map(|g| g.as_str())
        .collect();
    assert_eq!(
        restricted,
        [
            "6f4a09ad-440f-467a-b819-019554340a9e",
            "8c6936f9-8419-4d31-91b9-56014e157c3f"
        ]
    );
    // `ItemsRows`: in the JSON sample only, two rows of two empty products.
    match &o.items_rows {
        Some(rows) => {
            assert!(json);
            assert_eq!(rows.len(), 2);
            for row in rows {
                let products = row.products.as_deref().unwrap();
                assert_eq!(products, [OrderProduct::default(), OrderProduct::default()]);
            }
        }
        None => assert!(!json),
    }
}
