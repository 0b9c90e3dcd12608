//! Contract: batches go out in chunks of 100, each chunk recorded in the
//! caller's progress as its answer comes; a chunk refused for its content
//! is recorded and the batch goes on; an error that would fail every later
//! chunk stops it; a stopped or dropped batch keeps what was done and
//! resumes from there.

use crate::support;

use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Duration;

use channels::mock::{MockBird, MockVendor, ResponseTemplate, error_body};
use channels::{BatchProgress, Error, ErrorCode, SendError, SendErrorKind, SendRequest};
use support::{builder, fixture, text};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use whatsapp_common::mock::{ScriptedServer, http_response};
use wiremock::Mock;
use wiremock::matchers::{body_string_contains, method, path_regex};

/// `n` text messages, `message 0` to `message {n-1}`.
fn messages(n: usize) -> Vec<SendRequest> {
    (0..n).map(|i| text(format!("message {i}"))).collect()
}

/// The finished chunks as `(first_index, len, accepted)`.
fn shape(progress: &BatchProgress) -> Vec<(usize, usize, bool)> {
    progress
        .chunks()
        .iter()
        .map(|c| (c.first_index, c.len, c.outcome.is_ok()))
        .collect()
}

/// The first message's text of each batch request `requests` holds, in
/// order: which chunks reached the server.
fn chunks_sent(requests: &[whatsapp_common::mock::RecordedRequest]) -> Vec<String> {
    requests
        .iter()
        .map(|r| {
            assert!(r.path.ends_with("/batch/messages"), "{}", r.path);
            let body = r.json().unwrap();
            body["messageRequests"][0]["body"]["text"]["text"]
                .as_str()
                .unwrap()
                .to_owned()
        })
        .collect()
}

/// The chunk whose first message is `message {first}` gets `response`,
/// once; every other request the mock's own answer.
async fn answer_chunk_at(bird: &MockBird, first: usize, response: ResponseTemplate) {
    Mock::given(method("POST"))
        .and(path_regex("/batch/messages$"))
        .and(body_string_contains(format!("\"message {first}\"")))
        .respond_with(response)
        .up_to_n_times(1)
        .with_priority(1)
        .named(format!("the chunk at {first}"))
        .mount(bird.http().server())
        .await;
}

/// Sends 300 messages (three chunks) as one batch, which goes on to the
/// end; the progress after.
async fn batch_of_300(client: &channels::Client) -> BatchProgress {
    let mut progress = BatchProgress::new();
    client
        .send_batch(&messages(300), &mut progress)
        .await
        .unwrap();
    progress
}

