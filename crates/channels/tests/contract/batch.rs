//! Contract: batches go out in chunks of 100, each chunk reported.

use crate::support;

use channels::SendRequest;
use channels::mock::{MockBird, MockVendor, ResponseTemplate};
use support::{builder, text};

#[tokio::test]
async fn batches_are_chunked_by_100_and_reported_per_chunk() {
    let bird = MockBird::start().await;
    let client = builder(&bird.uri()).build().unwrap();
    let requests: Vec<SendRequest> = (0..250).map(|i| text(format!("message {i}"))).collect();
    let chunks = client.send_batch(&requests).await;
    let shape: Vec<(usize, usize)> = chunks.iter().map(|c| (c.first_index, c.len)).collect();
    assert_eq!(shape, [(0, 100), (100, 100), (200, 50)]);
    assert!(
        chunks
            .iter()
            .all(|c| c.result.as_ref().unwrap().batch_id.is_some())
    );
    let posted = bird.requests().await;
    assert_eq!(posted.len(), 3);
    assert!(posted[0].path.ends_with("/batch/messages"));
    let second = posted[1].json().unwrap();
    assert_eq!(second["messages"].as_array().unwrap().len(), 100);
    assert_eq!(second["messages"][0]["body"]["text"]["text"], "message 100");

    // One failing chunk does not stop the rest.
    bird.respond_next(ResponseTemplate::new(500), 1).await;
    let chunks = client.send_batch(&requests[..150]).await;
    assert!(chunks[0].result.is_err());
    assert!(chunks[1].result.is_ok());
    assert!(client.send_batch(&[]).await.is_empty());
}
