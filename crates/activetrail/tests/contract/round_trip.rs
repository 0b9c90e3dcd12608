//! Round trips with generated values: request → XML → request, and
//! response → XML → response → XML, lose nothing, whatever the strings hold.

use activetrail::xml::parse;
use activetrail::{
    Attachment, AttachmentType, Campaign, CampaignLink, Client, DotNetDateTime, EventInfo, Format,
    Guid, KeyValues, OperationalMessage, OrderInfo, OrderProduct, ReceivedMessage, Scheduling,
    SendResponse, SendType, StatusType, TemplateRef,
};
use whatsapp_common::hostile::Hostile;

/// A deterministic generator (the hostile-input one's xorshift), so
/// failures reproduce.
struct Gen(Hostile);

impl Gen {
    fn new(seed: u64) -> Self {
        Self(Hostile::new(seed))
    }
    fn next(&mut self) -> u64 {
        self.0.next_u64()
    }
    fn below(&mut self, n: u64) -> u64 {
        self.0.below(n as usize) as u64
    }
    fn bool(&mut self) -> bool {
        self.next() & 1 == 1
    }
    /// Strings that need escaping or are otherwise awkward: markup, quotes,
    /// Hebrew, emoji, CR/LF, tabs, leading and trailing spaces.
    fn string(&mut self) -> String {
        const PIECES: &[&str] = &[
            "<", ">", "&", "&amp;", "\"", "'", "]]>", "שלום", "עולם", "😀", "👍🏽", "\r\n", "\r",
            "\n", "\t", " ", "  x  ", "abc", "123", "=", ",", "/", "\\", "\u{a0}", "\u{FFFD}", "ä",
            "中文",
        ];
        let n = self.below(6) as usize;
        (0..n)
            .map(|_| PIECES[self.below(PIECES.len() as u64) as usize])
            .collect()
    }
    fn non_empty(&mut self) -> String {
        let s = self.string();
        if s.trim().is_empty() {
            format!("v{s}x")
        } else {
            s
        }
    }
    fn opt<T>(&mut self, f: impl FnOnce(&mut Self) -> T) -> Option<T> {
        if self.below(4) == 0 {
            None
        } else {
            Some(f(self))
        }
    }
    /// Maybe a list of fewer than `n` items.
    fn list<T>(&mut self, n: u64, mut item: impl FnMut(&mut Self) -> T) -> Option<Vec<T>> {
        self.opt(|g| (0..g.below(n)).map(|_| item(g)).collect())
    }
    fn date(&mut self) -> DotNetDateTime {
        DotNetDateTime::from_unix_utc(self.below(4_000_000_000) as i64)
    }
    fn guid(&mut self) -> Guid {
        let hex = format!("{:016x}{:016x}", self.next(), self.next());
        Guid::parse(&format!(
            "{}-{}-{}-{}-{}",
            &hex[0..8],
            &hex[8..12],
            &hex[12..16],
            &hex[16..20],
            &hex[20..32]
        ))
        .unwrap()
    }
    fn float(&mut self) -> f64 {
        (self.below(2_000_000) as f64 - 1_000_000.0) / 10.0
    }
    fn int(&mut self) -> i64 {
        self.next() as i64
    }
}

fn message(g: &mut Gen) -> OperationalMessage {
    let mut t = TemplateRef::new(g.non_empty());
    for _ in 0..g.below(4) {
        t = t.variable(g.non_empty(), g.string());
    }
    let mut b = OperationalMessage::template(1 + g.below(1000) as i64, t);
    for _ in 0..1 + g.below(3) {
        b = b.to(format!("+97250{:07}", g.below(10_000_000)).parse().unwrap());
    }
    if g.bool() {
        b = b.name(g.non_empty());
    }
    if g.bool() {
        b = b.content(g.non_empty());
    }
    if g.bool() {
        b = b.scheduling(Scheduling::new(g.bool(), g.opt(Gen::date)));
    }
    b.build().unwrap()
}