/// Bird's answer to a batch request, as the mock gives it.
fn accepted(batch_id: &str) -> Vec<u8> {
    http_response(202, &[], &format!(r#"{{"batchId":"{batch_id}"}}"#))
}

#[tokio::test]
async fn batches_are_chunked_by_100_and_every_chunk_is_recorded() {
    let bird = support::bird().await;
    let client = builder(&bird.uri()).build().unwrap();
    let requests = messages(250);
    let mut progress = BatchProgress::new();
    client.send_batch(&requests, &mut progress).await.unwrap();
    assert_eq!(
        shape(&progress),
        [(0, 100, true), (100, 100, true), (200, 50, true)]
    );
    assert!(
        progress
            .chunks()
            .iter()
            .all(|c| c.outcome.as_ref().unwrap().batch_id.is_some())
    );
    assert_eq!((progress.next_index(), progress.in_flight()), (250, None));
    let posted = bird.requests().await;
    assert_eq!(
        chunks_sent(&posted),
        ["message 0", "message 100", "message 200"]
    );
    let second = posted[1].json().unwrap();
    assert_eq!(second["messageRequests"].as_array().unwrap().len(), 100);
    assert_eq!(
        second.as_object().unwrap().keys().collect::<Vec<_>>(),
        ["messageRequests"],
        "Bird's CreateBatchMessages has messageRequests and nothing else"
    );

    // A progress that covers every message: nothing more is sent.
    client.send_batch(&requests, &mut progress).await.unwrap();
    assert_eq!(bird.requests().await.len(), 3);
    assert_eq!(progress.chunks().len(), 3);
}

/// 350 messages (4 chunks); the second chunk gets an answer that would
/// fail every later chunk too: two requests, the error returned, chunk 1
/// recorded, chunk 2 in flight, chunks 3 and 4 never sent.
#[tokio::test]
async fn an_error_that_would_fail_every_chunk_stops_the_batch() {
    let bird_error = |status: u16, code: &str| {
        ResponseTemplate::new(status).set_body_json(error_body(&ErrorCode::from_wire(code), "m"))
    };
    let cases = [
        ("401", ResponseTemplate::new(401), 401, None),
        ("403", ResponseTemplate::new(403), 403, None),
        (
            "429 beyond the retry cap",
            bird_error(429, "TooManyRequests").insert_header("retry-after", "3600"),
            429,
            Some(3600),
        ),
        (
            "503 beyond the retry cap",
            ResponseTemplate::new(503).insert_header("retry-after", "3600"),
            503,
            Some(3600),
        ),
        ("500", ResponseTemplate::new(500), 500, None),
        (
            "a refusal with a Retry-After",
            bird_error(422, "MalformedRequest").insert_header("retry-after", "3600"),
            422,
            Some(3600),
        ),
    ];
    for (what, response, status, retry_after) in cases {
        let bird = support::bird().await;
        let client = builder(&bird.uri()).build().unwrap();
        answer_chunk_at(&bird, 100, response).await;
        let mut progress = BatchProgress::new();
        let err = client
            .send_batch(&messages(350), &mut progress)
            .await
            .expect_err(what);
        assert_eq!(
            chunks_sent(&bird.requests().await),
            ["message 0", "message 100"],
            "{what}: nothing after the chunk that failed"
        );
        assert_eq!(err.status(), Some(status), "{what}: {err}");
        assert_eq!(
            err.retry_after(),
            retry_after.map(Duration::from_secs),
            "{what}"
        );
        assert_eq!(err.attempts(), Some(1), "{what}: the loop gave up at once");
        assert_eq!(shape(&progress), [(0, 100, true)], "{what}");
        assert_eq!(progress.in_flight(), Some((100, 100)), "{what}");
        assert_eq!(progress.next_index(), 100, "{what}");
        if matches!(status, 401 | 403) {
            assert_eq!(SendError::from(err).kind(), SendErrorKind::Auth, "{what}");
        }
    }
}

/// The connection breaks after the second chunk was written: Bird may
/// have accepted it, so it is not retried, the batch stops, and the chunk
/// stays in flight.
#[tokio::test]
async fn a_transport_failure_stops_the_batch() {
    let answered = Arc::new(AtomicUsize::new(0));
    let count = answered.clone();
    let server = ScriptedServer::start(move |_| {
        if count.fetch_add(1, Ordering::SeqCst) == 0 {
            accepted("b-0")
        } else {
            // A head promising a body that never comes.
            b"HTTP/1.1 202 \r\ncontent-type: application/json\r\ncontent-length: 500\r\n\r\n{"
                .to_vec()
        }
    })
    .await
    .unwrap();
    let client = builder(&server.uri()).build().unwrap();
    let mut progress = BatchProgress::new();
    let err = client
        .send_batch(&messages(350), &mut progress)
        .await
        .unwrap_err();
    let Error::Transport(t) = &err else {
        panic!("{err:?}")
    };
    assert!(t.request_may_have_been_sent(), "{t}");
    assert_eq!(
        chunks_sent(&server.requests()),
        ["message 0", "message 100"]
    );
    assert_eq!(support::assert_wire_valid(&server.requests()), 2);
    assert_eq!(shape(&progress), [(0, 100, true)]);
    assert_eq!(progress.in_flight(), Some((100, 100)));
}

/// A refusal of one chunk's content is that chunk's outcome: the batch
/// goes on and returns `Ok`.
#[tokio::test]
async fn a_chunk_refused_for_its_content_is_recorded_and_the_batch_goes_on() {
    let refusal = |status: u16, body: String| ResponseTemplate::new(status).set_body_string(body);
    let cases = [
        (
            refusal(422, fixture("error_422_malformed.json")),
            422,
            Some(ErrorCode::MalformedRequest),
        ),
        (
            refusal(
                400,
                error_body(&ErrorCode::InvalidPayload, "bad").to_string(),
            ),
            400,
            Some(ErrorCode::InvalidPayload),
        ),
        (
            refusal(409, r#"{"code":"Conflict","message":"x"}"#.into()),
            409,
            Some(ErrorCode::from_wire("Conflict")),
        ),
    ];
    for (response, status, code) in cases {
        let bird = support::bird().await;
        let client = builder(&bird.uri()).build().unwrap();
        answer_chunk_at(&bird, 100, response).await;
        let progress = batch_of_300(&client).await;
        assert_eq!(
            chunks_sent(&bird.requests().await),
            ["message 0", "message 100", "message 200"],
            "{status}"
        );
        assert_eq!(
            shape(&progress),
            [(0, 100, true), (100, 100, false), (200, 100, true)],
            "{status}"
        );
        let refused = progress.chunks()[1].outcome.as_ref().unwrap_err();
        assert_eq!(
            (refused.status(), refused.code()),
            (Some(status), code),
            "{refused}"
        );
        assert_eq!(progress.in_flight(), None);
    }
}

/// After a 401 on the second chunk, the same call with the same progress
/// sends the second chunk and those after it, nothing before.
#[tokio::test]
async fn a_stopped_batch_resumes_with_the_chunk_that_failed() {
    let bird = support::bird().await;
    let client = builder(&bird.uri()).build().unwrap();
    answer_chunk_at(&bird, 100, ResponseTemplate::new(401)).await;
    let requests = messages(350);
    let mut progress = BatchProgress::new();
    let err = client
        .send_batch(&requests, &mut progress)
        .await
        .unwrap_err();
    assert_eq!(err.status(), Some(401));
    assert_eq!(bird.requests().await.len(), 2);

    // The key works again (the scripted 401 was used up).
    client.send_batch(&requests, &mut progress).await.unwrap();
    assert_eq!(
        chunks_sent(&bird.requests().await[2..]),
        ["message 100", "message 200", "message 300"]
    );
    assert_eq!(
        shape(&progress),
        [
            (0, 100, true),
            (100, 100, true),
            (200, 100, true),
            (300, 50, true)
        ]
    );
    assert_eq!((progress.next_index(), progress.in_flight()), (350, None));
}

/// A batch endpoint on the test's own runtime, so that paused time moves
/// only while the client waits: request `n` (from 0) is answered with
/// `answer(n)`, or, when that is `None`, held open unanswered. Returns the
/// URI and a count of the requests received.
async fn holding_server(
    answer: impl Fn(usize) -> Option<Vec<u8>> + Send + Sync + 'static,
) -> (String, Arc<AtomicUsize>) {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let uri = format!("http://{}", listener.local_addr().unwrap());
    let received = Arc::new(AtomicUsize::new(0));
    let (count, answer) = (received.clone(), Arc::new(answer));
    tokio::spawn(async move {
        while let Ok((mut stream, _)) = listener.accept().await {
            let (count, answer) = (count.clone(), answer.clone());
            tokio::spawn(async move {
                // The whole request: the head, then content-length bytes.
                let mut buf = Vec::new();
                let mut chunk = [0u8; 4096];
                let (head, length) = loop {
                    let n = stream.read(&mut chunk).await.unwrap();
                    assert!(n > 0, "the client closed before a full request");
                    buf.extend_from_slice(&chunk[..n]);
                    if let Some(i) = buf.windows(4).position(|w| w == b"\r\n\r\n") {
                        let head = String::from_utf8_lossy(&buf[..i]).to_ascii_lowercase();
                        let length = head
                            .lines()
                            .find_map(|l| l.strip_prefix("content-length:"))
                            .map_or(0, |v| v.trim().parse::<usize>().unwrap());
                        break (i + 4, length);
                    }
                };
                while buf.len() < head + length {
                    let n = stream.read(&mut chunk).await.unwrap();
                    buf.extend_from_slice(&chunk[..n]);
                }
                match answer(count.fetch_add(1, Ordering::SeqCst)) {
                    Some(bytes) => {
                        stream.write_all(&bytes).await.unwrap();
                        stream.shutdown().await.unwrap();
                    }
                    None => std::future::pending().await,
                }
            });
        }
    });
    (uri, received)
}

/// The caller drops the future (a timeout) while the second chunk's
/// answer is held back: the first chunk is in the progress, the second in
/// flight; resuming sends the second again and the rest.
#[tokio::test(start_paused = true)]
async fn a_dropped_batch_keeps_its_finished_chunks_and_names_the_one_in_flight() {
    let (uri, received) = holding_server(|n| (n != 1).then(|| accepted(&format!("b-{n}")))).await;
    // Each attempt may take 5 s: the caller's 1 s comes first.
    let client = builder(&uri).build().unwrap();
    let requests = messages(300);
    let mut progress = BatchProgress::new();
    let started = tokio::time::Instant::now();
    let sent = tokio::time::timeout(
        Duration::from_secs(1),
        client.send_batch(&requests, &mut progress),
    )
    .await;
    assert!(sent.is_err(), "the caller's timeout ends it: {sent:?}");
    assert_eq!(started.elapsed(), Duration::from_secs(1));
    assert_eq!(received.load(Ordering::SeqCst), 2);
    assert_eq!(shape(&progress), [(0, 100, true)]);
    let first = progress.chunks()[0].outcome.as_ref().unwrap();
    assert_eq!(first.batch_id.as_deref(), Some("b-0"));
    assert_eq!(progress.in_flight(), Some((100, 100)));

    client.send_batch(&requests, &mut progress).await.unwrap();
    assert_eq!(received.load(Ordering::SeqCst), 4);
    assert_eq!(
        shape(&progress),
        [(0, 100, true), (100, 100, true), (200, 100, true)]
    );
    assert_eq!(progress.in_flight(), None);
}

#[tokio::test]
async fn nothing_is_sent_for_no_messages_or_for_the_progress_of_other_messages() {
    let bird = support::bird().await;
    let client = builder(&bird.uri()).build().unwrap();
    let mut progress = BatchProgress::new();
    let err = client.send_batch(&[], &mut progress).await.unwrap_err();
    let Error::Validation(v) = &err else {
        panic!("{err:?}")
    };
    assert_eq!(v.field(), "requests");

    let requests = messages(250);
    client.send_batch(&requests, &mut progress).await.unwrap();
    let before = bird.requests().await.len();
    let err = client
        .send_batch(&requests[..150], &mut progress)
        .await
        .unwrap_err();
    let Error::Validation(v) = &err else {
        panic!("{err:?}")
    };
    assert_eq!(v.field(), "progress", "{v}");
    assert_eq!(bird.requests().await.len(), before, "nothing sent");
    assert_eq!(progress.chunks().len(), 3, "the progress is unchanged");
    assert_eq!(progress.in_flight(), None);
}

/// The mock answers a batch body Bird's `CreateBatchMessages` schema
/// rejects with 422, as Bird does: the old `messages` key, no array, an
/// empty one, more than 100, a message that is not a `CreateMessage`.
#[tokio::test]
async fn the_mock_refuses_batch_bodies_the_schema_rejects() {
    let bird = MockBird::start().await;
    let url = format!(
        "{}/workspaces/{}/channels/{}/batch/messages",
        bird.uri(),
        channels::mock::WORKSPACE_ID,
        channels::mock::CHANNEL_ID
    );
    let one = serde_json::to_value(text("x")).unwrap();
    let many = |n: usize| serde_json::Value::Array(vec![one.clone(); n]);
    let mut no_receiver = one.clone();
    no_receiver.as_object_mut().unwrap().remove("receiver");
    let cases = [
        (
            "the old messages key",
            serde_json::json!({ "messages": [one] }),
            422,
        ),
        (
            "not an array",
            serde_json::json!({ "messageRequests": one }),
            422,
        ),
        (
            "no message",
            serde_json::json!({ "messageRequests": [] }),
            422,
        ),
        (
            "101 messages",
            serde_json::json!({ "messageRequests": many(101) }),
            422,
        ),
        (
            "a message without receiver",
            serde_json::json!({ "messageRequests": [no_receiver] }),
            422,
        ),
        (
            "a message that is not an object",
            serde_json::json!({ "messageRequests": [1] }),
            422,
        ),
        (
            "1 message",
            serde_json::json!({ "messageRequests": [one] }),
            202,
        ),
        (
            "100 messages",
            serde_json::json!({ "messageRequests": many(100) }),
            202,
        ),
    ];
    for (what, body, status) in cases {
        let (got, answer) = post_json(&url, &body).await;
        assert_eq!(got, status, "{what}: {answer}");
        if status == 422 {
            let answer: serde_json::Value = serde_json::from_str(&answer).unwrap();
            assert_eq!(answer["code"], "MalformedRequest", "{what}");
        }
    }
}

/// POSTs `body` as JSON to `url` on 127.0.0.1 with a plain TCP stream:
/// the status and the answer's body.
async fn post_json(url: &str, body: &serde_json::Value) -> (u16, String) {
    let rest = url.strip_prefix("http://").unwrap();
    let (host, path) = rest.split_at(rest.find('/').unwrap());
    let body = body.to_string();
    let mut stream = tokio::net::TcpStream::connect(host).await.unwrap();
    let request = format!(
        "POST {path} HTTP/1.1\r\nHost: {host}\r\nAuthorization: AccessKey k\r\n\
         Content-Type: application/json\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{body}",
        body.len()
    );
    stream.write_all(request.as_bytes()).await.unwrap();
    let mut answer = String::new();
    stream.read_to_string(&mut answer).await.unwrap();
    let status = answer[9..12].parse().unwrap();
    let body = answer
        .split_once("\r\n\r\n")
        .map_or("", |(_, b)| b)
        .to_owned();
    (status, body)
}

/// The check every test's mock makes on drop can fail: a batch body the
/// schema rejects, sent to the checked mock, fails the test.
#[tokio::test]
#[should_panic(expected = "fails Bird's schema")]
async fn the_wire_check_fails_a_body_the_schema_rejects() {
    let bird = support::bird().await;
    let url = format!(
        "{}/workspaces/{}/channels/{}/batch/messages",
        bird.uri(),
        channels::mock::WORKSPACE_ID,
        channels::mock::CHANNEL_ID
    );
    let (status, _) = post_json(&url, &serde_json::json!({ "messages": [] })).await;
    assert_eq!(status, 422);
}

/// A chunk Bird accepted is accepted, whatever its answer holds: a
/// `batchId` of another type is left out and named in the outcome's
/// warnings, the other members kept, and the batch goes on. Only an answer
/// that is not JSON at all is a decode error, and it is that chunk's
/// outcome (Bird accepted it: not to be sent again).
#[tokio::test]
async fn a_chunk_bird_accepted_is_accepted_whatever_its_answer_holds() {
    let bird = support::bird().await;
    let client = builder(&bird.uri()).build().unwrap();
    let answer = |body: &str| ResponseTemplate::new(202).set_body_string(body.to_owned());
    answer_chunk_at(&bird, 0, answer(r#"{"batchId":42,"status":"accepted"}"#)).await;
    answer_chunk_at(&bird, 100, answer("<html>accepted</html>")).await;
    let progress = batch_of_300(&client).await;
    assert_eq!(
        shape(&progress),
        [(0, 100, true), (100, 100, false), (200, 100, true)]
    );
    let first = progress.chunks()[0].outcome.as_ref().unwrap();
    assert_eq!(first.batch_id, None);
    assert_eq!(
        first.raw.get("status"),
        Some(&serde_json::json!("accepted"))
    );
    let paths: Vec<_> = first.warnings().iter().map(|w| w.path()).collect();
    assert_eq!(paths, ["batchId"]);
    assert_eq!(first.warnings()[0].found(), "42");
    let not_json = progress.chunks()[1].outcome.as_ref().unwrap_err();
    assert!(matches!(**not_json, Error::Decode(_)), "{not_json}");
    assert!(
        progress.chunks()[2]
            .outcome
            .as_ref()
            .unwrap()
            .batch_id
            .is_some()
    );
}
