//! `add_audiences` records each accepted command in the caller's
//! `Progress`: an error or a dropped future leaves the chunks already added
//! on record, and a call with the same progress resumes after them.

use std::time::{Duration, Instant};

use crate::support::{client, phone};

use blip_campaign::mock::{MockBlip, MockVendor};
use blip_campaign::{
    Audience, Error, MAX_AUDIENCES_PER_COMMAND, MessageTemplate, Progress, RetryClass,
};
use serde::Deserialize;
use wiremock::{Mock, ResponseTemplate};

const MAX: usize = MAX_AUDIENCES_PER_COMMAND;

/// `n` audiences with distinct recipients, for `message()`.
fn audiences(n: usize) -> Vec<Audience> {
    (0..n)
        .map(|i| Audience::new(phone(&format!("+55319{i:08}"))).param("1", "x"))
        .collect()
}

fn message() -> MessageTemplate {
    MessageTemplate::whatsapp("t", ["1"])
}

/// The recipient of each audience, as the commands carry them.
fn recipients_of(audiences: &[Audience]) -> Vec<String> {
    audiences
        .iter()
        .map(|a| {
            serde_json::to_value(a).unwrap()["recipient"]
                .as_str()
                .unwrap()
                .to_owned()
        })
        .collect()
}

/// An audience command as the tests read it: its recipients only.
#[derive(Deserialize)]
struct Sent {
    resource: Items,
}

#[derive(Deserialize)]
struct Items {
    items: Vec<Recipient>,
}

#[derive(Deserialize)]
struct Recipient {
    recipient: String,
}

/// The recipients one `/audiences/v2/…` command carried.
fn recipients(body: &[u8]) -> Vec<String> {
    let sent: Sent = serde_json::from_slice(body).unwrap();
    sent.resource
        .items
        .into_iter()
        .map(|i| i.recipient)
        .collect()
}

/// The recipients of every command the mock received, oldest first.
async fn sent(blip: &MockBlip) -> Vec<Vec<String>> {
    let requests = blip.requests().await;
    requests.iter().map(|r| recipients(&r.body)).collect()
}

/// The finished chunks as `(first_index, len)`.
fn chunks(progress: &Progress<()>) -> Vec<(usize, usize)> {
    progress
        .chunks()
        .iter()
        .map(|c| (c.first_index, c.len))
        .collect()
}

/// Matches the audience command whose first item goes to `.0`: one chunk.
struct ChunkFrom(String);

impl wiremock::Match for ChunkFrom {
    fn matches(&self, request: &wiremock::Request) -> bool {
        serde_json::from_slice::<Sent>(&request.body).is_ok_and(|c| {
            c.resource
                .items
                .first()
                .is_some_and(|i| i.recipient == self.0)
        })
    }
}

/// The next `times` commands carrying the chunk that starts with
/// `recipient` get `answer`; the rest go to the mock's own routes.
async fn answer_chunk(blip: &MockBlip, recipient: &str, answer: ResponseTemplate, times: u64) {
    Mock::given(ChunkFrom(recipient.to_owned()))
        .respond_with(answer)
        .up_to_n_times(times)
        .with_priority(1)
        .named(format!("the chunk from {recipient}"))
        .mount(blip.http().server())
        .await;
}

