//! Reading messages back: one message, a channel's messages page by page,
//! and the messages of a batch with their status and failure. Every read
//! is retried after any transient failure, and its answer read leniently.

use whatsapp_common::http::Method;
use whatsapp_common::paging::{Page, PageRequest, Pager};
use whatsapp_common::{Accepted, Idempotency, ValidationError, validate};

use super::Client;
use crate::model::query::check_page_size;
use crate::protocol::Bird;
use crate::{BatchAccepted, Error, Message, MessageList, MessageQuery};

impl Client {
    /// One message of the channel by its id
    /// (`GET …/channels/{channelId}/messages/{messageId}`): its `status`,
    /// and for a message Bird rejected or could not deliver, its `failure`
    /// and `reason`.
    ///
    /// Refused before sending: a blank `message_id`.
    ///
    /// ```
    /// # #[cfg(feature = "mock")]
    /// # #[tokio::main(flavor = "current_thread")]
    /// # async fn main() -> Result<(), Box<dyn std::error::Error>> {
    /// # use channels::mock::{CHANNEL_ID, MockBird, MockVendor, WORKSPACE_ID};
    /// # let bird = MockBird::start().await;
    /// # let client = Client::builder("your-access-key", WORKSPACE_ID, CHANNEL_ID).base_url(bird.uri()).build()?;
    /// use channels::{Body, Client, MessageStatus, SendRequest};
    ///
    /// let request = SendRequest::builder("+31612345678".parse()?, Body::text("Hi")).build()?;
    /// let sent = client.send(&request).await?;
    /// let read = client.get_message(sent.id.as_deref().unwrap_or_default()).await?;
    /// assert_eq!(read.status, Some(MessageStatus::Accepted));
    /// # Ok(()) }
    /// # #[cfg(not(feature = "mock"))]
    /// # fn main() {}
    /// ```
    pub async fn get_message(&self, message_id: &str) -> Result<Message, Error> {
        validate::not_blank(message_id, "messageId")?;
        let id = validate::percent_encode(message_id, b"");
        let path = format!("{}/messages/{id}", self.inner.channel_path);
        let accepted: Accepted<Message> = self.read("getChannelMessage", path).await?;
        Ok(accepted.into())
    }

    /// One page of the channel's messages that `query` selects
    /// (`GET …/channels/{channelId}/messages?limit=…&pageToken=…`): at most
    /// `limit` messages, from the page `page_token` names (`None`: the
    /// first), and the next page's token in
    /// [`MessageList::next_page_token`]. To read every page, use
    /// [`Client::messages_pages`].
    ///
    /// Refused before sending, with a [`ValidationError`]: a `limit` of 0
    /// or over [`MAX_PAGE_SIZE`](crate::MAX_PAGE_SIZE), a blank page
    /// token, a time range that ends before it starts or spans more than 7
    /// days.
    pub async fn messages(
        &self,
        query: &MessageQuery,
        limit: u32,
        page_token: Option<&str>,
    ) -> Result<MessageList, Error> {
        let query = query.query_string(limit, page_token)?;
        let path = format!("{}/messages?{query}", self.inner.channel_path);
        let accepted: Accepted<MessageList> = self.read("listChannelMessages", path).await?;
        Ok(accepted.into())
    }

    /// Every message `query` selects, `page_size` a page: a [`Pager`]
    /// following `nextPageToken` to the last page ([`Client::messages`]
    /// page after page).
    ///
    /// Refused before sending, with a [`ValidationError`] on `limit`: a
    /// `page_size` of 0 or over [`MAX_PAGE_SIZE`](crate::MAX_PAGE_SIZE);
    /// the first page then checks the rest of `query`.
    ///
    /// ```
    /// # #[cfg(feature = "mock")]
    /// # #[tokio::main(flavor = "current_thread")]
    /// # async fn main() -> Result<(), Box<dyn std::error::Error>> {
    /// # use channels::mock::{CHANNEL_ID, MockBird, MockVendor, WORKSPACE_ID};
    /// # let bird = MockBird::start().await;
    /// # let client = Client::builder("your-access-key", WORKSPACE_ID, CHANNEL_ID).base_url(bird.uri()).build()?;
    /// use channels::{Body, Client, Direction, MessageQuery, SendRequest};
    ///
    /// for i in 0..5 {
    ///     let body = Body::text(format!("Update {i}"));
    ///     client.send(&SendRequest::builder("+31612345678".parse()?, body).build()?).await?;
    /// }
    /// let mut pages = client.messages_pages(MessageQuery::new().direction(Direction::Outgoing), 2)?;
    /// let mut sizes = Vec::new();
    /// while let Some(page) = pages.next_page().await? {
    ///     sizes.push(page.len());
    /// }
    /// assert_eq!(sizes, [2, 2, 1]);
    /// # Ok(()) }
    /// # #[cfg(not(feature = "mock"))]
    /// # fn main() {}
    /// ```
    pub fn messages_pages(
        &self,
        query: MessageQuery,
        page_size: u32,
    ) -> Result<Pager<Message, Error>, Error> {
        check_page_size(page_size)?;
        let client = self.clone();
        Ok(Pager::new(page_size, move |request: PageRequest| {
            let (client, query) = (client.clone(), query.clone());
            async move {
                let page = client
                    .messages(&query, request.page_size, request.token())
                    .await?;
                Ok(Page::after_token(page.results, page.next_page_token))
            }
        }))
    }

