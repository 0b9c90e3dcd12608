//! The `SendOperationalMessage` response.
//!
//! Field names follow the JSON sample; XML members (PascalCase) are matched
//! case-insensitively, so one set of types reads both formats. Where the
//! JSON name is not plain lowercase, the lowercase form is an alias.
//!
//! The answer is read leniently: ActiveTrail accepted the request, and its
//! help page gives types for only four of these members. Every member is
//! optional; a value that does not fit its type (a count that is not a
//! number, a GUID or a date that does not parse) is left out, as if
//! ActiveTrail had not sent it, and named in [`SendResponse::warnings`].
//! Only a body that is not JSON (or, in XML, not well-formed XML) at all
//! fails to decode. The types serialize to the JSON form.

use serde::{Deserialize, Serialize};
use whatsapp_common::{Accepted, DecodeWarning};

use super::types::{
    AttachmentType, CampaignType, DotNetDateTime, Guid, KeyValues, SendType, StatusType,
};

/// The answer to `SendOperationalMessage`: the campaign ActiveTrail created
/// for the message, and its status.
///
/// Every member is optional, and a value that does not fit its type is left
/// out rather than failing a send that went out: see
/// [`SendResponse::warnings`]. A GUID or a date that does not parse is
/// `None` (with its warning), never kept half-read.
///
/// Two answers are equal when their members are: the warnings are not
/// compared (an answer written back with `to_xml` and read again is equal
/// to it, without the values that were left out, and without warnings).
#[derive(Debug, Clone, Default, Deserialize, Serialize)]
#[serde(default)]
#[non_exhaustive]
pub struct SendResponse {
    /// `campaign`.
    pub campaign: Option<Campaign>,
    /// `send_type_name`.
    pub send_type_name: Option<String>,
    /// `status_name`.
    pub status_name: Option<String>,
    /// `status_date`.
    pub status_date: Option<DotNetDateTime>,
    /// `handled_date`.
    pub handled_date: Option<DotNetDateTime>,
    #[serde(skip)]
    warnings: Vec<DecodeWarning>,
}

impl SendResponse {
    /// The values of the answer that did not fit their type and were left
    /// out, each with its path (`campaign.totalsent` in JSON,
    /// `campaign.TotalSent` in XML), why, and the value as sent; empty for
    /// an answer as documented.
    pub fn warnings(&self) -> &[DecodeWarning] {
        &self.warnings
    }

    /// This answer with `warnings` as its warnings.
    pub(crate) fn with_warnings(self, warnings: Vec<DecodeWarning>) -> Self {
        Self { warnings, ..self }
    }
}

impl PartialEq for SendResponse {
    fn eq(&self, other: &Self) -> bool {
        // Every member but the warnings, named so that a new member is
        // not forgotten here.
        let Self {
            campaign,
            send_type_name,
            status_name,
            status_date,
            handled_date,
            warnings: _,
        } = self;
        (
            campaign,
            send_type_name,
            status_name,
            status_date,
            handled_date,
        ) == (
            &other.campaign,
            &other.send_type_name,
            &other.status_name,
            &other.status_date,
            &other.handled_date,
        )
    }
}

impl From<Accepted<SendResponse>> for SendResponse {
    fn from(accepted: Accepted<SendResponse>) -> Self {
        accepted.value.with_warnings(accepted.warnings)
    }
}

