//! Contract: reading messages back. One message by id, a channel's
//! messages page by page (`limit`, `pageToken` → `nextPageToken`, the
//! filters on the wire), and each message of an accepted batch with its
//! status and failure.

use crate::support;

use channels::mock::{CHANNEL_ID, MockVendor, ResponseTemplate, WORKSPACE_ID};
use channels::{
    BatchProgress, Direction, Error, ErrorCode, MAX_PAGE_SIZE, Message, MessageQuery,
    MessageStatus, SendRequest, Timestamp,
};
use support::{builder, fixture, fixture_json, text};

const EXAMPLE_ID: &str = "3fa85f64-5717-4562-b3fc-2c963f66afa6";

fn channel_path() -> String {
    format!("/workspaces/{WORKSPACE_ID}/channels/{CHANNEL_ID}")
}

fn ok(body: String) -> ResponseTemplate {
    ResponseTemplate::new(200).set_body_string(body)
}

/// The query strings of the reads `bird` received, in order.
async fn read_queries(bird: &channels::mock::MockBird) -> Vec<String> {
    let requests = bird.requests().await.into_iter();
    let reads = requests.filter(|r| r.method == "GET");
    reads.map(|r| r.query.unwrap_or_default()).collect()
}

/// `result` is a validation error on `field`: the call was refused before
/// sending.
fn assert_refused<T: std::fmt::Debug>(result: Result<T, Error>, field: &str, case: &str) {
    match result {
        Err(Error::Validation(v)) => assert_eq!(v.field(), field, "{case}"),
        other => panic!("{case}: expected a refusal on {field}, got {other:?}"),
    }
}

/// `GET …/messages/{id}` reads Bird's documented message example: every
/// value as the example's own decoding has it.
#[tokio::test]
async fn a_message_is_read_by_id() {
    let bird = support::bird().await;
    let client = builder(&bird.uri()).build().unwrap();
    bird.respond_next(ok(fixture("message_status_example.json")), 1)
        .await;
    let read = client.get_message(EXAMPLE_ID).await.unwrap();
    let documented: Message = serde_json::from_value(fixture_json("message_status_example.json"))
        .expect("the documented example decodes");
    assert_eq!(read, documented);
    assert_eq!(read.status, Some(MessageStatus::Accepted));
    assert_eq!(read.direction, Some(Direction::Incoming));
    assert!(read.warnings().is_empty());

    let sent = bird.requests().await;
    assert_eq!(sent.len(), 1);
    assert_eq!(sent[0].method, "GET");
    assert_eq!(
        sent[0].path,
        format!("{}/messages/{EXAMPLE_ID}", channel_path())
    );
    assert_eq!(sent[0].query, None);
    assert_eq!(sent[0].header("accept"), Some("application/json"));
    assert_eq!(
        sent[0].header("authorization"),
        Some("AccessKey test-access-key")
    );
    assert!(sent[0].body.is_empty());
}

/// A message the mock accepted is read back as it was accepted; an unknown
/// id is Bird's 404 `NotFound`; a blank id is refused before sending; an
/// id with path characters is percent-encoded, never a path of its own.
#[tokio::test]
async fn reads_of_unknown_and_blank_ids() {
    let bird = support::bird().await;
    let client = builder(&bird.uri()).build().unwrap();
    let sent = client.send(&text("hello")).await.unwrap();
    let id = sent.id.clone().unwrap();
    let read = client.get_message(&id).await.unwrap();
    assert_eq!(read.id, sent.id);
    assert_eq!(read.status, Some(MessageStatus::Accepted));

    let unknown = client.get_message("no-such-id").await.unwrap_err();
    assert_eq!(
        (unknown.status(), unknown.code()),
        (Some(404), Some(ErrorCode::NotFound))
    );
    let traversal = client.get_message("../contacts/x").await.unwrap_err();
    assert_eq!(traversal.status(), Some(404));
    let paths: Vec<_> = bird.requests().await.into_iter().map(|r| r.path).collect();
    assert!(
        paths[3].ends_with("/messages/..%2Fcontacts%2Fx"),
        "{paths:?}"
    );
    let before = bird.requests().await.len();
    for blank in ["", "  "] {
        assert_refused(client.get_message(blank).await, "messageId", blank);
    }
    assert_eq!(bird.requests().await.len(), before, "nothing sent");
}

