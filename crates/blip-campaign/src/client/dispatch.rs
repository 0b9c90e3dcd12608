//! The dispatch lock: what this client knows of the campaigns it sent
//! `/dispatch/v2` for, so that no audiences and no second dispatch go to them.

use std::collections::HashMap;
use std::sync::MutexGuard;

use serde::Serialize;
use whatsapp_common::ValidationError;

use super::Client;
use crate::codec::{CAMPAIGN_TYPE, encode_command};
use crate::protocol::Lime;
use crate::{CommandMethod, CommandResponse, Error};

/// What this client knows of a campaign's `/dispatch/v2`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Dispatch {
    /// A dispatch command is under way.
    Sending,
    /// Blip answered the dispatch with success.
    Done,
    /// The dispatch failed without proof that Blip did not act on it (a
    /// timeout, an HTTP 5xx, a refusal, an answer that would not decode),
    /// or its future was dropped while the command was under way.
    Unknown,
}

/// A campaign marked [`Dispatch::Sending`]: settled with the outcome of
/// the send, or, when the dispatch's future is dropped first, left marked
/// [`Dispatch::Unknown`].
struct DispatchMark<'a> {
    client: &'a Client,
    campaign_id: &'a str,
    settled: bool,
}

impl DispatchMark<'_> {
    /// Records the outcome: `Some(state)`, or `None` to forget the campaign
    /// (nothing was dispatched; it may be dispatched again).
    fn settle(mut self, state: Option<Dispatch>) {
        self.settled = true;
        let mut dispatches = self.client.dispatches();
        match state {
            Some(state) => {
                dispatches.insert(self.campaign_id.to_owned(), state);
            }
            None => {
                dispatches.remove(self.campaign_id);
            }
        }
    }
}

impl Drop for DispatchMark<'_> {
    fn drop(&mut self) {
        if !self.settled {
            let mut dispatches = self.client.dispatches();
            dispatches.insert(self.campaign_id.to_owned(), Dispatch::Unknown);
        }
    }
}

impl Client {
    /// What this client knows of its dispatches, locked (never across an
    /// `.await`).
    fn dispatches(&self) -> MutexGuard<'_, HashMap<String, Dispatch>> {
        let lock = self.inner.dispatches.lock();
        lock.unwrap_or_else(|p| p.into_inner())
    }

    /// The campaign id is not blank and this client has not dispatched the
    /// campaign, is not dispatching it and has not maybe dispatched it.
    pub(super) fn check_open(&self, campaign_id: &str) -> Result<(), ValidationError> {
        whatsapp_common::validate::not_blank(campaign_id, "campaignId")?;
        match self.dispatches().get(campaign_id) {
            None => Ok(()),
            Some(state) => Err(not_open(campaign_id, *state)),
        }
    }

    /// Checks that the campaign is open and marks it as being dispatched,
    /// under one lock: of concurrent dispatches, one gets the mark.
    fn mark_dispatching<'a>(
        &'a self,
        campaign_id: &'a str,
    ) -> Result<DispatchMark<'a>, ValidationError> {
        let mut dispatches = self.dispatches();
        if let Some(state) = dispatches.get(campaign_id) {
            return Err(not_open(campaign_id, *state));
        }
        dispatches.insert(campaign_id.to_owned(), Dispatch::Sending);
        Ok(DispatchMark {
            client: self,
            campaign_id,
            settled: false,
        })
    }

    /// Whether `error`, from a dispatch's send, proves that Blip did not
    /// act on it: nothing was sent, or every attempt was refused before any
    /// processing or failed to connect. The one answer every failover
    /// reads: [`Error::failure`](whatsapp_common::Error::failure).
    fn not_processed(&self, error: &Error) -> bool {
        error.failure() == whatsapp_common::SendFailure::NotProcessed
    }

    /// Sends a dynamic campaign (`set /dispatch/v2`) and returns Blip's
    /// success envelope.
    ///
    /// The campaign is marked as being dispatched, under a lock, before the
    /// command leaves: of concurrent dispatches of one campaign through
    /// this client (or its clones) only one is sent, and the others, like
    /// any [`Client::add_audiences`] or [`Client::add_audiences_file`]
    /// meanwhile, get a [`ValidationError`] on `campaignId` without
    /// sending. Afterwards:
    ///
    /// - on success the campaign is dispatched: no audiences can be added
    ///   any more and it cannot be dispatched again; this client refuses
    ///   to try;
    /// - on an error that proves Blip did not act on the command (the
    ///   request could not be made, or every attempt failed to connect or
    ///   was refused as not processed, such as HTTP 429 or reason 85:
    ///   [`RetryClass::Safe`](whatsapp_common::RetryClass::Safe)) the mark is cleared: the campaign may be
    ///   dispatched again;
    /// - on any other error (a timeout, a broken connection, an HTTP error,
    ///   a failure envelope, an answer that is not JSON at all), and when
    ///   the future is dropped while the command is under way, the
    ///   campaign **may have been dispatched**: this client refuses to
    ///   dispatch it again or to add audiences to it, with a
    ///   `ValidationError` saying so. Check its status with
    ///   [`Client::campaign_summary`]; to send again, create a new
    ///   campaign.
    ///
    /// The marks live in this client and its clones: another client or
    /// process is not stopped.
    pub async fn dispatch(&self, campaign_id: &str) -> Result<CommandResponse, Error> {
        whatsapp_common::validate::not_blank(campaign_id, "campaignId")?;
        #[derive(Serialize)]
        struct Id<'a> {
            id: &'a str,
        }
        let lime = Lime {
            uri: "/dispatch/v2",
        };
        let resource = Some((CAMPAIGN_TYPE, &Id { id: campaign_id }));
        let body = encode_command(&CommandMethod::Set, lime.uri, resource, 0)?;
        let req = self.request(&CommandMethod::Set, body);
        let mark = self.mark_dispatching(campaign_id)?;
        let answer = match self.inner.http.execute(&lime, &req).await {
            Ok(resp) => lime.success_envelope(&resp),
            Err(e) => Err(e),
        };
        mark.settle(match &answer {
            Ok(_) => Some(Dispatch::Done),
            Err(e) if self.not_processed(e) => None,
            Err(_) => Some(Dispatch::Unknown),
        });
        answer
    }
}

/// The refusal of audiences or a dispatch for a campaign in `state`.
fn not_open(campaign_id: &str, state: Dispatch) -> ValidationError {
    let reason = match state {
        Dispatch::Sending => format!(
            "campaign {campaign_id} is being dispatched by another call: no audiences can be added and it is not dispatched twice; wait for that call's answer"
        ),
        Dispatch::Done => format!(
            "campaign {campaign_id} was already dispatched: audiences can no longer be added, nor can it be dispatched again; create a new campaign"
        ),
        Dispatch::Unknown => format!(
            "campaign {campaign_id} may have been dispatched: an earlier dispatch failed without proof that Blip did not act on it, or was cancelled while under way; this client will not add audiences to it or dispatch it again; check its status with campaign_summary, and create a new campaign to send again"
        ),
    };
    ValidationError::new("campaignId", reason)
}
