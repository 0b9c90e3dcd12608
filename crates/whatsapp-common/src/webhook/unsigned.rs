//! The checks for a vendor that signs its callbacks with nothing: a
//! shared secret, an address allow-list, and the intake built on them.

use std::marker::PhantomData;
use std::net::IpAddr;
use std::time::SystemTime;

use super::{Intake, SecretIn, SharedSecret, WebhookError, WebhookRequest};
use crate::DecodeError;
use crate::events::Event;

/// The checks for a vendor that signs nothing: a [`SharedSecret`] where
/// the callback carries it, an [`IpAllowList`] of the vendor's addresses,
/// or both. A vendor crate's intake runs them.
///
/// ```
/// use whatsapp_common::webhook::{SecretIn, SharedSecret, UnsignedChecks, WebhookRequest};
///
/// let checks = UnsignedChecks::secret(SharedSecret::new("s3cret"), SecretIn::Query("token".into()));
/// let ok = WebhookRequest::new("https://example.com/hook?token=s3cret", &[], b"{}");
/// assert!(checks.check(&ok).is_ok());
/// let forged = WebhookRequest::new("https://example.com/hook?token=guess", &[], b"{}");
/// assert!(checks.check(&forged).is_err());
/// ```
#[derive(Debug, Clone)]
pub struct UnsignedChecks {
    secret: Option<(SharedSecret, SecretIn)>,
    allow: Option<IpAllowList>,
}

impl UnsignedChecks {
    /// Requires `secret` where `place` says.
    pub fn secret(secret: SharedSecret, place: SecretIn) -> Self {
        Self {
            secret: Some((secret, place)),
            allow: None,
        }
    }

    /// Requires the peer's address to be on `list`, and no secret.
    pub fn addresses(list: IpAllowList) -> Self {
        Self {
            secret: None,
            allow: Some(list),
        }
    }

    /// Also requires the peer's address to be on `list`.
    #[must_use]
    pub fn allow_addresses(mut self, list: IpAllowList) -> Self {
        self.allow = Some(list);
        self
    }

    /// Runs the checks on `request`: the secret first, then the address.
    pub fn check(&self, request: &WebhookRequest<'_>) -> Result<(), WebhookError> {
        if let Some((secret, place)) = &self.secret {
            let presented = match place {
                SecretIn::Query(name) => query_value(request.url, name),
                SecretIn::Header(name) => request.header(name).map(str::to_owned),
            };
            secret.check(presented.as_deref())?;
        }
        match &self.allow {
            Some(allow) => allow.check(request),
            None => Ok(()),
        }
    }
}

/// How one vendor's unsigned callbacks read: the vendor crate's name and
/// how one body reads as an [`Event`]. A vendor crate implements it on a
/// marker type and names its intake `UnsignedIntake<ThatMarker>`.
pub trait UnsignedFormat: Send + Sync + 'static {
    /// The vendor crate's name, as in [`Event`]s.
    const VENDOR: &'static str;

    /// Reads one verified body as the event it carries.
    fn decode(body: &[u8]) -> Result<Event, DecodeError>;
}

/// The [`Intake`] of a vendor that signs nothing: [`UnsignedChecks`] on
/// each request, then the vendor's [`UnsignedFormat`] on its body.
///
/// ```
/// use std::time::SystemTime;
/// use whatsapp_common::DecodeError;
/// use whatsapp_common::events::Event;
/// use whatsapp_common::webhook::{Intake, SecretIn, SharedSecret, UnsignedFormat, UnsignedIntake, WebhookRequest};
///
/// #[derive(Debug, Clone)]
/// struct Acme;
/// impl UnsignedFormat for Acme {
///     const VENDOR: &'static str = "acme";
///     fn decode(body: &[u8]) -> Result<Event, DecodeError> {
///         let raw = DecodeError::json(200, body, false)?;
///         Ok(Event::Other { vendor: "acme", kind: None, raw })
///     }
/// }
///
/// let intake = UnsignedIntake::<Acme>::new(SharedSecret::new("s3cret"), SecretIn::Header("X-Token".into()));
/// let headers = [("X-Token", "s3cret")];
/// assert!(intake.verify(&WebhookRequest::new("https://example.com/hook", &headers, b"{}"), SystemTime::now()).is_ok());
/// assert!(intake.verify(&WebhookRequest::new("https://example.com/hook", &[], b"{}"), SystemTime::now()).is_err());
/// ```
pub struct UnsignedIntake<F> {
    checks: UnsignedChecks,
    format: PhantomData<fn() -> F>,
}