/// The campaign object: counters, flags, ids, dates, links, attachments,
/// order information.
#[derive(Debug, Clone, PartialEq, Default, Deserialize, Serialize)]
#[serde(default)]
#[non_exhaustive]
pub struct Campaign {
    /// `id`.
    pub id: Option<Guid>,
    /// `parentuserid`.
    #[serde(rename = "parentuserid")]
    pub parent_user_id: Option<i64>,
    /// `fromname`.
    #[serde(rename = "fromname")]
    pub from_name: Option<String>,
    /// `fromnumber`.
    #[serde(rename = "fromnumber")]
    pub from_number: Option<String>,
    /// `name`.
    pub name: Option<String>,
    /// `content`.
    pub content: Option<String>,
    /// `isdeleted`.
    #[serde(rename = "isdeleted")]
    pub is_deleted: Option<bool>,
    /// `totalsent`.
    #[serde(rename = "totalsent")]
    pub total_sent: Option<i64>,
    /// `totalsucceeded`.
    #[serde(rename = "totalsucceeded")]
    pub total_succeeded: Option<i64>,
    /// `totalopens`.
    #[serde(rename = "totalopens")]
    pub total_opens: Option<i64>,
    /// `totalfailed`.
    #[serde(rename = "totalfailed")]
    pub total_failed: Option<i64>,
    /// `canunsubscribe`.
    #[serde(rename = "canunsubscribe")]
    pub can_unsubscribe: Option<bool>,
    /// `totalunsubscribed`.
    #[serde(rename = "totalunsubscribed")]
    pub total_unsubscribed: Option<i64>,
    /// `unsubscribetext`.
    #[serde(rename = "unsubscribetext")]
    pub unsubscribe_text: Option<String>,
    /// `totalcredits`.
    #[serde(rename = "totalcredits")]
    pub total_credits: Option<i64>,
    /// `wizardmaxstep`.
    #[serde(rename = "wizardmaxstep")]
    pub wizard_max_step: Option<i64>,
    /// `wizardcurrentstep`.
    #[serde(rename = "wizardcurrentstep")]
    pub wizard_current_step: Option<i64>,
    /// `statustype` (number in JSON, name in XML).
    #[serde(rename = "statustype")]
    pub status_type: Option<StatusType>,
    /// `sendingprofileid`.
    #[serde(rename = "sendingprofileid")]
    pub sending_profile_id: Option<i64>,
    /// `totalclicks`.
    #[serde(rename = "totalclicks")]
    pub total_clicks: Option<i64>,
    /// `totaluniqueclicks`.
    #[serde(rename = "totaluniqueclicks")]
    pub total_unique_clicks: Option<i64>,
    /// `islinktracking`.
    #[serde(rename = "islinktracking")]
    pub is_link_tracking: Option<bool>,
    /// `sendtype` (number in JSON, name in XML).
    #[serde(rename = "sendtype")]
    pub send_type: Option<SendType>,
    /// `groupids`.
    #[serde(rename = "groupids")]
    pub group_ids: Option<Vec<i64>>,
    /// `mobilenumbers`: number → count, in order.
    #[serde(rename = "mobilenumbers")]
    pub mobile_numbers: Option<KeyValues<i64>>,
    /// `restricatedgroupids` (the API's spelling).
    #[serde(rename = "restricatedgroupids")]
    pub restricted_group_ids: Option<Vec<i64>>,
    /// `restricatedcampaignids` (the API's spelling).
    #[serde(rename = "restricatedcampaignids")]
    pub restricted_campaign_ids: Option<Vec<Guid>>,
    /// `isdistinctsending`.
    #[serde(rename = "isdistinctsending")]
    pub is_distinct_sending: Option<bool>,
    /// `links`.
    pub links: Option<Vec<CampaignLink>>,
    /// `scheduledtimezoneid`.
    #[serde(rename = "scheduledtimezoneid")]
    pub scheduled_time_zone_id: Option<i64>,
    /// `scheduleddateutc`.
    #[serde(rename = "scheduleddateutc")]
    pub scheduled_date_utc: Option<DotNetDateTime>,
    /// `datesentutc`.
    #[serde(rename = "datesentutc")]
    pub date_sent_utc: Option<DotNetDateTime>,
    /// `datecreatedutc`.
    #[serde(rename = "datecreatedutc")]
    pub date_created_utc: Option<DotNetDateTime>,
    /// `dateupdatedutc`.
    #[serde(rename = "dateupdatedutc")]
    pub date_updated_utc: Option<DotNetDateTime>,
    /// `datedeletedutc`.
    #[serde(rename = "datedeletedutc")]
    pub date_deleted_utc: Option<DotNetDateTime>,
    /// `schemaid`.
    #[serde(rename = "schemaid")]
    pub schema_id: Option<i64>,
    /// `templateid`.
    #[serde(rename = "templateid")]
    pub template_id: Option<String>,
    /// `type` (number in JSON, name in XML).
    #[serde(rename = "type")]
    pub campaign_type: Option<CampaignType>,
    /// `attachments`.
    pub attachments: Option<Vec<Attachment>>,
    /// `removalword`.
    #[serde(rename = "removalword")]
    pub removal_word: Option<String>,
    /// `eventinfo`.
    #[serde(rename = "eventinfo")]
    pub event_info: Option<EventInfo>,
}