    /// Every message of an accepted batch, each with its `status` and,
    /// for a message Bird rejected (Bird validates a batch's messages after
    /// accepting the batch, and attaches the failure to the message), its
    /// `failure` and `reason`: the channel's messages filtered by the
    /// batch's id, [`MAX_PAGE_SIZE`](crate::MAX_PAGE_SIZE) a page, to the
    /// last page.
    ///
    /// Only messages whose `batchId` is the batch's are returned, whatever
    /// the list answers: the filter's name is inferred (see
    /// docs/channels.md), and were Bird to ignore it, the other messages
    /// are left out here rather than reported as the batch's.
    ///
    /// Refused before sending: a batch answer without a batch id.
    ///
    /// ```
    /// # #[cfg(feature = "mock")]
    /// # #[tokio::main(flavor = "current_thread")]
    /// # async fn main() -> Result<(), Box<dyn std::error::Error>> {
    /// # use channels::mock::{CHANNEL_ID, MockBird, MockVendor, WORKSPACE_ID};
    /// # let bird = MockBird::start().await;
    /// # let client = Client::builder("your-access-key", WORKSPACE_ID, CHANNEL_ID).base_url(bird.uri()).build()?;
    /// use channels::{BatchProgress, Body, Client, MessageStatus, SendRequest};
    ///
    /// // The mock rejects messages to this number, as Bird rejects a
    /// // message that fails its validation after the batch was accepted.
    /// bird.reject_in_batches("+31600000000");
    /// let mut requests = Vec::new();
    /// for to in ["+31612345678", "+31600000000"] {
    ///     requests.push(SendRequest::builder(to.parse()?, Body::text("Hi")).build()?);
    /// }
    /// let mut progress = BatchProgress::new();
    /// client.send_batch(&requests, &mut progress).await?;
    ///
    /// let batch = progress.chunks()[0].outcome.as_ref().expect("accepted");
    /// let messages = client.batch_messages(batch).await?;
    /// let statuses: Vec<_> = messages.iter().map(|m| m.status.clone()).collect();
    /// assert_eq!(statuses, [Some(MessageStatus::Accepted), Some(MessageStatus::Rejected)]);
    /// assert!(messages[1].failure.is_some());
    /// # Ok(()) }
    /// # #[cfg(not(feature = "mock"))]
    /// # fn main() {}
    /// ```
    pub async fn batch_messages(&self, batch: &BatchAccepted) -> Result<Vec<Message>, Error> {
        let Some(batch_id) = batch.batch_id.clone().filter(|id| !id.trim().is_empty()) else {
            return Err(ValidationError::new(
                "batchId",
                "Bird's answer to this batch carried no batch id: its messages cannot be \
                 looked up by batch (read them with `messages` by time range instead)",
            )
            .into());
        };
        let query = MessageQuery::new().batch_id(batch_id.clone());
        let pager = self.messages_pages(query, crate::MAX_PAGE_SIZE)?;
        let mut messages = pager.all().await?;
        messages.retain(|m| m.batch_id.as_deref() == Some(batch_id.as_str()));
        Ok(messages)
    }

    /// A `GET` of `path` (below the API host), retried as a read, its
    /// answer read leniently.
    async fn read<T: serde::de::DeserializeOwned>(
        &self,
        operation: &'static str,
        path: String,
    ) -> Result<Accepted<T>, Error> {
        let req = self.inner.http.request_path(operation, Method::Get, path);
        let req = self.authorized(req)?.idempotency(Idempotency::Idempotent);
        self.inner.http.call_accepted(&Bird, &req).await
    }
}
