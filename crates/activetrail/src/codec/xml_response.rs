//! The response written as DataContract XML, as ActiveTrail writes it
//! (feature `mock`: tests and the fuzz targets round-trip it).

use super::xml_read::ARRAYS_NS;
use super::xml_write::{Members, XmlElement as E};
use crate::model::{CAMPAIGN_NS, COMMERCE_NS, MESSAGE_NS, REPORT_NS};
use crate::{Attachment, Campaign, CampaignLink, KeyValues, OrderInfo, OrderProduct, SendResponse};

impl SendResponse {
    /// This response as DataContract XML, members in ordinal order.
    pub fn to_xml(&self) -> String {
        let mut root = Members::new(REPORT_NS);
        root.element(self.campaign.as_ref().map(campaign));
        root.text("send_type_name", &self.send_type_name);
        root.text("status_name", &self.status_name);
        root.text("status_date", &self.status_date);
        root.text("handled_date", &self.handled_date);
        root.finish("ApiWhatsAppCampaignInfoCampaign").to_document()
    }
}

fn campaign(c: &Campaign) -> E {
    let mut m = Members::new(REPORT_NS);
    m.text("Id", &c.id);
    m.text("ParentUserId", &c.parent_user_id);
    m.text("FromName", &c.from_name);
    m.text("FromNumber", &c.from_number);
    m.text("Name", &c.name);
    m.text("Content", &c.content);
    m.text("IsDeleted", &c.is_deleted);
    m.text("TotalSent", &c.total_sent);
    m.text("TotalSucceeded", &c.total_succeeded);
    m.text("TotalOpens", &c.total_opens);
    m.text("TotalFailed", &c.total_failed);
    m.text("CanUnsubscribe", &c.can_unsubscribe);
    m.text("TotalUnsubscribed", &c.total_unsubscribed);
    m.text("UnsubscribeText", &c.unsubscribe_text);
    m.text("TotalCredits", &c.total_credits);
    m.text("WizardMaxStep", &c.wizard_max_step);
    m.text("WizardCurrentStep", &c.wizard_current_step);
    m.text("StatusType", &c.status_type);
    m.text("SendingProfileId", &c.sending_profile_id);
    m.text("TotalClicks", &c.total_clicks);
    m.text("TotalUniqueClicks", &c.total_unique_clicks);
    m.text("IsLinkTracking", &c.is_link_tracking);
    m.text("SendType", &c.send_type);
    m.items("GroupIds", c.group_ids.as_deref(), long);
    m.items(
        "MobileNumbers",
        c.mobile_numbers.as_ref().map(KeyValues::pairs),
        |(k, v)| E::entry("KeyValueOfstringlong", k, v.to_string()),
    );
    m.items(
        "RestricatedGroupIds",
        c.restricted_group_ids.as_deref(),
        long,
    );
    m.items(
        "RestricatedCampaignIds",
        c.restricted_campaign_ids.as_deref(),
        |g| E::text(ARRAYS_NS, "guid", g.as_str()),
    );
    m.text("IsDistinctSending", &c.is_distinct_sending);
    m.items("Links", c.links.as_deref(), link);
    m.text("ScheduledTimeZoneId", &c.scheduled_time_zone_id);
    m.text("ScheduledDateUtc", &c.scheduled_date_utc);
    m.text("DateSentUtc", &c.date_sent_utc);
    m.text("DateCreatedUtc", &c.date_created_utc);
    m.text("DateUpdatedUtc", &c.date_updated_utc);
    m.text("DateDeletedUtc", &c.date_deleted_utc);
    m.text("SchemaId", &c.schema_id);
    m.text("TemplateId", &c.template_id);
    m.text("Type", &c.campaign_type);
    m.items("Attachments", c.attachments.as_deref(), attachment);
    m.text("RemovalWord", &c.removal_word);
    m.element(c.event_info.as_ref().map(|e| {
        let mut ev = Members::new(CAMPAIGN_NS);
        ev.element(e.order_info.as_ref().map(order_info));
        ev.finish_in(REPORT_NS, "EventInfo")
    }));
    m.finish("campaign")
}