// By hand, so that neither asks anything of the marker type `F`.
impl<F> Clone for UnsignedIntake<F> {
    fn clone(&self) -> Self {
        Self::from_checks(self.checks.clone())
    }
}

impl<F> std::fmt::Debug for UnsignedIntake<F> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("UnsignedIntake")
            .field("checks", &self.checks)
            .finish_non_exhaustive()
    }
}

impl<F> UnsignedIntake<F> {
    /// Accepts callbacks carrying `secret` where `place` says (a query
    /// parameter of the callback URL, or a header).
    pub fn new(secret: SharedSecret, place: SecretIn) -> Self {
        Self::from_checks(UnsignedChecks::secret(secret, place))
    }

    /// Accepts callbacks from the addresses `list` allows, with no secret.
    pub fn from_addresses(list: IpAllowList) -> Self {
        Self::from_checks(UnsignedChecks::addresses(list))
    }

    /// Also requires the peer's address to be on `list`.
    #[must_use]
    pub fn allow_addresses(self, list: IpAllowList) -> Self {
        Self::from_checks(self.checks.allow_addresses(list))
    }

    /// Runs `checks` on each request.
    pub fn from_checks(checks: UnsignedChecks) -> Self {
        Self {
            checks,
            format: PhantomData,
        }
    }
}

impl<F: UnsignedFormat> Intake for UnsignedIntake<F> {
    fn vendor(&self) -> &'static str {
        F::VENDOR
    }

    fn verify(
        &self,
        request: &WebhookRequest<'_>,
        _now: SystemTime,
    ) -> Result<Option<String>, WebhookError> {
        self.checks.check(request).map(|()| None)
    }

    fn decode(&self, body: &[u8]) -> Result<Vec<Event>, DecodeError> {
        Ok(vec![F::decode(body)?])
    }
}

/// The value of query parameter `name` in `url`, percent-decoded.
fn query_value(url: &str, name: &str) -> Option<String> {
    let query = url.split_once('?')?.1;
    let query = query.split('#').next().unwrap_or_default();
    query.split('&').find_map(|pair| {
        let (k, v) = pair.split_once('=').unwrap_or((pair, ""));
        (k == name).then(|| percent_decode(v))
    })
}

/// `%XX` escapes and `+` decoded; a malformed escape is kept as it is.
fn percent_decode(s: &str) -> String {
    let bytes = s.as_bytes();
    let hex = |b: Option<&u8>| b.and_then(|b| (*b as char).to_digit(16));
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        match (bytes[i], hex(bytes.get(i + 1)), hex(bytes.get(i + 2))) {
            (b'%', Some(h), Some(l)) => {
                out.push((h * 16 + l) as u8);
                i += 3;
                continue;
            }
            (b'+', _, _) => out.push(b' '),
            (b, _, _) => out.push(b),
        }
        i += 1;
    }
    String::from_utf8_lossy(&out).into_owned()
}

/// The addresses a vendor's callbacks may come from: single addresses and
/// CIDR ranges, IPv4 and IPv6. A request whose peer is unknown is refused.
///
/// ```
/// use whatsapp_common::webhook::IpAllowList;
///
/// let list = IpAllowList::parse(["203.0.113.0/24", "2001:db8::1"])?;
/// assert!(list.allows("203.0.113.77".parse()?));
/// assert!(!list.allows("198.51.100.1".parse()?));
/// assert!(list.allows("2001:db8::1".parse()?));
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct IpAllowList {
    ranges: Vec<(IpAddr, u8)>,
}

impl IpAllowList {
    /// Parses `entries`, each an address (`203.0.113.7`) or a range
    /// (`203.0.113.0/24`, `2001:db8::/32`). An entry that is neither is
    /// refused with a message naming it.
    pub fn parse<I, S>(entries: I) -> Result<Self, String>
    where
        I: IntoIterator<Item = S>,
        S: AsRef<str>,
    {
        let mut ranges = Vec::new();
        for entry in entries {
            let entry = entry.as_ref().trim();
            let (addr, bits) = match entry.split_once('/') {
                Some((a, b)) => (a, Some(b)),
                None => (entry, None),
            };
            let addr: IpAddr = addr
                .parse()
                .map_err(|_| format!("{entry:?} is not an IP address or CIDR range"))?;
            let max = if addr.is_ipv4() { 32 } else { 128 };
            let bits =
                match bits {
                    None => max,
                    Some(b) => b.parse::<u8>().ok().filter(|b| *b <= max).ok_or_else(|| {
                        format!("{entry:?}: the prefix length must be 0 to {max}")
                    })?,
                };
            ranges.push((addr, bits));
        }
        Ok(Self { ranges })
    }

