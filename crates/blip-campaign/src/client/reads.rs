//! The reads: single `get` commands and collections read page by page.

use serde::de::DeserializeOwned;
use whatsapp_common::validate::percent_encode;
use whatsapp_common::{Accepted, Cursor, Page, PageRequest, Pager, ValidationError};

use super::{Client, NO_RESOURCE};
use crate::model::page::{check_take, with_query};
use crate::{
    AudienceItem, Campaign, CampaignMessage, CampaignReport, CampaignSummary, Collection,
    CommandMethod, Error, Paging, SummaryFilter,
};

impl Client {
    /// A `get` of `uri` with the campaign id percent-encoded into it.
    async fn read<T: DeserializeOwned>(&self, uri: String) -> Result<T, Error> {
        self.command(CommandMethod::Get, &uri, NO_RESOURCE, 0).await
    }

    /// A `get` of one page of the collection at `path`: the query `parts`,
    /// then `$skip` and `$take`, checked first.
    async fn read_page<T: DeserializeOwned>(
        &self,
        path: &str,
        mut parts: Vec<String>,
        paging: Paging,
    ) -> Result<Collection<T>, Error> {
        paging.push_query(&mut parts)?;
        self.read(with_query(path, &parts)).await
    }

    /// A pager over the collection at `path` (with the query `parts`
    /// before `$skip` and `$take`), `page_size` items a page, from `skip`.
    fn pager<T: DeserializeOwned + Send + 'static>(
        &self,
        path: String,
        parts: Vec<String>,
        page_size: u32,
        skip: Option<u32>,
    ) -> Result<Pager<T, Error>, Error> {
        check_take(page_size)?;
        let client = self.clone();
        let pager = Pager::new(page_size, move |request: PageRequest| {
            let (client, path, parts) = (client.clone(), path.clone(), parts.clone());
            async move {
                let offset = request.offset();
                let skip = u32::try_from(offset).unwrap_or(u32::MAX);
                let paging = Paging::new(skip, request.page_size);
                let page: Collection<T> = client.read_page(&path, parts, paging).await?;
                Ok(Page::after_offset(page.items, offset, request.page_size))
            }
        });
        Ok(match skip {
            Some(skip) if skip > 0 => pager.starting_at(Cursor::Offset(skip.into())),
            _ => pager,
        })
    }

    /// The bot's campaigns, one page (`get /campaigns?$skip=&$take=`), each
    /// a [`Campaign`] (members Blip adds are kept in
    /// [`Campaign::extra`]). Source: the community SDK
    /// Andrevlopess/blip-api-client (`src/resources/campaigns.ts`); Blip's
    /// own documentation does not list this read.
    ///
    /// Refused before sending, with a [`ValidationError`] on `$take`: a
    /// `$take` of 0 or over [`MAX_TAKE`](crate::MAX_TAKE).
    ///
    /// ```
    /// # #[cfg(feature = "mock")]
    /// # #[tokio::main(flavor = "current_thread")]
    /// # async fn main() -> Result<(), Box<dyn std::error::Error>> {
    /// use blip_campaign::{CampaignInfo, Client, DynamicCampaign, MessageTemplate, Paging};
    /// # use blip_campaign::mock::MockVendor;
    /// # let blip = blip_campaign::mock::MockBlip::start().await;
    /// # let client = Client::builder("Key dGVzdDp0ZXN0").base_url(blip.uri()).build()?;
    /// let message = MessageTemplate::whatsapp("order_update", ["1"]);
    /// for name in ["june", "july", "august"] {
    ///     client.create_campaign(&DynamicCampaign::new(CampaignInfo::new(name), message.clone())?).await?;
    /// }
    /// let page = client.campaigns(Paging::new(1, 2)).await?;
    /// let names: Vec<_> = page.items.iter().map(|c| c.name.as_deref()).collect();
    /// assert_eq!(names, [Some("july"), Some("august")]);
    /// # Ok(()) }
    /// # #[cfg(not(feature = "mock"))]
    /// # fn main() {}
    /// ```
    pub async fn campaigns(&self, paging: Paging) -> Result<Collection<Campaign>, Error> {
        self.read_page("/campaigns", Vec::new(), paging).await
    }

    /// Every campaign of the bot, `page_size` at a time
    /// ([`Client::campaigns`] page after page; see [`Pager`]).
    ///
    /// Refused before sending, with a [`ValidationError`] on `$take`: a
    /// `page_size` of 0 or over [`MAX_TAKE`](crate::MAX_TAKE).
    pub fn campaigns_pages(&self, page_size: u32) -> Result<Pager<Campaign, Error>, Error> {
        self.pager("/campaigns".to_owned(), Vec::new(), page_size, None)
    }

    /// One campaign (`get /campaigns/{id}`), members Blip adds kept in
    /// [`Campaign::extra`]. Source: the community SDK
    /// Andrevlopess/blip-api-client (`src/resources/campaigns.ts`).
    /// Refused before sending when `campaign_id` is blank (it would read
    /// the list).
    pub async fn campaign(&self, campaign_id: &str) -> Result<Campaign, Error> {
        whatsapp_common::validate::not_blank(campaign_id, "campaignId")?;
        let id = percent_encode(campaign_id, b":");
        let accepted: Accepted<Campaign> = self.read(format!("/campaigns/{id}")).await?;
        Ok(accepted.into())
    }

    /// Campaign summaries, one page (`get /campaigns/summaries`): the
    /// filter's `$skip` and `$take` choose it.
    pub async fn campaign_summaries(
        &self,
        filter: &SummaryFilter,
    ) -> Result<Collection<CampaignSummary>, Error> {
        self.read(format!("/campaigns/summaries{}", filter.query()?))
            .await
    }

    /// Every campaign summary `filter` selects, `page_size` at a time from
    /// the filter's `skip` (its `take` is not used: `page_size` is sent as
    /// `$take`). See [`Pager`].
    ///
    /// ```
    /// # #[cfg(feature = "mock")]
    /// # #[tokio::main(flavor = "current_thread")]
    /// # async fn main() -> Result<(), Box<dyn std::error::Error>> {
    /// use blip_campaign::{Client, SummaryFilter};
    /// # use blip_campaign::mock::MockVendor;
    /// # let blip = blip_campaign::mock::MockBlip::start().await;
    /// # let client = Client::builder("Key dGVzdDp0ZXN0").base_url(blip.uri()).build()?;
    /// let filter = SummaryFilter { created: Some("2024-06-03".into()), ..SummaryFilter::default() };
    /// let mut pages = client.campaign_summaries_pages(&filter, 100)?;
    /// while let Some(summaries) = pages.next_page().await? {
    ///     for s in summaries {
    ///         println!("{:?}: {} recipients", s.name, s.status_audience.len());
    ///     }
    /// }
    /// # Ok(()) }
    /// # #[cfg(not(feature = "mock"))]
    /// # fn main() {}
    /// ```
    pub fn campaign_summaries_pages(
        &self,
        filter: &SummaryFilter,
        page_size: u32,
    ) -> Result<Pager<CampaignSummary, Error>, Error> {
        let filter = SummaryFilter {
            take: None,
            ..filter.clone()
        };
        let parts = filter.query_parts()?;
        let path = "/campaigns/summaries".to_owned();
        self.pager(path, parts, page_size, filter.skip)
    }

    /// One campaign's summary, one page (`get /campaigns/{id}/summaries`).
    pub async fn campaign_summary(
        &self,
        campaign_id: &str,
        paging: Paging,
    ) -> Result<Collection<CampaignSummary>, Error> {
        let path = campaign_path("/campaigns/", campaign_id, "/summaries")?;
        self.read_page(&path, Vec::new(), paging).await
    }

    /// A campaign's whole summary, `page_size` at a time (see [`Pager`]).
    pub fn campaign_summary_pages(
        &self,
        campaign_id: &str,
        page_size: u32,
    ) -> Result<Pager<CampaignSummary, Error>, Error> {
        let path = campaign_path("/campaigns/", campaign_id, "/summaries")?;
        self.pager(path, Vec::new(), page_size, None)
    }

    /// A campaign's audience, one page (`get /audiences/{id}`).
    ///
    /// ```
    /// # #[cfg(feature = "mock")]
    /// # #[tokio::main(flavor = "current_thread")]
    /// # async fn main() -> Result<(), Box<dyn std::error::Error>> {
    /// use blip_campaign::{Client, Paging};
    /// # use blip_campaign::mock::MockVendor;
    /// # let blip = blip_campaign::mock::MockBlip::start().await;
    /// # let client = Client::builder("Key dGVzdDp0ZXN0").base_url(blip.uri()).build()?;
    /// let first = client.audience("ffc99160", Paging::new(0, 100)).await?;
    /// # let _ = first;
    /// let err = client.audience("ffc99160", Paging::new(0, 101)).await.unwrap_err();
    /// assert!(err.to_string().contains("$take"), "{err}"); // refused before sending
    /// # Ok(()) }
    /// # #[cfg(not(feature = "mock"))]
    /// # fn main() {}
    /// ```
    pub async fn audience(
        &self,
        campaign_id: &str,
        paging: Paging,
    ) -> Result<Collection<AudienceItem>, Error> {
        let path = campaign_path("/audiences/", campaign_id, "")?;
        self.read_page(&path, Vec::new(), paging).await
    }

    /// A campaign's whole audience, `page_size` recipients at a time: one
    /// `get /audiences/{id}?$skip=&$take=` a page, until a page holds fewer
    /// than `page_size` (see [`Pager`]).
    ///
    /// ```
    /// # #[cfg(feature = "mock")]
    /// # #[tokio::main(flavor = "current_thread")]
    /// # async fn main() -> Result<(), Box<dyn std::error::Error>> {
    /// use blip_campaign::Client;
    /// # use blip_campaign::mock::MockVendor;
    /// # let blip = blip_campaign::mock::MockBlip::start().await;
    /// # let client = Client::builder("Key dGVzdDp0ZXN0").base_url(blip.uri()).build()?;
    /// let everyone = client.audience_pages("ffc99160", 100)?.all().await?;
    /// # let _ = everyone;
    /// assert!(client.audience_pages("ffc99160", 0).is_err()); // refused: 1 to 100
    /// # Ok(()) }
    /// # #[cfg(not(feature = "mock"))]
    /// # fn main() {}
    /// ```
    pub fn audience_pages(
        &self,
        campaign_id: &str,
        page_size: u32,
    ) -> Result<Pager<AudienceItem, Error>, Error> {
        let path = campaign_path("/audiences/", campaign_id, "")?;
        self.pager(path, Vec::new(), page_size, None)
    }

    /// A campaign's messages, one page (`get /messages/{id}`).
    pub async fn messages(
        &self,
        campaign_id: &str,
        paging: Paging,
    ) -> Result<Collection<CampaignMessage>, Error> {
        let path = campaign_path("/messages/", campaign_id, "")?;
        self.read_page(&path, Vec::new(), paging).await
    }

    /// All of a campaign's messages, `page_size` at a time (see [`Pager`]).
    pub fn messages_pages(
        &self,
        campaign_id: &str,
        page_size: u32,
    ) -> Result<Pager<CampaignMessage, Error>, Error> {
        let path = campaign_path("/messages/", campaign_id, "")?;
        self.pager(path, Vec::new(), page_size, None)
    }

    /// A campaign's report (`get /campaigns/{id}/reports?shouldHaveStateName=true`).
    pub async fn report(&self, campaign_id: &str) -> Result<CampaignReport, Error> {
        let id = percent_encode(campaign_id, b":");
        self.read(format!("/campaigns/{id}/reports?shouldHaveStateName=true"))
            .await
    }
}

/// `{prefix}{id}{suffix}` with the campaign id, not blank, percent-encoded.
fn campaign_path(prefix: &str, campaign_id: &str, suffix: &str) -> Result<String, ValidationError> {
    whatsapp_common::validate::not_blank(campaign_id, "campaignId")?;
    Ok(format!(
        "{prefix}{}{suffix}",
        percent_encode(campaign_id, b":")
    ))
}
