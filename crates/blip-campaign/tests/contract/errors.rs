//! Failures: a failure envelope is a typed refusal with LIME's reason, an
//! HTTP error is distinct, and the retry rules hold on the wire.

use crate::support::{builder, client};

use blip_campaign::mock::{MockBlip, MockVendor};
use blip_campaign::{
    Command, CommandMethod, CommandStatus, Error, ErrorCode, RetryClass, SendRetries,
};
use whatsapp_common::mock::ClosingServer;
use wiremock::ResponseTemplate;

#[tokio::test]
async fn a_failed_command_is_a_typed_error_and_http_errors_are_distinct() {
    let blip = MockBlip::start().await;
    let c = client(&blip.uri());
    blip.fail_next_with(
        ErrorCode::CommandNotAllowed,
        "This user does not have permission to perform this operation",
        1,
    )
    .await;
    let err = c.cancel_campaign("x").await.unwrap_err();
    let Error::Vendor(v) = &err else {
        panic!("{err:?}")
    };
    let reason = v.reason.as_ref().unwrap();
    assert_eq!(
        (v.uri.as_str(), reason.code.as_i64(), reason.code.name()),
        ("/campaigns/x", 66, Some("COMMAND_NOT_ALLOWED"))
    );
    assert_eq!(v.status(), 200, "a failure envelope is an HTTP 200");
    assert!(
        err.to_string()
            .contains("reason 66 (COMMAND_NOT_ALLOWED): This user does not have permission"),
        "{err}"
    );
    assert_eq!(err.retry_class(), RetryClass::Never);

    // Unknown uri: no processor.
    let err = c
        .send_command(&Command::new(CommandMethod::Get, "/nothing"))
        .await
        .unwrap();
    assert_eq!(
        (err.status, err.reason.unwrap().code.as_i64()),
        (Some(CommandStatus::Failure), 62)
    );

    // HTTP-level errors, each from a fresh mock.
    for status in [400, 401, 504] {
        let blip = MockBlip::start().await;
        blip.respond_next(ResponseTemplate::new(status).set_body_string("nope"), 3)
            .await;
        let err = client(&blip.uri()).cancel_campaign("x").await.unwrap_err();
        let Error::Vendor(v) = &err else {
            panic!("{err:?}")
        };
        assert_eq!((v.status(), v.raw_body().text().as_ref()), (status, "nope"));
        assert_eq!(v.reason, None, "an HTTP error carries no LIME reason");
        assert_eq!(
            err.to_string(),
            format!("Blip answered HTTP {status}; body: nope")
        );
        // 504 is transient, but the delete may have been carried out: it is
        // not sent again by default.
        let class = if status == 504 {
            RetryClass::IfDeduplicated
        } else {
            RetryClass::Never
        };
        assert_eq!(err.retry_class(), class, "HTTP {status}");
        assert_eq!(blip.requests().await.len(), 1, "HTTP {status}");
    }
}

/// Reason 85 (the gateway's request limit) is a throttling refusal: sent
/// again with the same command id whatever `send_retries` says. Reason 86
/// (the gateway operation timed out) may have been carried out: sent again
/// only for a read or with `SendRetries::IfDeduplicated`. Other failures
/// are final, a read's too.
#[tokio::test]
async fn gateway_limit_and_timeout_failures_follow_the_one_classifier() {
    use ErrorCode::{GatewayError, GatewayOperationTimedOut, GatewayRequestLimitReached};
    use RetryClass::{IfDeduplicated, Never, Safe};

    // Refused every time: (code, a read?, the advice, the attempts made).
    let refused = [
        (GatewayRequestLimitReached, false, Safe, 3),
        (GatewayOperationTimedOut, false, IfDeduplicated, 1),
        (GatewayError, true, Never, 1),
    ];
    for (code, read, class, attempts) in refused {
        let blip = MockBlip::start().await;
        blip.fail_next(code, 10).await;
        let c = client(&blip.uri());
        let err = if read {
            c.report("a").await.map(drop)
        } else {
            c.cancel_campaign("a").await
        }
        .unwrap_err();
        assert_eq!(err.code(), Some(code));
        assert_eq!((err.retry_class(), err.attempts()), (class, Some(attempts)));
        assert_eq!(blip.requests().await.len(), attempts as usize, "{code:?}");
    }

    // Refused once, then sent again as the same command: a throttling
    // refusal, or a timeout where a replay is harmless.
    let retried = [
        (
            GatewayRequestLimitReached,
            false,
            SendRetries::IfNotProcessed,
        ),
        (GatewayOperationTimedOut, true, SendRetries::IfNotProcessed),
        (GatewayOperationTimedOut, false, SendRetries::IfDeduplicated),
    ];
    for (code, read, send_retries) in retried {
        let blip = MockBlip::start().await;
        blip.fail_next(code, 1).await;
        let c = builder(&blip.uri())
            .send_retries(send_retries)
            .build()
            .unwrap();
        if read {
            c.report("a").await.map(drop)
        } else {
            c.cancel_campaign("a").await
        }
        .unwrap();
        assert_same_command_twice(&blip).await;
    }

    // HTTP 429: throttled, not processed.
    let blip = MockBlip::start().await;
    blip.respond_next(ResponseTemplate::new(429), 1).await;
    client(&blip.uri()).cancel_campaign("y").await.unwrap();
    assert_same_command_twice(&blip).await;
}

/// The mock got two commands, the second a retry of the first.
async fn assert_same_command_twice(blip: &MockBlip) {
    let cmds = blip.commands().await;
    assert_eq!(cmds.len(), 2);
    assert_eq!(
        cmds[0]["id"], cmds[1]["id"],
        "the retry is the same command"
    );
}

/// A closed connection after a `get` is retried: a read is idempotent (the
/// conformance suite checks that a send is not).
#[tokio::test]
async fn a_closed_get_is_retried() {
    let server = ClosingServer::start(|_| None).unwrap();
    assert!(client(&server.uri()).report("x").await.is_err());
    assert_eq!(server.closed(), 3);
}

#[tokio::test]
async fn a_failure_envelope_names_what_it_lacks() {
    let blip = MockBlip::start().await;
    blip.respond_next(
        ResponseTemplate::new(200).set_body_string(r#"{"status":"failure"}"#),
        1,
    )
    .await;
    let err = client(&blip.uri()).cancel_campaign("x").await.unwrap_err();
    assert_eq!(err.code(), None);
    assert_eq!(
        err.to_string(),
        "Blip refused the command /campaigns/x: no reason given"
    );
    let neutral: blip_campaign::SendError = err.into();
    assert_eq!(neutral.kind(), blip_campaign::SendErrorKind::Vendor);
}
