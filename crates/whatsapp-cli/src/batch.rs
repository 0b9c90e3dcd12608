//! `bulk`'s batches, where the vendor has one: Bird's batch send (up to
//! 100 messages a request) for text rows, and one Blip batch campaign (up
//! to 5 000 audiences a command) for consecutive rows of one template.

use whatsapp_common::{Error, PhoneNumber, Refusal, SendError, SendErrorKind, SendFailure};

use crate::send::Message;
use crate::vendors::Client;

/// A vendor's batch call.
#[derive(Debug, Clone)]
pub(crate) enum Batcher {
    Bird(channels::Client),
    Blip {
        client: blip_campaign::Client,
        flow: Option<(String, String)>,
    },
}

/// The outcome written for a row, from the error that ended its send.
pub(crate) fn outcome_of(e: &SendError) -> &'static str {
    outcome(e.kind(), e.failure())
}

/// [`outcome_of`] for a vendor crate's own error.
fn outcome_of_error<E: Refusal>(e: &Error<E>) -> &'static str {
    outcome(e.send_error_kind(), e.failure())
}

fn outcome(kind: SendErrorKind, failure: SendFailure) -> &'static str {
    match (kind, failure) {
        (SendErrorKind::InvalidInput | SendErrorKind::Unsupported, _) => "invalid",
        (_, SendFailure::NotProcessed) => "not_sent",
        // Refused credentials (and no earlier attempt that may have
        // reached the vendor): it processed nothing; once they are fixed,
        // a resume sends the row.
        (SendErrorKind::Auth, SendFailure::Refused) => "not_sent",
        (_, SendFailure::Refused) => "refused",
        _ => "may_have_been_sent",
    }
}

impl Batcher {
    /// The batch call of `client`'s vendor, if it has one.
    pub(crate) fn of(client: &Client, flow: Option<(String, String)>) -> Option<Self> {
        match client {
            Client::Bird(c) => Some(Self::Bird(c.clone())),
            Client::Blip(c) => Some(Self::Blip {
                client: c.clone(),
                flow,
            }),
            _ => None,
        }
    }

    /// Rows with the same key go in one batch; `None`: sent alone.
    pub(crate) fn key(&self, message: &Message) -> Option<String> {
        match (self, message) {
            (Self::Bird(_), Message::Text(_)) => Some(String::new()),
            (Self::Blip { .. }, Message::Template(t)) => Some(format!(
                "{}\u{0}{}\u{0}{}",
                t.name().as_str(),
                t.language().as_str(),
                t.parameters().len()
            )),
            _ => None,
        }
    }

    /// The most rows one batch request carries.
    pub(crate) fn max(&self) -> usize {
        match self {
            Self::Bird(_) => channels::MAX_BATCH,
            Self::Blip { .. } => blip_campaign::MAX_AUDIENCES_PER_COMMAND,
        }
    }

    /// Sends one batch of rows (recipient, message, reference); the outcome
    /// and detail for each row, in order. Blip's command id is made from
    /// the first and last references, so a resent batch carries the same
    /// one.
    pub(crate) async fn send(
        &self,
        rows: &[(PhoneNumber, Message, String)],
    ) -> Vec<(&'static str, String)> {
        let all = |outcome: &'static str, detail: String| vec![(outcome, detail); rows.len()];
        match self {
            Self::Bird(client) => {
                let mut requests = Vec::with_capacity(rows.len());
                for (to, message, reference) in rows {
                    let Message::Text(text) = message else {
                        return all("invalid", "not a text row".to_owned());
                    };
                    match channels::SendRequest::builder(to.clone(), channels::Body::text(text))
                        .reference(reference)
                        .build()
                    {
                        Ok(r) => requests.push(r),
                        // One row's fault fails the batch before anything is
                        // sent; `bulk` then sends the rows one by one.
                        Err(e) => return all("invalid", e.to_string()),
                    }
                }
                let mut progress = channels::BatchProgress::new();
                match client.send_batch(&requests, &mut progress).await {
                    Ok(()) => match progress.chunks().first().map(|c| &c.outcome) {
                        Some(Ok(accepted)) => all(
                            "accepted",
                            format!("batch {}", accepted.batch_id.as_deref().unwrap_or("-")),
                        ),
                        Some(Err(e)) => all(outcome_of_error(e), e.to_string()),
                        None => all("not_sent", "the batch sent nothing".to_owned()),
                    },
                    Err(e) => all(outcome_of_error(&e), e.to_string()),
                }
            }
            Self::Blip { client, flow } => {
                let Some((_, Message::Template(template), first)) = rows.first() else {
                    return all("invalid", "not a template row".to_owned());
                };
                let last = rows.last().map_or(first, |r| &r.2);
                let mut audiences = Vec::with_capacity(rows.len());
                let mut names = Vec::new();
                for (to, message, _) in rows {
                    let Message::Template(t) = message else {
                        return all("invalid", "not a template row".to_owned());
                    };
                    let mut audience = blip_campaign::Audience::new(to.clone());
                    names.clear();
                    for (name, value) in t.parameters().by_name() {
                        audience = audience.param(name.as_ref(), value);
                        names.push(name.into_owned());
                    }
                    audiences.push(audience);
                }
                let command_id = format!("{first}..{last}");
                let mut info = blip_campaign::CampaignInfo::new(format!(
                    "{}-{command_id}",
                    template.name().as_str()
                ));
                if let Some((f, s)) = flow {
                    info = info.flow(f, s);
                }
                let message = blip_campaign::MessageTemplate::whatsapp(
                    template.name().as_str(),
                    names.clone(),
                )
                .language(template.language().as_str());
                let campaign =
                    match blip_campaign::FullCampaign::batch(info, audiences, message).build() {
                        Ok(c) => c,
                        Err(e) => return all("invalid", e.to_string()),
                    };
                match client
                    .create_full_campaign_with_id(&campaign, &command_id)
                    .await
                {
                    Ok(created) => all(
                        "accepted",
                        format!("campaign {}", created.id.as_deref().unwrap_or("-")),
                    ),
                    Err(e) => all(outcome_of_error(&e), e.to_string()),
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_refusal_of_the_credentials_is_resent_unless_an_attempt_may_have_delivered() {
        use SendErrorKind as K;
        use SendFailure as F;
        let cases = [
            (K::Auth, F::Refused, "not_sent"),
            (K::Auth, F::MayHaveBeenDelivered, "may_have_been_sent"),
            (K::Vendor, F::Refused, "refused"),
            (K::Transport, F::NotProcessed, "not_sent"),
            (K::InvalidInput, F::NotProcessed, "invalid"),
            (K::Transport, F::MayHaveBeenDelivered, "may_have_been_sent"),
        ];
        for (kind, failure, expected) in cases {
            assert_eq!(outcome(kind, failure), expected, "{kind:?} {failure:?}");
        }
    }
}
