//! `dispatch` marks the campaign before the command leaves: concurrent
//! dispatches send once, audiences are refused meanwhile, and a dispatch
//! that may have reached Blip is not sent again.

use std::time::{Duration, Instant};

use crate::support::{PHONE_1, builder, client, phone};

use blip_campaign::mock::{MockBlip, MockVendor};
use blip_campaign::{
    Audience, Client, Error, ErrorCode, MessageTemplate, Progress, RetryClass, SendRetries,
};
use wiremock::ResponseTemplate;

const CAMPAIGN: &str = "cmp-1";

fn message() -> MessageTemplate {
    MessageTemplate::whatsapp("t", ["1"])
}

fn audiences() -> Vec<Audience> {
    vec![Audience::new(phone(PHONE_1)).param("1", "Ana")]
}

/// How many commands with `uri` the mock received.
async fn sent(blip: &MockBlip, uri: &str) -> usize {
    let commands = blip.commands().await;
    commands.iter().filter(|c| c["uri"] == uri).count()
}

/// The refusal before sending: a validation error on `campaignId` whose
/// text holds `words`.
fn assert_refused<T: std::fmt::Debug>(result: Result<T, Error>, words: &str, case: &str) {
    match result {
        Err(Error::Validation(v)) => {
            assert_eq!(v.field(), "campaignId", "{case}");
            assert!(v.reason().contains(words), "{case}: {v}");
        }
        other => panic!("{case}: expected a refusal saying {words:?}, got {other:?}"),
    }
}

/// Every operation a dispatch in progress (or done, or maybe done) shuts.
#[derive(Debug, Clone, Copy)]
enum Op {
    Dispatch,
    AddAudiences,
    AddAudiencesFile,
}

impl Op {
    const ALL: [Op; 3] = [Op::Dispatch, Op::AddAudiences, Op::AddAudiencesFile];

    async fn run(self, c: &Client) -> Result<(), Error> {
        match self {
            Op::Dispatch => c.dispatch(CAMPAIGN).await.map(drop),
            Op::AddAudiences => {
                let mut progress = Progress::new();
                c.add_audiences(CAMPAIGN, &message(), &audiences(), &mut progress)
                    .await
            }
            Op::AddAudiencesFile => {
                c.add_audiences_file(CAMPAIGN, &message(), &audiences())
                    .await
            }
        }
    }
}

/// A dispatch and, while its command is under way, a second operation on
/// the same campaign: the second is refused without sending, and exactly
/// one `/dispatch/v2` reaches Blip.
#[tokio::test]
async fn a_concurrent_dispatch_or_upload_is_refused_while_a_dispatch_is_under_way() {
    for op in Op::ALL {
        let blip = MockBlip::start().await;
        let c = client(&blip.uri());
        // The first future is polled first: its command is under way when
        // the second starts.
        let (first, second) = tokio::join!(c.dispatch(CAMPAIGN), op.run(&c));
        first.unwrap();
        assert_refused(
            second,
            "is being dispatched by another call",
            &format!("{op:?}"),
        );
        let commands = blip.commands().await;
        assert_eq!(
            commands.len(),
            1,
            "{op:?}: only the first dispatch was sent"
        );
        assert_eq!(commands[0]["uri"], "/dispatch/v2", "{op:?}");
        // Afterwards: dispatched.
        assert_refused(op.run(&c).await, "already dispatched", &format!("{op:?}"));
        assert_eq!(blip.commands().await.len(), 1, "{op:?}");
    }
}

/// Eight tasks on two threads dispatch one campaign through clones of one
/// client: one command goes out, seven are refused.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn racing_dispatches_on_threads_send_once() {
    let blip = MockBlip::start().await;
    let c = client(&blip.uri());
    let tasks: Vec<_> = (0..8)
        .map(|_| {
            let c = c.clone();
            tokio::spawn(async move { c.dispatch(CAMPAIGN).await })
        })
        .collect();
    let mut ok = 0;
    for task in tasks {
        match task.await.unwrap() {
            Ok(_) => ok += 1,
            Err(Error::Validation(v)) => assert_eq!(v.field(), "campaignId"),
            Err(e) => panic!("{e:?}"),
        }
    }
    assert_eq!(ok, 1);
    assert_eq!(sent(&blip, "/dispatch/v2").await, 1);
}

/// How the first dispatch fails.
enum Failure {
    /// A scripted HTTP answer, `times` times.
    Answer(ResponseTemplate, u64),
    /// A failure envelope with this reason, `times` times.
    Reason(ErrorCode, u64),
    /// HTTP 504 once, then 429 on the retries of a client that retries
    /// sends `IfDeduplicated`: the last attempt is `Safe`, the first is not.
    TimeoutThenThrottled,
    /// The caller drops the future while the command is under way.
    Dropped,
}

