//! The mock's message store: every message it accepted, read back by id
//! or listed page by page with Bird's filters and paging.

use serde_json::{Value, json};
use wiremock::Request;

use super::{ResponseTemplate, State, error};
use crate::{ErrorCode, MAX_PAGE_SIZE, Timestamp};

/// The failure the mock attaches to a batch message it rejects
/// (**constructed**: the shape `{code, description, source}` is the one
/// Bird's webhooks carry; Bird documents no codes).
pub(super) fn rejection() -> Value {
    json!({
        "code": 1,
        "description": "The receiver cannot be reached on this channel",
        "source": { "name": "channels" }
    })
}

/// The receiver's first identifier value in a stored or sent message.
pub(super) fn receiver_value(message: &Value) -> Option<&str> {
    message["receiver"]["contacts"][0]["identifierValue"].as_str()
}

/// `GET …/messages/{messageId}`: the stored message, or 404 `NotFound`.
pub(super) fn get(state: &mut State, req: &Request) -> ResponseTemplate {
    let id = req.url.path().rsplit('/').next().unwrap_or_default();
    match state.messages.iter().find(|m| m["id"] == id) {
        Some(m) => ResponseTemplate::new(200).set_body_json(m),
        None => error(404, ErrorCode::NotFound, "Message not found", None),
    }
}

/// `GET …/messages?limit=&pageToken=&status=&direction=&batchId=&startAt=&endAt=`:
/// the stored messages the filters select, oldest first, `limit` a page
/// (default 10, at most 100), `nextPageToken` naming the next page.
pub(super) fn list(state: &mut State, req: &Request) -> ResponseTemplate {
    let mut limit = 10;
    let mut offset = 0;
    let mut filters: Vec<(String, String)> = Vec::new();
    let (mut start, mut end) = (None, None);
    for (key, value) in req.url.query_pairs() {
        match key.as_ref() {
            "limit" => match value.parse::<usize>() {
                Ok(n) if (1..=MAX_PAGE_SIZE as usize).contains(&n) => limit = n,
                _ => return malformed(".limit", "must be an integer from 1 to 100"),
            },
            "pageToken" => match value.strip_prefix("page-").map(str::parse::<usize>) {
                Some(Ok(n)) => offset = n,
                _ => return malformed(".pageToken", "Invalid page token"),
            },
            "status" | "direction" | "batchId" => {
                filters.push((key.into_owned(), value.into_owned()));
            }
            "startAt" | "endAt" => {
                let Ok(at) = Timestamp::parse(&value) else {
                    return malformed(&format!(".{key}"), "must be a date-time");
                };
                let bound = Some(at.unix_millis());
                if key == "startAt" {
                    start = bound
                } else {
                    end = bound
                }
            }
            _ => {}
        }
    }
    let within = |m: &Value| {
        let at = m["createdAt"]
            .as_str()
            .and_then(|t| Timestamp::parse(t).ok());
        let at = at.map_or(0, |t| t.unix_millis());
        start.is_none_or(|s| at >= s) && end.is_none_or(|e| at <= e)
    };
    let selected: Vec<&Value> = state
        .messages
        .iter()
        .filter(|m| filters.iter().all(|(k, v)| m[k.as_str()] == v.as_str()))
        .filter(|m| within(m))
        .collect();
    let page: Vec<&Value> = selected.iter().skip(offset).take(limit).copied().collect();
    let next = offset + page.len();
    let mut body = json!({ "results": page });
    if next < selected.len() {
        body["nextPageToken"] = json!(format!("page-{next}"));
    }
    ResponseTemplate::new(200).set_body_json(body)
}

fn malformed(field: &str, message: &str) -> ResponseTemplate {
    error(
        422,
        ErrorCode::MalformedRequest,
        "One or more fields provided in the request are malformed",
        Some(json!({ field: [message] })),
    )
}
