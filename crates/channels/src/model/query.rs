//! Reading messages back: the filters of a channel's message list and one
//! page of its answer.
//!
//! Sources: the paths `GET …/channels/{channelId}/messages` and
//! `GET …/channels/{channelId}/messages/{messageId}` are Bird's own
//! (<https://docs.bird.com/api/channels-api>, "Permissions required for
//! Channel actions": *"Get all messages for a channel"*, *"Get a specific
//! message for a channel"*); the paging (`limit` of at most 100, default
//! 10; `pageToken`; `results` and `nextPageToken` in the answer) is
//! Bird's common list paging (<https://docs.bird.com/api/api-access/common-api-usage>).
//! The filters `status`, `startAt` and `endAt`, and the 7-day limit of the
//! time range, come from a public integration, not from a Bird page; the
//! `batchId` filter is **inferred** from the batch page's *"Batch messages
//! can be monitored using Retrieving messages endpoints by providing the
//! batchID returned in the response"*. See docs/channels.md.

use serde::Deserialize;
use whatsapp_common::{DecodeWarning, ValidationError, validate};

use super::message::{Direction, Message, MessageStatus};
use super::time::Timestamp;

/// Most messages one page of [`Client::messages`](crate::Client::messages)
/// holds: Bird's `limit` is at most 100 (default 10).
pub const MAX_PAGE_SIZE: u32 = 100;

/// Longest time range of a message list: 7 days, in milliseconds. Bird
/// answers a wider range with *"Bad request: Invalid time range to
/// filter"*.
pub const MAX_TIME_RANGE_MILLIS: i64 = 7 * 24 * 3600 * 1000;

/// Which of a channel's messages [`Client::messages`](crate::Client::messages)
/// lists: every filter optional, none set lists them all.
///
/// ```
/// use channels::{Direction, MessageQuery, MessageStatus, Timestamp};
///
/// let query = MessageQuery::new()
///     .status(MessageStatus::Rejected)
///     .direction(Direction::Outgoing)
///     .between("2024-11-25T00:00:00Z".parse()?, "2024-11-26T00:00:00Z".parse()?)
///     .batch_id("5a2c1f3e-8b7d-4c6a-9e0f-000000000064");
/// assert_eq!(query.batch(), Some("5a2c1f3e-8b7d-4c6a-9e0f-000000000064"));
/// # Ok::<(), channels::ValidationError>(())
/// ```
#[derive(Debug, Clone, Default, PartialEq)]
#[non_exhaustive]
pub struct MessageQuery {
    status: Option<MessageStatus>,
    direction: Option<Direction>,
    range: Option<(Timestamp, Timestamp)>,
    batch_id: Option<String>,
}

impl MessageQuery {
    /// Every message of the channel.
    pub fn new() -> Self {
        Self::default()
    }

    /// Only messages with this `status`.
    #[must_use]
    pub fn status(mut self, status: MessageStatus) -> Self {
        self.status = Some(status);
        self
    }

    /// Only incoming or only outgoing messages (`direction`).
    #[must_use]
    pub fn direction(mut self, direction: Direction) -> Self {
        self.direction = Some(direction);
        self
    }

    /// Only messages from `start` to `end` (`startAt`, `endAt`): `end`
    /// after `start`, at most [`MAX_TIME_RANGE_MILLIS`] (7 days) apart,
    /// checked before sending.
    #[must_use]
    pub fn between(mut self, start: Timestamp, end: Timestamp) -> Self {
        self.range = Some((start, end));
        self
    }

    /// Only the messages of one batch (`batchId`, the id
    /// [`BatchAccepted::batch_id`](crate::BatchAccepted::batch_id) holds).
    /// The parameter's name is inferred: see docs/channels.md.
    #[must_use]
    pub fn batch_id(mut self, batch_id: impl Into<String>) -> Self {
        self.batch_id = Some(batch_id.into());
        self
    }

    /// The batch id set with [`MessageQuery::batch_id`].
    pub fn batch(&self) -> Option<&str> {
        self.batch_id.as_deref()
    }

