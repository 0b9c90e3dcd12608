//! The demo's Bird section, run on a mock that checks every request body
//! against Bird's own schemas (`CreateMessage`, `CreateBatchMessages`,
//! formats enforced): the demo sends nothing a real Bird would refuse.
#![allow(clippy::unwrap_used)]

use channels::mock::MockVendor;

#[path = "../../crates/channels/tests/support/mod.rs"]
mod support;

#[tokio::test]
async fn every_bird_body_the_demo_sends_is_schema_valid() {
    let bird = support::bird_with_key(xtask::demo::CHANNELS_DEMO_KEY).await;
    xtask::demo::channels_demo_on(&bird).await.unwrap();
    let requests = bird.requests().await;
    // Three single sends (the last with a wrong key) and three batch
    // chunks, each checked here (and again when the mock is dropped).
    assert_eq!(support::assert_wire_valid(&requests), 6);
    let reads = requests
        .iter()
        .filter(|r| r.method == "GET" && r.path.contains("/messages"))
        .count();
    assert!(reads >= 2, "the batch was read back: {reads} reads");
}

#[tokio::test]
async fn every_bird_body_the_router_demo_sends_is_schema_valid() {
    let bird = support::bird_with_key(xtask::demo::CHANNELS_DEMO_KEY).await;
    xtask::demo::router_demo_on(&bird).await.unwrap();
    let requests = bird.requests().await;
    // One send: the failover from the gateway; the resend came from the
    // ledger and the timeout did not fail over.
    assert_eq!(support::assert_wire_valid(&requests), 1);
}