    /// Whether `addr` is on the list. An IPv4-mapped IPv6 address
    /// (`::ffff:203.0.113.7`) is taken as its IPv4 address.
    pub fn allows(&self, addr: IpAddr) -> bool {
        let addr = match addr {
            IpAddr::V6(v6) => v6.to_ipv4_mapped().map_or(addr, IpAddr::V4),
            v4 => v4,
        };
        self.ranges
            .iter()
            .any(|(net, bits)| in_range(addr, *net, *bits))
    }

    /// `Ok` when the request's peer is on the list;
    /// [`WebhookError::AddressNotAllowed`] when it is not, or is unknown.
    pub fn check(&self, request: &WebhookRequest<'_>) -> Result<(), WebhookError> {
        match request.remote_addr {
            Some(addr) if self.allows(addr) => Ok(()),
            _ => Err(WebhookError::AddressNotAllowed),
        }
    }
}

fn in_range(addr: IpAddr, net: IpAddr, bits: u8) -> bool {
    let (a, n, width) = match (addr, net) {
        (IpAddr::V4(a), IpAddr::V4(n)) => (u128::from(u32::from(a)), u128::from(u32::from(n)), 32),
        (IpAddr::V6(a), IpAddr::V6(n)) => (u128::from(a), u128::from(n), 128),
        _ => return false,
    };
    if bits == 0 {
        return true;
    }
    let shift = width - u32::from(bits);
    (a >> shift) == (n >> shift)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A marker with no derives: the intake is still `Clone` and `Debug`.
    struct Plain;

    impl UnsignedFormat for Plain {
        const VENDOR: &'static str = "plain";
        fn decode(body: &[u8]) -> Result<Event, DecodeError> {
            let raw = DecodeError::json(200, body, false)?;
            Ok(Event::Other {
                vendor: Self::VENDOR,
                kind: None,
                raw,
            })
        }
    }

    #[test]
    fn an_intake_never_shows_its_secret() {
        let list = IpAllowList::parse(["203.0.113.0/24"]).unwrap();
        let intake = UnsignedIntake::<Plain>::new(
            SharedSecret::new("hunter2-token"),
            SecretIn::Header("X-Token".into()),
        )
        .allow_addresses(list);
        let shown = format!("{intake:?} {:?}", intake.clone());
        assert!(!shown.contains("hunter2"), "{shown}");
        assert!(
            shown.contains("X-Token") && shown.contains("203.0.113.0"),
            "{shown}"
        );
        assert_eq!(intake.vendor(), "plain");
    }

    #[test]
    fn query_values_are_found_and_decoded() {
        let url = "https://x/y?a=1&token=a%2Bb%20c+d&b";
        assert_eq!(query_value(url, "token").as_deref(), Some("a+b c d"));
        assert_eq!(query_value(url, "b").as_deref(), Some(""));
        assert_eq!(query_value(url, "c"), None);
        assert_eq!(query_value("https://x/y", "token"), None);
        assert_eq!(
            query_value("https://x/y?token=v#frag", "token").as_deref(),
            Some("v")
        );
        assert_eq!(percent_decode("%zz%4"), "%zz%4");
        assert_eq!(percent_decode("%E2%9C%93"), "✓");
    }

    #[test]
    fn the_allow_list_matches_ranges_on_both_sides() {
        let list = IpAllowList::parse(["10.1.0.0/16", "192.0.2.5", "2001:db8::/32"]).unwrap();
        let allows = |a: &str| list.allows(a.parse().unwrap());
        assert!(allows("10.1.0.0") && allows("10.1.255.255"));
        assert!(!allows("10.0.255.255") && !allows("10.2.0.0"));
        assert!(allows("192.0.2.5") && !allows("192.0.2.6"));
        assert!(allows("2001:db8:ffff::1") && !allows("2001:db9::1"));
        assert!(allows("::ffff:10.1.2.3"), "IPv4-mapped");
        assert!(
            IpAllowList::parse(["0.0.0.0/0"])
                .unwrap()
                .allows("8.8.8.8".parse().unwrap())
        );
        for bad in ["10.0.0.0/33", "::/129", "host.example", "10.0.0.0/x"] {
            assert!(IpAllowList::parse([bad]).is_err(), "{bad}");
        }
        let unknown = WebhookRequest::new("u", &[], b"");
        assert_eq!(list.check(&unknown), Err(WebhookError::AddressNotAllowed));
        let known = unknown.from_addr("10.1.2.3".parse().unwrap());
        assert_eq!(list.check(&known), Ok(()));
    }
}