    /// The query string of one page: `limit`, then `pageToken` and the
    /// filters set, percent-encoded. Refused, before anything is sent: a
    /// `limit` of 0 or over [`MAX_PAGE_SIZE`], a blank page token or batch
    /// id, a time range that ends before it starts or spans more than 7
    /// days.
    pub(crate) fn query_string(
        &self,
        limit: u32,
        page_token: Option<&str>,
    ) -> Result<String, ValidationError> {
        check_page_size(limit)?;
        let mut parts = vec![format!("limit={limit}")];
        let mut push = |key: &str, value: &str| {
            parts.push(format!("{key}={}", validate::percent_encode(value, b"")));
        };
        if let Some(token) = page_token {
            validate::not_blank(token, "pageToken")?;
            push("pageToken", token);
        }
        if let Some(status) = &self.status {
            push("status", status.as_str());
        }
        if let Some(direction) = &self.direction {
            push("direction", direction.as_str());
        }
        if let Some((start, end)) = &self.range {
            let span = end.unix_millis() - start.unix_millis();
            if span <= 0 {
                return Err(ValidationError::new(
                    "endAt",
                    "must be after startAt: give the time range earliest first",
                ));
            }
            if span > MAX_TIME_RANGE_MILLIS {
                return Err(ValidationError::new(
                    "endAt",
                    "must be at most 7 days after startAt (Bird refuses a wider range): \
                     read a longer period as several ranges",
                ));
            }
            push("startAt", start.as_str());
            push("endAt", end.as_str());
        }
        if let Some(batch) = &self.batch_id {
            validate::not_blank(batch, "batchId")?;
            push("batchId", batch);
        }
        Ok(parts.join("&"))
    }
}

/// Refuses a page size Bird does not take: 0, or over [`MAX_PAGE_SIZE`].
pub(crate) fn check_page_size(limit: u32) -> Result<(), ValidationError> {
    if limit == 0 || limit > MAX_PAGE_SIZE {
        return Err(ValidationError::new(
            "limit",
            format!("must be 1 to {MAX_PAGE_SIZE} messages a page (Bird's limit)"),
        ));
    }
    Ok(())
}

/// One page of a channel's messages, Bird's list answer
/// `{"results": [Message, …], "nextPageToken": "…"}`.
///
/// Read leniently, as every answer of a read the client makes: a value
/// that does not fit its type is left out and named in
/// [`MessageList::warnings`] (its path says which message, e.g.
/// `results[3].status`).
#[derive(Debug, Clone, Default, PartialEq, Deserialize)]
#[serde(rename_all = "camelCase")]
#[non_exhaustive]
pub struct MessageList {
    /// `results`: the page's messages.
    #[serde(default)]
    pub results: Vec<Message>,
    /// `nextPageToken`: the next page's `pageToken`; `None` (or empty) on
    /// the last page.
    #[serde(default)]
    pub next_page_token: Option<String>,
    #[serde(skip)]
    warnings: Vec<DecodeWarning>,
}

whatsapp_common::keeps_warnings!(MessageList);

#[cfg(test)]
mod tests {
    use super::*;

    fn at(s: &str) -> Timestamp {
        s.parse().unwrap()
    }

    #[test]
    fn the_query_string_carries_every_filter_percent_encoded() {
        let query = MessageQuery::new()
            .status(MessageStatus::SendingFailed)
            .direction(Direction::Outgoing)
            .between(at("2024-11-25T00:00:00Z"), at("2024-11-26T00:00:00Z"))
            .batch_id("b 1");
        assert_eq!(
            query.query_string(50, Some("WyIy+/=")).unwrap(),
            "limit=50&pageToken=WyIy%2B%2F%3D&status=sending_failed&direction=outgoing\
             &startAt=2024-11-25T00%3A00%3A00Z&endAt=2024-11-26T00%3A00%3A00Z&batchId=b%201"
        );
        assert_eq!(
            MessageQuery::new().query_string(10, None).unwrap(),
            "limit=10"
        );
    }

    #[test]
    fn each_limit_is_checked_on_both_sides() {
        let q = MessageQuery::new();
        assert!(q.query_string(1, None).is_ok());
        assert!(q.query_string(MAX_PAGE_SIZE, None).is_ok());
        for bad in [0, MAX_PAGE_SIZE + 1] {
            assert_eq!(q.query_string(bad, None).unwrap_err().field(), "limit");
        }
        assert_eq!(
            q.query_string(10, Some(" ")).unwrap_err().field(),
            "pageToken"
        );
        let blank = MessageQuery::new().batch_id("");
        assert_eq!(blank.query_string(10, None).unwrap_err().field(), "batchId");

        let start = at("2024-11-01T00:00:00Z");
        let week = Timestamp::from_unix_millis(start.unix_millis() + MAX_TIME_RANGE_MILLIS);
        let over = Timestamp::from_unix_millis(week.unix_millis() + 1);
        let range = |end: &Timestamp| MessageQuery::new().between(start.clone(), end.clone());
        assert!(range(&week).query_string(10, None).is_ok());
        assert_eq!(
            range(&over).query_string(10, None).unwrap_err().field(),
            "endAt"
        );
        assert_eq!(
            range(&start).query_string(10, None).unwrap_err().field(),
            "endAt"
        );
    }
}
