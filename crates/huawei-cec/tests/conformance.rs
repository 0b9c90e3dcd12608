//! The workspace's conformance suite, run against huawei-cec: no secret
//! leaks (neither the app secret nor any token), honest retry advice, no
//! blind retry after a closed connection, `Retry-After` on paused time,
//! bounded error bodies, hostile bytes. The token call is the suite's
//! auxiliary call: answered as documented wherever the suite scripts the
//! server, never counted as a send.
#![allow(clippy::unwrap_used)]

#[path = "support/mod.rs"]
mod support;

use huawei_cec::mock::MockCec;
use huawei_cec::{
    Client, ClientBuilder, DecodeError, ErrorCode, Operation, SEND_PATH, SendResponse,
    ServiceException, TOKEN_PATH, TokenResponse,
};
use whatsapp_common::conformance::{Hooks, Profile, send_fn};
use whatsapp_common::mock::{fixture, fixture_json, http_response};

const APP_KEY: &str = "app-key";
const APP_SECRET: &str = "App-SECRET-5b2e91";
/// How every token the suite's servers issue starts, the mock's
/// (`mock-token-N`) and the auxiliary hook's alike: a secret too.
const TOKEN: &str = "mock-token-";

/// CEC documents statuses, not codes; a 429 refuses before any processing.
fn cec() -> Profile<MockCec, ClientBuilder> {
    Profile {
        builder: Box::new(|| Client::builder(APP_KEY, APP_SECRET)),
        credentials: Box::new(|| (APP_KEY.into(), APP_SECRET.into())),
        secrets: vec![APP_SECRET, TOKEN],
        send: send_fn(
            |client: Client| async move { client.send(&support::request()).await.map(drop) },
        ),
        codes: [400, 401, 404, 429, 500, 502, 503, 504]
            .map(ErrorCode::from_status)
            .to_vec(),
        throttled: Some((429, String::new())),
        success: (200, fixture("huawei-cec", "send_response.json")),
        samples: support::SAMPLES
            .map(|n| fixture("huawei-cec", n).into_bytes())
            .to_vec(),
        decode: |bytes| {
            let _ = DecodeError::json::<TokenResponse>(200, bytes, false);
            let _ = DecodeError::json::<SendResponse>(200, bytes, false);
            let _ = serde_json::from_slice::<ServiceException>(bytes);
        },
        hooks: Hooks {
            is_send: |request| request.path == SEND_PATH,
            // The documented token answer, with a fresh `AccessToken`.
            auxiliary: |request| {
                (request.path == TOKEN_PATH).then(|| {
                    let mut token = fixture_json("huawei-cec", "research_token_response.json");
                    token["AccessToken"] = format!("{TOKEN}{}", whatsapp_common::new_id()).into();
                    http_response(200, &[], &token.to_string())
                })
            },
            // A send refused with 401: the client renews the token and
            // sends once more.
            extra_sends: |error| match error.api() {
                Some(a) if a.operation == Operation::Send && a.code == ErrorCode::Unauthorized => 1,
                _ => 0,
            },
            ..Hooks::default()
        },
    }
}

whatsapp_common::conformance_suite!(cec());