/// A tracked link of the campaign.
#[derive(Debug, Clone, PartialEq, Default, Deserialize, Serialize)]
#[serde(default)]
#[non_exhaustive]
pub struct CampaignLink {
    /// `id`.
    pub id: Option<Guid>,
    /// `position`.
    pub position: Option<i64>,
    /// `url`.
    pub url: Option<String>,
    /// The creation date. The JSON key is spelled with a Cyrillic "с"
    /// (`dateсreatedutc`); XML's `DateCreatedUtc` is Latin. Both are read.
    #[serde(rename = "dateсreatedutc", alias = "datecreatedutc")]
    pub date_created_utc: Option<DotNetDateTime>,
}

/// An attachment (`Url`, `Type`).
#[derive(Debug, Clone, PartialEq, Default, Deserialize, Serialize)]
#[serde(default)]
#[non_exhaustive]
pub struct Attachment {
    /// `Url`.
    #[serde(rename = "Url", alias = "url")]
    pub url: Option<String>,
    /// `Type` (number in JSON, name in XML).
    #[serde(rename = "Type", alias = "type")]
    pub attachment_type: Option<AttachmentType>,
}

/// `eventinfo`.
#[derive(Debug, Clone, PartialEq, Default, Deserialize, Serialize)]
#[serde(default)]
#[non_exhaustive]
pub struct EventInfo {
    /// `orderinfo`.
    #[serde(rename = "orderinfo")]
    pub order_info: Option<OrderInfo>,
}

/// `eventinfo.orderinfo`: the commerce order behind the message.
#[derive(Debug, Clone, PartialEq, Default, Deserialize, Serialize)]
#[serde(default)]
#[non_exhaustive]
pub struct OrderInfo {
    /// `parentuserid`.
    #[serde(rename = "parentuserid")]
    pub parent_user_id: Option<i64>,
    /// `schemaid`.
    #[serde(rename = "schemaid")]
    pub schema_id: Option<i64>,
    /// `crmuserid`.
    #[serde(rename = "crmuserid")]
    pub crm_user_id: Option<i64>,
    /// `groupid`.
    #[serde(rename = "groupid")]
    pub group_id: Option<i64>,
    /// `mailinglistid`.
    #[serde(rename = "mailinglistid")]
    pub mailing_list_id: Option<i64>,
    /// `newslettersubscription`.
    #[serde(rename = "newslettersubscription")]
    pub newsletter_subscription: Option<bool>,
    /// `contactsapikey`.
    #[serde(rename = "contactsapikey")]
    pub contacts_api_key: Option<String>,
    /// `Orderid`.
    #[serde(rename = "Orderid", alias = "orderid")]
    pub order_id: Option<String>,
    /// `Id`.
    #[serde(rename = "Id", alias = "id")]
    pub id: Option<String>,
    /// `ordername`.
    #[serde(rename = "ordername")]
    pub order_name: Option<String>,
    /// `externalid`.
    #[serde(rename = "externalid")]
    pub external_id: Option<String>,
    /// `externalname`.
    #[serde(rename = "externalname")]
    pub external_name: Option<String>,
    /// `firstname`.
    #[serde(rename = "firstname")]
    pub first_name: Option<String>,
    /// `lastname`.
    #[serde(rename = "lastname")]
    pub last_name: Option<String>,
    /// `email`.
    pub email: Option<String>,
    /// `mobile`.
    pub mobile: Option<String>,
    /// `netamount`.
    #[serde(rename = "netamount")]
    pub net_amount: Option<f64>,
    /// `tax`.
    pub tax: Option<f64>,
    /// `coupon`.
    pub coupon: Option<String>,
    /// `quantity`.
    pub quantity: Option<f64>,
    /// `totalamount`.
    #[serde(rename = "totalamount")]
    pub total_amount: Option<f64>,
    /// `address`.
    pub address: Option<String>,
    /// `city`.
    pub city: Option<String>,
    /// `products`.
    pub products: Option<Vec<OrderProduct>>,
    /// `ItemsRows` (JSON only).
    #[serde(rename = "ItemsRows", alias = "itemsrows")]
    pub items_rows: Option<Vec<ItemsRow>>,
    /// `url`.
    pub url: Option<String>,
    /// `purchasedate`.
    #[serde(rename = "purchasedate")]
    pub purchase_date: Option<DotNetDateTime>,
    /// `lastupdate`.
    #[serde(rename = "lastupdate")]
    pub last_update: Option<DotNetDateTime>,
    /// `purchasetype`.
    #[serde(rename = "purchasetype")]
    pub purchase_type: Option<String>,
    /// `storeid`.
    #[serde(rename = "storeid")]
    pub store_id: Option<i64>,
    /// `locationType` (a name, e.g. `Unknown`, in both formats).
    #[serde(rename = "locationType", alias = "locationtype")]
    pub location_type: Option<String>,
    /// `ext1`.
    pub ext1: Option<String>,
    /// `ext2`.
    pub ext2: Option<String>,
    /// `ext3`.
    pub ext3: Option<String>,
    /// `ext4`.
    pub ext4: Option<String>,
    /// `ext5`.
    pub ext5: Option<String>,
    /// `ext6`.
    pub ext6: Option<String>,
    /// `ext7`.
    pub ext7: Option<String>,
    /// `ext8`.
    pub ext8: Option<String>,
    /// `ext9`.
    pub ext9: Option<String>,
    /// `ext10`.
    pub ext10: Option<String>,
    /// `num1`.
    pub num1: Option<i64>,
    /// `num2`.
    pub num2: Option<i64>,
    /// `num3`.
    pub num3: Option<i64>,
    /// `num4`.
    pub num4: Option<i64>,
    /// `num5`.
    pub num5: Option<i64>,
    /// `Date1`.
    #[serde(rename = "Date1", alias = "date1")]
    pub date1: Option<DotNetDateTime>,
    /// `Date2`.
    #[serde(rename = "Date2", alias = "date2")]
    pub date2: Option<DotNetDateTime>,
    /// `Date3`.
    #[serde(rename = "Date3", alias = "date3")]
    pub date3: Option<DotNetDateTime>,
}