#[test]
fn requests_survive_xml_and_read_the_same_as_json() {
    let json = Client::builder("t").format(Format::Json).build().unwrap();
    let xml = Client::builder("t").format(Format::Xml).build().unwrap();
    let mut g = Gen::new(0x9E37_79B9_7F4A_7C15);
    for case in 0..300 {
        let m = message(&mut g);
        let from_xml = ReceivedMessage::from_xml(&xml.encode(&m).unwrap())
            .unwrap_or_else(|e| panic!("case {case}: {e}"));
        let from_json = ReceivedMessage::from_json(&json.encode(&m).unwrap()).unwrap();
        assert_eq!(from_xml, from_json, "case {case}");
        // And what was read is what was built.
        let t = from_xml.template.as_ref().unwrap();
        assert_eq!(t.id.as_deref(), Some(m.template_ref().unwrap().id()));
        assert_eq!(
            t.variables
                .as_ref()
                .map(|v| v.pairs().to_vec())
                .unwrap_or_default(),
            m.template_ref().unwrap().variables()
        );
        assert_eq!(
            from_xml.design.as_ref().and_then(|d| d.content.as_deref()),
            m.content_text()
        );
    }
}

fn product(g: &mut Gen) -> OrderProduct {
    let mut p = OrderProduct::default();
    p.id = g.opt(Gen::string);
    p.name = g.opt(Gen::string);
    p.description = g.opt(Gen::string);
    p.sku = g.opt(Gen::string);
    p.product_type = g.opt(Gen::string);
    p.brand = g.opt(Gen::string);
    p.weight = g.opt(Gen::float);
    p.unit_price = g.opt(Gen::float);
    p.event_date = g.opt(Gen::date);
    p.image = g.opt(Gen::string);
    p
}

fn link(g: &mut Gen) -> CampaignLink {
    let mut l = CampaignLink::default();
    l.id = g.opt(Gen::guid);
    l.position = g.opt(Gen::int);
    l.url = g.opt(Gen::string);
    l.date_created_utc = g.opt(Gen::date);
    l
}

fn attachment(g: &mut Gen) -> Attachment {
    let mut a = Attachment::default();
    a.url = g.opt(Gen::string);
    a.attachment_type = g.opt(|_| AttachmentType::Image);
    a
}

fn order_info(g: &mut Gen) -> OrderInfo {
    let mut o = OrderInfo::default();
    o.order_id = g.opt(Gen::string);
    o.first_name = g.opt(Gen::string);
    o.net_amount = g.opt(Gen::float);
    o.ext10 = g.opt(Gen::string);
    o.num3 = g.opt(Gen::int);
    o.date2 = g.opt(Gen::date);
    o.location_type = g.opt(Gen::string);
    o.products = g.list(3, product);
    o
}

fn response(g: &mut Gen) -> SendResponse {
    let mut c = Campaign::default();
    c.id = g.opt(Gen::guid);
    c.parent_user_id = g.opt(Gen::int);
    c.from_name = g.opt(Gen::string);
    c.content = g.opt(Gen::string);
    c.is_deleted = g.opt(Gen::bool);
    c.total_sent = g.opt(Gen::int);
    c.status_type = g.opt(|g| {
        if g.bool() {
            StatusType::None
        } else {
            StatusType::Other("Sent".into())
        }
    });
    c.send_type = g.opt(|_| SendType::Regular);
    c.group_ids = g.list(4, Gen::int);
    c.mobile_numbers = g.list(4, |g| (g.string(), g.int())).map(KeyValues);
    c.restricted_campaign_ids = g.list(3, Gen::guid);
    c.links = g.list(3, link);
    c.date_sent_utc = g.opt(Gen::date);
    c.attachments = g.list(3, attachment);
    c.event_info = g.opt(|g| {
        let mut e = EventInfo::default();
        e.order_info = g.opt(order_info);
        e
    });
    let mut r = SendResponse::default();
    r.campaign = g.opt(|_| c);
    r.send_type_name = g.opt(Gen::string);
    r.status_name = g.opt(Gen::string);
    r.status_date = g.opt(Gen::date);
    r
}

#[test]
fn responses_survive_xml_both_ways() {
    let mut g = Gen::new(0xD1B5_4A32_D192_ED03);
    for case in 0..300 {
        let r = response(&mut g);
        let xml = r.to_xml();
        let back = SendResponse::from_xml(xml.as_bytes())
            .unwrap_or_else(|e| panic!("case {case}: {e}\n{xml}"));
        assert_eq!(back, r, "case {case}\n{xml}");
        let again = back.to_xml();
        let (a, b) = (
            parse(xml.as_bytes()).unwrap(),
            parse(again.as_bytes()).unwrap(),
        );
        assert_eq!(a.diff(&b), None, "case {case}");
    }
}
