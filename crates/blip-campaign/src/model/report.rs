//! What Blip reports about sent campaigns: summaries, reports, and the
//! filters of the summaries.

use serde::Deserialize;
use whatsapp_common::ValidationError;
use whatsapp_common::validate::percent_encode;

use super::audience::{AudienceStatus, NumberStatus};
use super::page::{Paging, check_take, with_query};

/// One recipient's status in a summary or report (`statusAudience[]`).
#[derive(Debug, Clone, PartialEq, Default, Deserialize)]
#[serde(rename_all = "camelCase", default)]
#[non_exhaustive]
pub struct RecipientStatus {
    /// `RecipientIdentity`.
    pub recipient_identity: Option<String>,
    /// `Status`.
    pub status: Option<AudienceStatus>,
    /// `ReasonCode`.
    pub reason_code: Option<i64>,
    /// `ReasonDescription`.
    pub reason_description: Option<String>,
    /// `Processed`.
    pub processed: Option<String>,
    /// `Received`.
    pub received: Option<String>,
    /// `Read`.
    pub read: Option<String>,
    /// `Failed`.
    pub failed: Option<String>,
    /// `NumberStatus`.
    pub number_status: Option<NumberStatus>,
}

/// A campaign summary (`/campaigns/summaries`, `/campaigns/{id}/summaries`).
#[derive(Debug, Clone, PartialEq, Default, Deserialize)]
#[serde(rename_all = "camelCase", default)]
#[non_exhaustive]
pub struct CampaignSummary {
    /// `id`.
    pub id: Option<String>,
    /// `name`.
    pub name: Option<String>,
    /// `messageTemplate`.
    pub message_template: Option<String>,
    /// `FlowId`.
    pub flow_id: Option<String>,
    /// `StateId`.
    pub state_id: Option<String>,
    /// `sendDate`.
    pub send_date: Option<String>,
    /// `statusAudience`.
    pub status_audience: Vec<RecipientStatus>,
}

/// A campaign report (`/campaigns/{id}/reports`).
#[derive(Debug, Clone, PartialEq, Default, Deserialize)]
#[serde(rename_all = "camelCase", default)]
#[non_exhaustive]
pub struct CampaignReport {
    /// `Id`.
    pub id: Option<String>,
    /// `Name`.
    pub name: Option<String>,
    /// `MessageTemplate`.
    pub message_template: Option<String>,
    /// `MasterState`.
    pub master_state: Option<String>,
    /// `FlowId`.
    pub flow_id: Option<String>,
    /// `StateId`.
    pub state_id: Option<String>,
    /// `StateName`.
    pub state_name: Option<String>,
    /// `AttendanceRedirect`.
    pub attendance_redirect: Option<String>,
    /// `CampaignSender`.
    pub campaign_sender: Option<String>,
    /// `SendDate`.
    pub send_date: Option<String>,
    /// `StatusAudience`.
    pub status_audience: Vec<RecipientStatus>,
}

/// Filters of `/campaigns/summaries`. With none, campaigns created on the
/// given date or later come back.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct SummaryFilter {
    /// `sourceApplication`.
    pub source_application: Option<String>,
    /// `CampaignSender`.
    pub campaign_sender: Option<String>,
    /// `created` (a date).
    pub created: Option<String>,
    /// `$skip`.
    pub skip: Option<u32>,
    /// `$take`: 1 to [`MAX_TAKE`](crate::MAX_TAKE).
    pub take: Option<u32>,
}

impl SummaryFilter {
    pub(crate) fn query(&self) -> Result<String, ValidationError> {
        let mut parts = self.query_parts()?;
        let paging = Paging {
            skip: self.skip,
            take: self.take,
        };
        paging.push_query(&mut parts)?;
        Ok(with_query("", &parts))
    }

    /// The filters but `$skip` and `$take`, as query parts.
    pub(crate) fn query_parts(&self) -> Result<Vec<String>, ValidationError> {
        if let Some(take) = self.take {
            check_take(take)?;
        }
        let mut parts = Vec::new();
        let mut push = |k: &str, v: &str| parts.push(format!("{k}={}", percent_encode(v, b":")));
        if let Some(v) = &self.source_application {
            push("sourceApplication", v);
        }
        if let Some(v) = &self.campaign_sender {
            push("CampaignSender", v);
        }
        if let Some(v) = &self.created {
            push("created", v);
        }
        Ok(parts)
    }
}
