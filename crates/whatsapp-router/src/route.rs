//! Routes: which senders a message may go to, chosen by the destination's
//! country calling code and the message kind, weighted among equals.

use std::sync::Mutex;

use whatsapp_common::PhoneNumber;

/// The kind of message being routed, for routes and capabilities.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum MessageKind {
    /// Free-form text.
    Text,
    /// An approved template.
    Template,
}

impl MessageKind {
    /// `"text"` or `"template"`.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Text => "text",
            Self::Template => "template",
        }
    }
}

/// One route: the messages it takes, and the senders they go to.
///
/// A message goes to the first route that matches it. Within the route,
/// senders added with [`Route::to`] are tried in the order added; where
/// some were added with [`Route::weighted`], the first attempt goes to one
/// of those, picked by weight (smooth weighted round robin: with weights 3
/// and 1, three of every four messages start at the first), and the others
/// follow in the order added. The router's fallback route's senders come
/// after them.
///
/// ```
/// use whatsapp_router::{MessageKind, Route};
///
/// // Russian numbers to the gateway, Bird if it cannot take them.
/// let russia = Route::new("russia").country_code("7").to("gateway").to("bird");
/// // Templates split 3:1 between Bird and Huawei.
/// let templates = Route::new("templates")
///     .kind(MessageKind::Template)
///     .weighted("bird", 3)
///     .weighted("huawei", 1);
/// assert_eq!(russia.name(), "russia");
/// assert_eq!(templates.senders().collect::<Vec<_>>(), ["bird", "huawei"]);
/// ```
#[derive(Debug)]
pub struct Route {
    name: String,
    country_codes: Vec<String>,
    kind: Option<MessageKind>,
    senders: Vec<(String, u32)>,
    current: Mutex<Vec<i64>>,
}

impl Route {
    /// A route named `name` (shown in receipts and traces) that takes every
    /// message until narrowed.
    pub fn new(name: impl Into<String>) -> Self {
        Self {
            name: name.into(),
            country_codes: Vec::new(),
            kind: None,
            senders: Vec::new(),
            current: Mutex::new(Vec::new()),
        }
    }

    /// Takes only destinations with this country calling code (digits,
    /// without `+`: `"7"`, `"55"`); several calls take any of them.
    #[must_use]
    pub fn country_code(mut self, code: impl Into<String>) -> Self {
        let code: String = code.into();
        self.country_codes
            .push(code.trim_start_matches('+').to_owned());
        self
    }

    /// Takes only messages of this kind.
    #[must_use]
    pub fn kind(mut self, kind: MessageKind) -> Self {
        self.kind = Some(kind);
        self
    }

    /// Adds a sender, by its name in the router, tried after those added
    /// before it.
    #[must_use]
    pub fn to(self, sender: impl Into<String>) -> Self {
        self.add(sender.into(), 0)
    }

    /// Adds a sender that takes a share of the first attempts in
    /// proportion to `weight` (at least 1).
    #[must_use]
    pub fn weighted(self, sender: impl Into<String>, weight: u32) -> Self {
        self.add(sender.into(), weight.max(1))
    }

    fn add(mut self, sender: String, weight: u32) -> Self {
        self.senders.push((sender, weight));
        self.current.get_mut().map(|c| c.push(0)).ok();
        self
    }

    /// The route's name.
    pub fn name(&self) -> &str {
        &self.name
    }

    /// The senders' names, in the order added.
    pub fn senders(&self) -> impl Iterator<Item = &str> {
        self.senders.iter().map(|(s, _)| s.as_str())
    }

    pub(crate) fn matches(&self, to: &PhoneNumber, kind: MessageKind) -> bool {
        (self.country_codes.is_empty() || self.country_codes.iter().any(|c| c == to.country_code()))
            && self.kind.is_none_or(|k| k == kind)
    }

    /// The route's senders (indexes into its list) for one message: the
    /// weighted pick first, then the rest in the order added.
    pub(crate) fn order(&self) -> Vec<usize> {
        let first = self.pick();
        let mut order = Vec::with_capacity(self.senders.len());
        order.extend(first);
        order.extend((0..self.senders.len()).filter(|i| Some(*i) != first));
        order
    }

    /// Smooth weighted round robin among the weighted senders: each gains
    /// its weight, the highest is picked and loses the total. Without
    /// weighted senders, the first added.
    fn pick(&self) -> Option<usize> {
        if self.senders.iter().all(|(_, w)| *w == 0) {
            return (!self.senders.is_empty()).then_some(0);
        }
        let mut current = self
            .current
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        let total: i64 = self.senders.iter().map(|(_, w)| i64::from(*w)).sum();
        let mut best: Option<usize> = None;
        for (i, (_, w)) in self.senders.iter().enumerate() {
            if *w == 0 {
                continue;
            }
            current[i] += i64::from(*w);
            if best.is_none_or(|b| current[i] > current[b]) {
                best = Some(i);
            }
        }
        if let Some(b) = best {
            current[b] -= total;
        }
        best
    }

    pub(crate) fn sender_names(&self) -> &[(String, u32)] {
        &self.senders
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn number(s: &str) -> PhoneNumber {
        s.parse().unwrap_or_else(|e| panic!("{s}: {e}"))
    }

    #[test]
    fn senders_added_with_to_keep_their_order() {
        let r = Route::new("r").to("a").to("b").to("c");
        for _ in 0..3 {
            assert_eq!(r.order(), [0, 1, 2]);
        }
        // A weighted one among them takes every first attempt.
        let r = Route::new("r").to("a").weighted("b", 1).to("c");
        assert_eq!(r.order(), [1, 0, 2]);
        assert_eq!(r.order(), [1, 0, 2]);
    }

    #[test]
    fn weights_share_the_first_attempts() {
        let r = Route::new("r").weighted("a", 3).weighted("b", 1);
        let firsts: Vec<usize> = (0..8).map(|_| r.order()[0]).collect();
        assert_eq!(firsts, [0, 0, 1, 0, 0, 0, 1, 0]);
        assert_eq!(r.order().len(), 2);
        assert_eq!(r.order(), [0, 1], "the next first pick is a");
    }

    #[test]
    fn a_route_matches_its_country_codes_and_kind() {
        let r = Route::new("r")
            .country_code("+7")
            .country_code("375")
            .kind(MessageKind::Text)
            .to("a");
        assert!(r.matches(&number("+7 921 123 45 67"), MessageKind::Text));
        assert!(r.matches(&number("+375 29 123 45 67"), MessageKind::Text));
        assert!(!r.matches(&number("+7 921 123 45 67"), MessageKind::Template));
        assert!(!r.matches(&number("+31 6 12345678"), MessageKind::Text));
        assert!(Route::new("any").matches(&number("+31 6 12345678"), MessageKind::Template));
    }
}