/// 12,001 audiences go in three commands; Blip refuses the second. The
/// error comes back with the first chunk on record and the second in
/// flight, and a second call with the same progress sends from audience
/// 5,000 on: every audience is added once, the first chunk never again.
#[tokio::test]
async fn a_failed_chunk_is_reported_and_a_retry_resumes_after_the_added_ones() {
    let failure = r#"{"status":"failure","reason":{"code":86,"description":"gateway timeout"}}"#;
    // (what Blip answers the second command, how many times, the error's
    // class, the attempts the client made)
    let cases = [
        (
            ResponseTemplate::new(200).set_body_string(failure),
            1,
            RetryClass::IfDeduplicated,
            1,
        ),
        (ResponseTemplate::new(500), 1, RetryClass::Never, 1),
        // Throttled on every attempt: retried by the client, then given up.
        (ResponseTemplate::new(429), 3, RetryClass::Safe, 3),
    ];
    let all = audiences(2 * MAX + 1);
    let expected = recipients_of(&all);
    for (answer, times, class, attempts) in cases {
        let blip = MockBlip::start().await;
        let c = client(&blip.uri());
        answer_chunk(&blip, &expected[MAX], answer, times).await;

        let mut progress = Progress::new();
        let err = c
            .add_audiences("cmp-1", &message(), &all, &mut progress)
            .await
            .unwrap_err();
        assert!(matches!(err, Error::Vendor(_)), "{err:?}");
        assert_eq!((err.retry_class(), err.attempts()), (class, Some(attempts)));
        assert_eq!(chunks(&progress), [(0, MAX)], "{class:?}: chunk 0 added");
        assert_eq!(progress.in_flight(), Some((MAX, MAX)), "{class:?}");
        assert_eq!(progress.next_index(), MAX);
        let first_call = sent(&blip).await;
        assert_eq!(first_call.len(), 1 + attempts as usize, "{class:?}");
        assert_eq!(first_call[0], expected[..MAX]);
        assert!(
            first_call[1..].iter().all(|r| *r == expected[MAX..2 * MAX]),
            "{class:?}: only the failing chunk was tried again"
        );

        c.add_audiences("cmp-1", &message(), &all, &mut progress)
            .await
            .unwrap();
        let commands = sent(&blip).await;
        let second_call = &commands[first_call.len()..];
        assert_eq!(second_call.len(), 2, "{class:?}: chunks 1 and 2 only");
        let resent = second_call.concat();
        assert_eq!(resent, expected[MAX..], "{class:?}: from audience 5,000 on");
        // What Blip accepted: every audience once, the first chunk included.
        assert_eq!(
            [&first_call[0][..], &resent].concat(),
            expected,
            "{class:?}"
        );
        let first_chunk_sent = commands
            .iter()
            .filter(|r| r.first() == Some(&expected[0]))
            .count();
        assert_eq!(
            first_chunk_sent, 1,
            "{class:?}: chunk 0 is never sent again"
        );
        assert_eq!(
            chunks(&progress),
            [(0, MAX), (MAX, MAX), (2 * MAX, 1)],
            "{class:?}"
        );
        assert_eq!(
            (progress.next_index(), progress.in_flight()),
            (all.len(), None)
        );

        // Done: the same progress again sends nothing.
        c.add_audiences("cmp-1", &message(), &all, &mut progress)
            .await
            .unwrap();
        assert_eq!(blip.requests().await.len(), commands.len(), "{class:?}");
    }
}

/// The caller drops the future (a timeout, a cancelled task) while the
/// second command waits for its answer: the first chunk stays on record,
/// the second is named in flight, and a resume sends only the second.
#[tokio::test]
async fn a_dropped_upload_keeps_the_chunks_already_added() {
    let blip = MockBlip::start().await;
    let c = client(&blip.uri());
    let all = audiences(MAX + 2_000);
    let expected = recipients_of(&all);
    // Longer than the whole test: the future is dropped long before.
    let slow = ResponseTemplate::new(200).set_delay(Duration::from_secs(60));
    answer_chunk(&blip, &expected[MAX], slow, 1).await;

    let msg = message();
    let mut progress = Progress::new();
    {
        let upload = c.add_audiences("cmp-1", &msg, &all, &mut progress);
        tokio::pin!(upload);
        let deadline = Instant::now() + Duration::from_secs(4);
        // Poll the upload until the mock holds the second command.
        while blip.requests().await.len() < 2 {
            tokio::select! {
                result = &mut upload => panic!("the delayed command was answered: {result:?}"),
                () = tokio::time::sleep(Duration::from_millis(5)) => {}
            }
            assert!(Instant::now() < deadline, "the second command never came");
        }
    } // The upload's future is dropped here.
    assert_eq!(chunks(&progress), [(0, MAX)]);
    assert_eq!(progress.in_flight(), Some((MAX, 2_000)));

    c.add_audiences("cmp-1", &msg, &all, &mut progress)
        .await
        .unwrap();
    let commands = sent(&blip).await;
    assert_eq!(commands.len(), 3);
    assert_eq!(commands[0], expected[..MAX]);
    assert_eq!(
        commands[1],
        expected[MAX..],
        "the chunk whose future was dropped"
    );
    assert_eq!(commands[2], expected[MAX..], "only chunk 1 again");
    assert_eq!(chunks(&progress), [(0, MAX), (MAX, 2_000)]);
    assert_eq!(progress.in_flight(), None);
}