/// A product of the order.
#[derive(Debug, Clone, PartialEq, Default, Deserialize, Serialize)]
#[serde(default)]
#[non_exhaustive]
pub struct OrderProduct {
    /// `id`.
    pub id: Option<String>,
    /// `productname` (JSON only).
    #[serde(rename = "productname")]
    pub product_name: Option<String>,
    /// `name`.
    pub name: Option<String>,
    /// `description`.
    pub description: Option<String>,
    /// `sku`.
    pub sku: Option<String>,
    /// `type`.
    #[serde(rename = "type")]
    pub product_type: Option<String>,
    /// `category`.
    pub category: Option<String>,
    /// `brand`.
    pub brand: Option<String>,
    /// `color`.
    pub color: Option<String>,
    /// `size`.
    pub size: Option<String>,
    /// `weight`.
    pub weight: Option<f64>,
    /// `quantity`.
    pub quantity: Option<f64>,
    /// `totalamount`.
    #[serde(rename = "totalamount")]
    pub total_amount: Option<f64>,
    /// `unitprice`.
    #[serde(rename = "unitprice")]
    pub unit_price: Option<f64>,
    /// `shippingprice`.
    #[serde(rename = "shippingprice")]
    pub shipping_price: Option<f64>,
    /// `discount`.
    pub discount: Option<f64>,
    /// `tax`.
    pub tax: Option<f64>,
    /// `eventdate`.
    #[serde(rename = "eventdate")]
    pub event_date: Option<DotNetDateTime>,
    /// `scheduleddate`.
    #[serde(rename = "scheduleddate")]
    pub scheduled_date: Option<DotNetDateTime>,
    /// `pickupdate`.
    #[serde(rename = "pickupdate")]
    pub pickup_date: Option<DotNetDateTime>,
    /// `coupon`.
    pub coupon: Option<String>,
    /// `totalprice`.
    #[serde(rename = "totalprice")]
    pub total_price: Option<f64>,
    /// `image`.
    pub image: Option<String>,
}

/// An `ItemsRows` entry (JSON only).
#[derive(Debug, Clone, PartialEq, Default, Deserialize, Serialize)]
#[serde(default)]
#[non_exhaustive]
pub struct ItemsRow {
    /// `Products`.
    #[serde(rename = "Products", alias = "products")]
    pub products: Option<Vec<OrderProduct>>,
}