/// After a failed dispatch: one whose every attempt was refused as not
/// processed may be dispatched again; one that may have reached Blip is
/// refused, like audiences for it, saying it may have been dispatched.
#[tokio::test]
async fn after_a_failed_dispatch_only_a_safe_one_may_be_sent_again() {
    use RetryClass::{IfDeduplicated, Never, Safe};
    // (case, how the first dispatch fails, its error's class, may it be
    // sent again)
    let cases = [
        (
            "429 on every attempt",
            Failure::Answer(ResponseTemplate::new(429), 3),
            Some(Safe),
            true,
        ),
        (
            "reason 85 on every attempt",
            Failure::Reason(ErrorCode::GatewayRequestLimitReached, 3),
            Some(Safe),
            true,
        ),
        (
            "HTTP 504",
            Failure::Answer(ResponseTemplate::new(504), 1),
            Some(IfDeduplicated),
            false,
        ),
        (
            "reason 86",
            Failure::Reason(ErrorCode::GatewayOperationTimedOut, 1),
            Some(IfDeduplicated),
            false,
        ),
        (
            "HTTP 500",
            Failure::Answer(ResponseTemplate::new(500), 1),
            Some(Never),
            false,
        ),
        (
            "reason 51",
            Failure::Reason(ErrorCode::DispatchError, 1),
            Some(Never),
            false,
        ),
        (
            "a 200 that does not decode",
            Failure::Answer(ResponseTemplate::new(200).set_body_string("<html>"), 1),
            Some(Never),
            false,
        ),
        (
            "504 then 429 with IfDeduplicated retries",
            Failure::TimeoutThenThrottled,
            Some(Safe),
            false,
        ),
        ("a dropped future", Failure::Dropped, None, false),
    ];
    for (case, failure, class, may_resend) in cases {
        let blip = MockBlip::start().await;
        let mut c = client(&blip.uri());
        match failure {
            Failure::Answer(answer, times) => blip.respond_next(answer, times).await,
            Failure::Reason(code, times) => blip.fail_next(code, times).await,
            Failure::TimeoutThenThrottled => {
                c = builder(&blip.uri())
                    .send_retries(SendRetries::IfDeduplicated)
                    .build()
                    .unwrap();
                blip.respond_next(ResponseTemplate::new(504), 1).await;
                blip.respond_next(ResponseTemplate::new(429), 2).await;
            }
            Failure::Dropped => {
                let slow = ResponseTemplate::new(200).set_delay(Duration::from_secs(60));
                blip.respond_next(slow, 1).await;
            }
        }
        match class {
            Some(class) => {
                let err = c.dispatch(CAMPAIGN).await.unwrap_err();
                assert_eq!(err.retry_class(), class, "{case}: {err:?}");
            }
            None => drop_under_way(&blip, c.dispatch(CAMPAIGN)).await,
        }
        let attempts = sent(&blip, "/dispatch/v2").await;
        assert!(attempts >= 1, "{case}");

        if may_resend {
            c.dispatch(CAMPAIGN).await.unwrap();
            assert_eq!(sent(&blip, "/dispatch/v2").await, attempts + 1, "{case}");
            assert_refused(Op::Dispatch.run(&c).await, "already dispatched", case);
        } else {
            for op in Op::ALL {
                let case = format!("{case}, then {op:?}");
                assert_refused(op.run(&c).await, "may have been dispatched", &case);
            }
            assert_eq!(
                blip.commands().await.len(),
                attempts,
                "{case}: nothing sent"
            );
        }
    }
}

/// Polls `dispatch` until the mock holds its command, then drops it.
async fn drop_under_way<F: Future<Output = Result<T, Error>>, T: std::fmt::Debug>(
    blip: &MockBlip,
    dispatch: F,
) {
    tokio::pin!(dispatch);
    let deadline = Instant::now() + Duration::from_secs(4);
    while blip.requests().await.is_empty() {
        tokio::select! {
            result = &mut dispatch => panic!("the delayed dispatch was answered: {result:?}"),
            () = tokio::time::sleep(Duration::from_millis(5)) => {}
        }
        assert!(Instant::now() < deadline, "the dispatch never came");
    }
}

/// A dispatch Blip accepted is a dispatch done, whatever else its success
/// envelope holds: members of unexpected types (an `id` that is a number,
/// a `metadata` that is a string) are left out and named in the answer's
/// warnings, the rest kept; an envelope without `status` answers a command
/// Blip accepted too. The campaign is then dispatched: never sent again.
#[tokio::test]
async fn a_dispatch_blip_accepted_is_done_whatever_its_envelope_holds() {
    let cases = [
        (
            r#"{"id":7,"method":"set","status":"success","metadata":"x","from":"postmaster@activecampaign.msging.net"}"#,
            &["id", "metadata"][..],
        ),
        (
            r#"{"method":"set","from":"postmaster@activecampaign.msging.net"}"#,
            &[][..],
        ),
    ];
    for (body, left_out) in cases {
        let blip = MockBlip::start().await;
        let c = client(&blip.uri());
        let answer = ResponseTemplate::new(200).set_body_string(body);
        blip.respond_next(answer, 1).await;
        let done = c.dispatch(CAMPAIGN).await.unwrap();
        let paths: Vec<_> = done.warnings().iter().map(|w| w.path()).collect();
        assert_eq!(paths, left_out, "{body}");
        assert_eq!(done.id, None, "{body}");
        assert_eq!(
            done.from.as_deref(),
            Some("postmaster@activecampaign.msging.net"),
            "{body}"
        );
        assert_refused(Op::Dispatch.run(&c).await, "already dispatched", body);
        assert_eq!(sent(&blip, "/dispatch/v2").await, 1, "{body}");
    }
}