/// A progress is checked against the audiences before anything is sent:
/// one recording more audiences than given belongs to other audiences.
#[tokio::test]
async fn a_progress_of_other_audiences_is_refused_before_sending() {
    /// A progress recorded by hand, and a call with `given` audiences.
    struct Case {
        /// Chunks recorded as finished, `(first_index, len)`.
        done: &'static [(usize, usize)],
        /// A chunk left in flight.
        in_flight: Option<(usize, usize)>,
        given: usize,
        /// The refusal's text, or `None` for a success.
        error: Option<&'static str>,
        /// How many audiences the call sends.
        sent: usize,
    }
    let cases = [
        Case {
            done: &[(0, MAX), (MAX, MAX)],
            in_flight: None,
            given: 3,
            error: Some("records 10000 items done but the operation has 3"),
            sent: 0,
        },
        Case {
            done: &[(0, 3)],
            in_flight: None,
            given: 2,
            error: Some("records 3 items done but the operation has 2"),
            sent: 0,
        },
        // Complete: nothing left to send.
        Case {
            done: &[(0, 3)],
            in_flight: None,
            given: 3,
            error: None,
            sent: 0,
        },
        // A chunk in flight is not done: it is sent again.
        Case {
            done: &[],
            in_flight: Some((0, 3)),
            given: 3,
            error: None,
            sent: 3,
        },
        Case {
            done: &[(0, 2)],
            in_flight: None,
            given: 3,
            error: None,
            sent: 1,
        },
    ];
    for case in cases {
        let Case {
            done,
            in_flight,
            given,
            error,
            sent: items_sent,
        } = case;
        let blip = MockBlip::start().await;
        let mut progress = Progress::new();
        for &(first, len) in done {
            progress.start(first, len);
            progress.finish(());
        }
        if let Some((first, len)) = in_flight {
            progress.start(first, len);
        }
        let before = progress.clone();
        let result = client(&blip.uri())
            .add_audiences("cmp-1", &message(), &audiences(given), &mut progress)
            .await;
        let case = format!("{done:?} {in_flight:?} with {given}");
        match (error, result) {
            (Some(reason), Err(Error::Validation(v))) => {
                assert_eq!(v.field(), "progress", "{case}");
                assert!(v.reason().contains(reason), "{case}: {v}");
                assert_eq!(progress, before, "{case}: untouched");
            }
            (None, Ok(())) => assert_eq!(progress.next_index(), given, "{case}"),
            (_, result) => panic!("{case}: {result:?}"),
        }
        let items: usize = sent(&blip).await.iter().map(Vec::len).sum();
        assert_eq!(items, items_sent, "{case}");
    }
}

/// The CSV upload carries every parameter the JSON upload carries: a
/// parameter an audience has beyond the template's (a contact extra) gets
/// its own column, after the template's, in the order first seen; an
/// audience without it leaves its cell empty.
#[tokio::test]
async fn the_csv_upload_carries_every_parameter_the_json_upload_carries() {
    use crate::support::{PHONE_1, PHONE_2, assert_last_command, client, phone};
    use blip_campaign::mock::{MockBlip, MockVendor};
    use blip_campaign::{Audience, MessageTemplate, Progress};
    use serde_json::json;

    let blip = MockBlip::start().await;
    let c = client(&blip.uri());
    let msg = MessageTemplate::whatsapp("order_update", ["1"]);
    let audiences = vec![
        Audience::new(phone(PHONE_1))
            .param("1", "Ana")
            .param("order", "A-1")
            .context_variable("cpf", "123"),
        Audience::new(phone(PHONE_2))
            .param("pedido", "P-2")
            .param("1", "Bia"),
    ];
    c.add_audiences("cmp-1", &msg, &audiences, &mut Progress::new())
        .await
        .unwrap();
    let json_upload = json!({
        "to": "postmaster@activecampaign.msging.net",
        "method": "set",
        "uri": "/audiences/v2/cmp-1",
        "type": "application/vnd.lime.collection+json",
        "resource": {"itemType": "application/vnd.iris.activecampaign.audience+json", "total": 2, "items": [
            {"recipient": PHONE_1, "messageParams": {"1": "Ana", "order": "A-1"}, "contextVariables": {"cpf": "123"}},
            {"recipient": PHONE_2, "messageParams": {"pedido": "P-2", "1": "Bia"}}
        ]}
    });
    assert_last_command(&blip, &json_upload).await;

    c.add_audiences_file("cmp-1", &msg, &audiences)
        .await
        .unwrap();
    let csv = format!(
        "recipient,1,order,pedido,#contextvariables#\r\n\
         {PHONE_1},Ana,A-1,,\"{{\\\"\"cpf\\\"\":\\\"\"123\\\"\"}}\"\r\n\
         {PHONE_2},Bia,,P-2,\r\n"
    );
    let csv_upload = json!({
        "to": "postmaster@activecampaign.msging.net",
        "method": "set",
        "uri": "/audiences/v2/cmp-1/file",
        "type": "text/csv",
        "resource": csv
    });
    assert_last_command(&blip, &csv_upload).await;
}