/// One page: the query on the wire carries `limit`, `pageToken` and every
/// filter, percent-encoded; the answer (Bird's documented message inside
/// Bird's list shape) decodes with its `nextPageToken`.
#[tokio::test]
async fn one_page_carries_its_query_and_reads_the_documented_list() {
    let bird = support::bird().await;
    let client = builder(&bird.uri()).build().unwrap();
    bird.respond_next(ok(fixture("constructed_message_list.json")), 1)
        .await;
    let start: Timestamp = "2024-11-25T00:00:00.000Z".parse().unwrap();
    let end: Timestamp = "2024-11-26T12:30:00.000Z".parse().unwrap();
    let query = MessageQuery::new()
        .status(MessageStatus::Rejected)
        .direction(Direction::Outgoing)
        .between(start, end)
        .batch_id("5a2c1f3e-8b7d-4c6a-9e0f-000000000001");
    let page = client
        .messages(&query, 25, Some("WyIy+MDI0=="))
        .await
        .unwrap();
    let documented: Message = serde_json::from_value(fixture_json("message_status_example.json"))
        .expect("the documented example decodes");
    assert_eq!(page.results, [documented]);
    assert_eq!(
        page.next_page_token.as_deref(),
        Some(
            "WyIyMDI0LTExLTE1VDEzOjM0OjQ1Ljc3NTYzMDE0OVoiLCJhMGEwM2IxOS03NTQ5LTRlZmUtOTBjZS1jNzdlYzI0ZjZmN2YiXQ=="
        )
    );
    assert!(page.warnings().is_empty());

    let sent = &bird.requests().await[0];
    assert_eq!(
        (sent.method.as_str(), sent.path.clone()),
        ("GET", format!("{}/messages", channel_path()))
    );
    assert_eq!(
        sent.query.as_deref(),
        Some(
            "limit=25&pageToken=WyIy%2BMDI0%3D%3D&status=rejected&direction=outgoing\
             &startAt=2024-11-25T00%3A00%3A00.000Z&endAt=2024-11-26T12%3A30%3A00.000Z\
             &batchId=5a2c1f3e-8b7d-4c6a-9e0f-000000000001"
        )
    );
}

/// A page is checked before it is asked for: `limit` 1 and 100 go out, 0
/// and 101 do not; a range over 7 days does not.
#[tokio::test]
async fn page_limits_are_checked_before_sending() {
    let bird = support::bird().await;
    let client = builder(&bird.uri()).build().unwrap();
    let all = MessageQuery::new();
    for limit in [1, MAX_PAGE_SIZE] {
        client.messages(&all, limit, None).await.unwrap();
    }
    for limit in [0, MAX_PAGE_SIZE + 1] {
        let case = format!("limit {limit}");
        assert_refused(client.messages(&all, limit, None).await, "limit", &case);
        let pager = client.messages_pages(all.clone(), limit).map(drop);
        assert_refused(pager, "limit", &case);
    }
    let start: Timestamp = "2024-11-01T00:00:00Z".parse().unwrap();
    let end: Timestamp = "2024-11-08T00:00:01Z".parse().unwrap();
    let wide = MessageQuery::new().between(start, end);
    assert_refused(client.messages(&wide, 10, None).await, "endAt", "8 days");
    assert_eq!(bird.requests().await.len(), 2, "only the two good pages");
}

/// The pager follows `nextPageToken` to the last page, `page_size` a page,
/// each request naming the token the page before gave.
#[tokio::test]
async fn the_pager_follows_the_tokens_to_the_end() {
    let bird = support::bird().await;
    let client = builder(&bird.uri()).build().unwrap();
    for i in 0..7 {
        client.send(&text(format!("update {i}"))).await.unwrap();
    }
    let query = MessageQuery::new().direction(Direction::Outgoing);
    let mut pager = client.messages_pages(query.clone(), 3).unwrap();
    let mut texts = Vec::new();
    while let Some(page) = pager.next_page().await.unwrap() {
        assert!(page.len() <= 3);
        texts.push(page.len());
    }
    assert_eq!(texts, [3, 3, 1]);
    assert!(pager.is_done());
    let reads = read_queries(&bird).await;
    assert_eq!(
        reads,
        [
            "limit=3&direction=outgoing",
            "limit=3&pageToken=page-3&direction=outgoing",
            "limit=3&pageToken=page-6&direction=outgoing",
        ]
    );
    let all = client
        .messages_pages(query, 100)
        .unwrap()
        .all()
        .await
        .unwrap();
    assert_eq!(all.len(), 7);
}

/// A page Bird answered is read leniently: a value of another type is left
/// out and named with its message's index; the other messages and values
/// are kept.
#[tokio::test]
async fn a_page_with_a_value_of_another_type_is_still_the_page() {
    let bird = support::bird().await;
    let client = builder(&bird.uri()).build().unwrap();
    let body =
        r#"{"results":[{"id":"m-1","status":"sent"},{"id":"m-2","status":7}],"nextPageToken":""}"#;
    bird.respond_next(ok(body.to_owned()), 1).await;
    let page = client
        .messages(&MessageQuery::new(), 10, None)
        .await
        .unwrap();
    let ids: Vec<_> = page.results.iter().map(|m| m.id.as_deref()).collect();
    assert_eq!(ids, [Some("m-1"), Some("m-2")]);
    assert_eq!(page.results[0].status, Some(MessageStatus::Sent));
    assert_eq!(page.results[1].status, None);
    let paths: Vec<_> = page.warnings().iter().map(|w| w.path()).collect();
    assert_eq!(paths, ["results[1].status"]);
}