fn long(n: &i64) -> E {
    E::text(ARRAYS_NS, "long", n.to_string())
}

fn link(l: &CampaignLink) -> E {
    let mut m = Members::new(CAMPAIGN_NS);
    m.text("Id", &l.id);
    m.text("Position", &l.position);
    m.text("Url", &l.url);
    m.text("DateCreatedUtc", &l.date_created_utc);
    m.finish("WhatsAppCampaignLink")
}

fn attachment(a: &Attachment) -> E {
    let mut m = Members::new(MESSAGE_NS);
    m.text("Type", &a.attachment_type);
    m.text("Url", &a.url);
    m.finish("WhatsAppAttachment")
}

fn order_info(o: &OrderInfo) -> E {
    let mut m = Members::new(COMMERCE_NS);
    m.text("Date1", &o.date1);
    m.text("Date2", &o.date2);
    m.text("Date3", &o.date3);
    m.text("Id", &o.id);
    m.text("OrderId", &o.order_id);
    m.text("Ordername", &o.order_name);
    m.text("address", &o.address);
    m.text("city", &o.city);
    m.text("coupon", &o.coupon);
    m.text("email", &o.email);
    m.text("ext1", &o.ext1);
    m.text("ext2", &o.ext2);
    m.text("ext3", &o.ext3);
    m.text("ext4", &o.ext4);
    m.text("ext5", &o.ext5);
    m.text("ext6", &o.ext6);
    m.text("ext7", &o.ext7);
    m.text("ext8", &o.ext8);
    m.text("ext9", &o.ext9);
    m.text("ext10", &o.ext10);
    m.text("externalid", &o.external_id);
    m.text("externalname", &o.external_name);
    m.text("firstname", &o.first_name);
    m.text("lastname", &o.last_name);
    m.text("lastupdate", &o.last_update);
    m.text("locationType", &o.location_type);
    m.text("mobile", &o.mobile);
    m.text("netamount", &o.net_amount);
    m.text("num1", &o.num1);
    m.text("num2", &o.num2);
    m.text("num3", &o.num3);
    m.text("num4", &o.num4);
    m.text("num5", &o.num5);
    m.items("products", o.products.as_deref(), product);
    m.text("purchasedate", &o.purchase_date);
    m.text("purchasetype", &o.purchase_type);
    m.text("quantity", &o.quantity);
    m.text("storeid", &o.store_id);
    m.text("tax", &o.tax);
    m.text("totalamount", &o.total_amount);
    m.text("url", &o.url);
    m.finish_in(CAMPAIGN_NS, "OrderInfo")
}

fn product(p: &OrderProduct) -> E {
    let mut m = Members::new(COMMERCE_NS);
    m.text("Brand", &p.brand);
    m.text("Category", &p.category);
    m.text("Color", &p.color);
    m.text("Coupon", &p.coupon);
    m.text("Description", &p.description);
    m.text("Discount", &p.discount);
    m.text("EventDate", &p.event_date);
    m.text("Id", &p.id);
    m.text("Image", &p.image);
    m.text("Name", &p.name);
    m.text("PickupDate", &p.pickup_date);
    m.text("Quantity", &p.quantity);
    m.text("ScheduledDate", &p.scheduled_date);
    m.text("ShippingPrice", &p.shipping_price);
    m.text("Size", &p.size);
    m.text("Sku", &p.sku);
    m.text("Tax", &p.tax);
    m.text("TotalAmount", &p.total_amount);
    m.text("TotalPrice", &p.total_price);
    m.text("Type", &p.product_type);
    m.text("UnitPrice", &p.unit_price);
    m.text("Weight", &p.weight);
    m.finish("AT3OrderProduct")
}
