//! Failures: a failure envelope is a typed refusal with LIME's reason, an
//! HTTP error is distinct, and the retry rules hold on the wire.

use crate::support::{builder, client, fixture};

use blip_campaign::mock::{MockBlip, MockVendor};
use blip_campaign::{
    Command, CommandMethod, CommandResponse, CommandStatus, Error, ErrorCode, RetryClass,
    SendRetries, TransportErrorKind,
};
use whatsapp_common::mock::ClosingServer;
use wiremock::ResponseTemplate;

#[tokio::test]
async fn a_failed_command_is_a_typed_error_and_http_errors_are_distinct() {
    let failure: CommandResponse =
        serde_json::from_str(&fixture("research_command_failure.json")).unwrap();
    assert_eq!(failure.status, CommandStatus::Failure);
    let reason = failure.reason.unwrap();
    assert_eq!(
        (reason.code, reason.description.as_deref()),
        (ErrorCode::Unknown(60), Some("Invalid list identifier"))
    );
    assert_eq!(reason.code.name(), None, "60 is Blip's own");
    let ok: CommandResponse =
        serde_json::from_str(&fixture("research_command_success.json")).unwrap();
    assert_eq!(
        (ok.status, ok.id.as_deref(), ok.from.as_deref()),
        (
            CommandStatus::Success,
            Some("1"),
            Some("postmaster@broadcast.msging.net/#hmgirismsging2")
        )
    );
    assert_eq!(
        (ok.to.as_deref(), ok.method),
        (
            Some("my-contact@msging.net/default"),
            Some(CommandMethod::Set)
        )
    );

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
        (CommandStatus::Failure, 62)
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
    // 429: throttled, not processed: retried with the same command id.
    let blip = MockBlip::start().await;
    blip.respond_next(ResponseTemplate::new(429), 1).await;
    let c = client(&blip.uri());
    c.cancel_campaign("y").await.unwrap();
    let cmds = blip.commands().await;
    assert_eq!(cmds.len(), 2);
    assert_eq!(
        cmds[0]["id"], cmds[1]["id"],
        "the retry is the same command"
    );
}

/// Reason 85 (the gateway's request limit) is a throttling refusal: sent
/// again with the same command id whatever `send_retries` says. Reason 86
/// (the gateway operation timed out) may have been carried out: sent again
/// only with `SendRetries::IfDeduplicated`. Other failures are final.
#[tokio::test]
async fn gateway_limit_and_timeout_failures_follow_the_one_classifier() {
    let blip = MockBlip::start().await;
    blip.fail_next(ErrorCode::GatewayRequestLimitReached, 1)
        .await;
    client(&blip.uri()).cancel_campaign("a").await.unwrap();
    let cmds = blip.commands().await;
    assert_eq!(cmds.len(), 2);
    assert_eq!(cmds[0]["id"], cmds[1]["id"], "the same command");

    let blip = MockBlip::start().await;
    blip.fail_next(ErrorCode::GatewayRequestLimitReached, 10)
        .await;
    let err = client(&blip.uri()).cancel_campaign("a").await.unwrap_err();
    assert_eq!(err.code(), Some(ErrorCode::GatewayRequestLimitReached));
    assert_eq!(
        (err.retry_class(), err.attempts()),
        (RetryClass::Safe, Some(3))
    );

    let blip = MockBlip::start().await;
    blip.fail_next(ErrorCode::GatewayOperationTimedOut, 1).await;
    let err = client(&blip.uri()).cancel_campaign("a").await.unwrap_err();
    assert_eq!(err.code(), Some(ErrorCode::GatewayOperationTimedOut));
    assert_eq!(err.retry_class(), RetryClass::IfDeduplicated);
    assert_eq!(blip.requests().await.len(), 1, "a send is not repeated");
    // A read, or a send with de-duplication declared, is.
    blip.fail_next(ErrorCode::GatewayOperationTimedOut, 1).await;
    client(&blip.uri()).report("a").await.unwrap();
    blip.fail_next(ErrorCode::GatewayOperationTimedOut, 1).await;
    let dedup = builder(&blip.uri())
        .send_retries(SendRetries::IfDeduplicated)
        .build()
        .unwrap();
    dedup.cancel_campaign("a").await.unwrap();
    let cmds = blip.commands().await;
    assert_eq!(cmds.len(), 5);
    assert_eq!(cmds[3]["id"], cmds[4]["id"], "the same command");

    let blip = MockBlip::start().await;
    blip.fail_next(ErrorCode::GatewayError, 3).await;
    let err = client(&blip.uri()).report("a").await.unwrap_err();
    assert_eq!(
        (err.retry_class(), err.attempts()),
        (RetryClass::Never, Some(1))
    );
}

#[tokio::test]
async fn a_closed_set_is_not_retried_but_a_closed_get_is() {
    let server = ClosingServer::start(|_| None).unwrap();
    let c = client(&server.uri());
    let err = c.cancel_campaign("x").await.unwrap_err();
    let Error::Transport(t) = &err else {
        panic!("{err:?}")
    };
    assert_eq!(t.kind(), TransportErrorKind::Io);
    assert_eq!(server.closed(), 1);
    assert!(c.report("x").await.is_err());
    assert_eq!(server.closed(), 4);
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
