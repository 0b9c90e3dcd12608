//! The token's own leak paths, which the conformance suite (it knows the
//! app secret only) does not walk: the tokens CEC issues never reach
//! `Debug`, `Display`, error chains or logs, on a renewal after a 401, in a
//! fetched `TokenResponse`, in a token answer cut short; and both secrets
//! did reach CEC, where they belong.
//!
//! The log sink is the process-wide TRACE subscriber of the conformance
//! suite, so every test of this binary logs where the check looks.

use crate::support;

use std::time::Duration;

use huawei_cec::mock::{MockCec, MockVendor, ResponseTemplate};
use huawei_cec::{Client, SendError};
use whatsapp_common::conformance::capture_logs;
use whatsapp_common::mock::error_chain;
use wiremock::matchers::{method, path};

const SECRET: &str = "App-SECRET-77c1d0";

#[tokio::test]
async fn the_app_secret_and_tokens_appear_nowhere() {
    let logs = capture_logs();

    let cec = MockCec::start_with_credentials("app-key", SECRET).await;
    let builder = Client::builder("app-key", SECRET)
        .base_url(cec.uri())
        .timeout(Duration::from_millis(300))
        .retry_policy(support::fast_retries());
    let mut seen = vec![format!("{builder:?}")];
    let client = builder.build().unwrap();
    seen.push(format!("{client:?}"));
    let request = support::request();
    seen.push(format!("{request:?}"));

    client.send(&request).await.unwrap();
    seen.push(format!("{:?}", client.fetch_token().await.unwrap()));
    cec.expire_tokens();
    client.send(&request).await.unwrap();
    for status in [400, 401, 404, 429, 500, 502, 503] {
        cec.respond_next(ResponseTemplate::new(status).set_body_string("{}"), 5)
            .await;
        seen.push(error_chain(&client.send(&request).await.unwrap_err()));
    }
    cec.respond_next(
        ResponseTemplate::new(200).set_delay(Duration::from_secs(2)),
        1,
    )
    .await;
    seen.push(error_chain(&client.send(&request).await.unwrap_err()));
    cec.respond_next(ResponseTemplate::new(200).set_body_string("<html>"), 1)
        .await;
    seen.push(error_chain(&client.send(&request).await.unwrap_err()));
    let wrong = Client::builder("app-key", "wrong")
        .base_url(cec.uri())
        .build()
        .unwrap();
    seen.push(error_chain(&wrong.send(&request).await.unwrap_err()));
    // A token answer that is cut short must not be quoted.
    let broken = wiremock::MockServer::start().await;
    wiremock::Mock::given(method("POST"))
        .and(path(huawei_cec::TOKEN_PATH))
        .respond_with(ResponseTemplate::new(200).set_body_string(r#"{"AccessToken":"mock-token-x"#))
        .mount(&broken)
        .await;
    let c = Client::builder("app-key", SECRET)
        .base_url(broken.uri())
        .build()
        .unwrap();
    let err = c.send(&request).await.unwrap_err();
    seen.push(error_chain(&err));
    let boxed: SendError = err.into();
    seen.push(error_chain(&boxed));

    let logged = logs.text();
    assert!(logged.contains("whatsapp.request"), "spans were logged");
    assert!(logged.contains("new token"), "token renewals were logged");
    for text in seen.iter().chain([&logged]) {
        assert!(!text.contains(SECRET), "secret in {text}");
        assert!(!text.contains("mock-token-"), "token in {text}");
    }
    // They did reach the service, where they belong.
    let requests = cec.requests().await;
    assert_eq!(requests[0].json().unwrap()["app_secret"], SECRET);
    assert_eq!(
        requests[1].header("authorization"),
        Some("Bearer mock-token-1")
    );
}