/// The batch helper: each message of the accepted batch, with its status;
/// the ones Bird rejected after accepting the batch carry their failure.
/// Messages of another batch are not this batch's.
#[tokio::test]
async fn each_message_of_a_batch_comes_back_with_its_status_and_failure() {
    let bird = support::bird().await;
    let client = builder(&bird.uri()).build().unwrap();
    let blocked = "+31600000000";
    bird.reject_in_batches(blocked);
    let mut requests: Vec<SendRequest> = (0..150).map(|i| text(format!("m {i}"))).collect();
    requests[120] = SendRequest::builder(blocked.parse().unwrap(), channels::Body::text("x"))
        .build()
        .unwrap();
    let mut progress = BatchProgress::new();
    client.send_batch(&requests, &mut progress).await.unwrap();
    let outcome = |i: usize| progress.chunks()[i].outcome.as_ref().unwrap().clone();
    let (first, second) = (outcome(0), outcome(1));
    assert_ne!(first.batch_id, second.batch_id);

    let one = client.batch_messages(&first).await.unwrap();
    assert_eq!(one.len(), 100);
    assert!(
        one.iter()
            .all(|m| m.status == Some(MessageStatus::Accepted))
    );
    assert!(one.iter().all(|m| m.batch_id == first.batch_id));
    let two = client.batch_messages(&second).await.unwrap();
    assert_eq!(two.len(), 50);
    let rejected: Vec<_> = two
        .iter()
        .filter(|m| m.status == Some(MessageStatus::Rejected))
        .collect();
    assert_eq!(rejected.len(), 1);
    let failure = rejected[0]
        .failure
        .as_ref()
        .expect("the failure is attached");
    assert_eq!(failure.code, Some(1));
    assert!(failure.description.is_some());
    assert!(rejected[0].reason.is_some());
    let receiver = rejected[0]
        .receiver
        .as_ref()
        .unwrap()
        .contacts
        .as_ref()
        .unwrap();
    assert_eq!(receiver[0].identifier_value.as_deref(), Some(blocked));

    // The reads asked for the batch by id, 100 a page.
    let lists = read_queries(&bird).await;
    let query =
        |b: &channels::BatchAccepted| format!("limit=100&batchId={}", b.batch_id.as_ref().unwrap());
    assert_eq!(lists, [query(&first), query(&second)], "one page each");
}

/// Were Bird to answer messages of other batches too, they are left out;
/// a batch answer without an id is refused before anything is sent.
#[tokio::test]
async fn the_batch_helper_keeps_only_the_batch_and_needs_its_id() {
    let bird = support::bird().await;
    let client = builder(&bird.uri()).build().unwrap();
    let body = r#"{"results":[
        {"id":"m-1","batchId":"b-1","status":"sent"},
        {"id":"m-2","batchId":"b-2","status":"sent"},
        {"id":"m-3","status":"sent"},
        {"id":"m-4","batchId":"b-1","status":"delivered"}]}"#;
    bird.respond_next(ok(body.to_owned()), 1).await;
    let accepted =
        |answer: &str| -> channels::BatchAccepted { serde_json::from_str(answer).unwrap() };
    let mine = client
        .batch_messages(&accepted(r#"{"batchId":"b-1"}"#))
        .await
        .unwrap();
    let ids: Vec<_> = mine.iter().map(|m| m.id.as_deref().unwrap()).collect();
    assert_eq!(ids, ["m-1", "m-4"]);

    let before = bird.requests().await.len();
    for answer in [r#"{}"#, r#"{"batchId":""}"#] {
        let refused = client.batch_messages(&accepted(answer)).await;
        assert_refused(refused, "batchId", answer);
    }
    assert_eq!(bird.requests().await.len(), before, "nothing sent");
}

/// Reads are retried after a transient failure: a 503, then the answer.
#[tokio::test]
async fn a_read_is_retried_after_a_503() {
    let bird = support::bird().await;
    let client = builder(&bird.uri()).build().unwrap();
    bird.respond_next(ResponseTemplate::new(503), 1).await;
    let page = client
        .messages(&MessageQuery::new(), 10, None)
        .await
        .unwrap();
    assert!(page.results.is_empty());
    assert_eq!(bird.requests().await.len(), 2);
}
