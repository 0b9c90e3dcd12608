//! Reading a vendor collection page by page, to the end.
//!
//! A vendor list endpoint answers one page at a time and says, one way or
//! another, where the next page starts:
//!
//! - **offset paging** (Blip's `$skip`/`$take`): the next page starts
//!   after the items read so far. A page holds at most the page size asked
//!   for, so a page **shorter than the page size, or empty, is the last**:
//!   [`Page::after_offset`] applies that rule;
//! - **token paging** (Bird's `pageToken` → `nextPageToken`): each page
//!   names the next one, and the last names none: [`Page::after_token`].
//!
//! A vendor crate turns one page's answer into a [`Page`] (its items and
//! the [`Cursor`] of the next page, if any), and hands a [`Pager`] the
//! function that reads one page. [`Pager::next_page`] then reads the pages
//! in order, one request each, until there is no next one;
//! [`Pager::all`] reads them all into one list.
//!
//! A page that fails leaves the pager where it was: calling
//! [`Pager::next_page`] again asks for the same page again, and
//! [`Pager::cursor`] says where that is, to resume later with
//! [`Pager::starting_at`].
//!
//! ```
//! use whatsapp_common::paging::{Cursor, Page, PageRequest, Pager};
//!
//! # #[tokio::main(flavor = "current_thread")]
//! # async fn main() {
//! // The vendor holds 7 items, and reads them with `$skip`/`$take`.
//! let stored: Vec<u32> = (0..7).collect();
//! let mut pager = Pager::new(3, move |request: PageRequest| {
//!     let stored = stored.clone();
//!     async move {
//!         let skip = request.offset() as usize;
//!         let take = request.page_size as usize;
//!         let items: Vec<u32> = stored.iter().copied().skip(skip).take(take).collect();
//!         Ok::<_, String>(Page::after_offset(items, request.offset(), request.page_size))
//!     }
//! });
//! assert_eq!(pager.next_page().await, Ok(Some(vec![0, 1, 2])));
//! assert_eq!(pager.cursor(), Some(&Cursor::Offset(3)));
//! assert_eq!(pager.next_page().await, Ok(Some(vec![3, 4, 5])));
//! assert_eq!(pager.next_page().await, Ok(Some(vec![6]))); // shorter: the last
//! assert_eq!(pager.next_page().await, Ok(None));
//! assert!(pager.is_done());
//! # }
//! ```

use std::fmt;
use std::future::Future;
use std::pin::Pin;

/// Where a page starts.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum Cursor {
    /// Offset paging: how many items come before the page (`$skip`).
    Offset(u64),
    /// Token paging: the vendor's name for the page (`pageToken`).
    Token(String),
}

/// One page of a collection: its items and where the next page starts,
/// `None` on the last page.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct Page<T> {
    /// The page's items, in the vendor's order.
    pub items: Vec<T>,
    /// Where the next page starts; `None` when this page is the last.
    pub next: Option<Cursor>,
}

impl<T> Page<T> {
    /// A page with the next page's cursor as given.
    pub fn new(items: Vec<T>, next: Option<Cursor>) -> Self {
        Self { items, next }
    }

    /// A page of offset paging read from `offset` with `page_size` items
    /// asked for. It is the last when it holds fewer than `page_size`
    /// items (or none); otherwise the next page starts after its items.
    ///
    /// ```
    /// use whatsapp_common::paging::{Cursor, Page};
    /// assert_eq!(Page::after_offset(vec![1, 2], 10, 2).next, Some(Cursor::Offset(12)));
    /// assert_eq!(Page::after_offset(vec![1], 10, 2).next, None);
    /// assert_eq!(Page::<u8>::after_offset(vec![], 10, 2).next, None);
    /// ```
    pub fn after_offset(items: Vec<T>, offset: u64, page_size: u32) -> Self {
        let len = items.len();
        let full = len > 0 && len >= page_size as usize;
        let next = full.then(|| Cursor::Offset(offset.saturating_add(len as u64)));
        Self { items, next }
    }

    /// A page of token paging: the next page is the one `next_token`
    /// names; none (or an empty token) means this page is the last.
    ///
    /// ```
    /// use whatsapp_common::paging::{Cursor, Page};
    /// let page = Page::after_token(vec!["a"], Some("t2".to_owned()));
    /// assert_eq!(page.next, Some(Cursor::Token("t2".into())));
    /// assert_eq!(Page::after_token(vec!["a"], Some(String::new())).next, None);
    /// ```
    pub fn after_token(items: Vec<T>, next_token: Option<String>) -> Self {
        let next = next_token.filter(|t| !t.is_empty()).map(Cursor::Token);
        Self { items, next }
    }
}

/// What the page-reading function of a [`Pager`] is asked for: the page
/// at `cursor` (`None`: the first page), of at most `page_size` items.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct PageRequest {
    /// Where the page starts; `None` for the first page.
    pub cursor: Option<Cursor>,
    /// How many items a page holds at most (`$take`, `limit`).
    pub page_size: u32,
}

impl PageRequest {
    /// The page's offset for offset paging: 0 for the first page (and for
    /// a token cursor).
    pub fn offset(&self) -> u64 {
        match self.cursor {
            Some(Cursor::Offset(n)) => n,
            _ => 0,
        }
    }

    /// The page's token for token paging: `None` for the first page (and
    /// for an offset cursor).
    pub fn token(&self) -> Option<&str> {
        match &self.cursor {
            Some(Cursor::Token(t)) => Some(t),
            _ => None,
        }
    }
}

/// The boxed future of one page.
type PageFuture<T, E> = Pin<Box<dyn Future<Output = Result<Page<T>, E>> + Send>>;

/// Reads a collection page by page, from the first page (or a
/// [cursor](Pager::starting_at)) to the last, one request a page. See the
/// [module docs](self).
///
/// A vendor crate builds one from the function that reads one page;
/// callers pull pages with [`Pager::next_page`] or read everything with
/// [`Pager::all`]. `Send`: it may be moved into a spawned task.
pub struct Pager<T, E> {
    fetch: Box<dyn FnMut(PageRequest) -> PageFuture<T, E> + Send>,
    cursor: Option<Cursor>,
    page_size: u32,
    done: bool,
}

impl<T, E> fmt::Debug for Pager<T, E> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Pager")
            .field("cursor", &self.cursor)
            .field("page_size", &self.page_size)
            .field("done", &self.done)
            .finish_non_exhaustive()
    }
}

impl<T: Send + 'static, E: Send + 'static> Pager<T, E> {
    /// A pager reading pages of at most `page_size` items with `fetch`,
    /// which reads the page a [`PageRequest`] names and says where the
    /// next one starts. The vendor crate checks `page_size` against the
    /// vendor's limits before building it.
    pub fn new<F, Fut>(page_size: u32, mut fetch: F) -> Self
    where
        F: FnMut(PageRequest) -> Fut + Send + 'static,
        Fut: Future<Output = Result<Page<T>, E>> + Send + 'static,
    {
        Self {
            fetch: Box::new(move |request| Box::pin(fetch(request))),
            cursor: None,
            page_size,
            done: false,
        }
    }
}

impl<T, E> Pager<T, E> {
    /// Starts at `cursor` instead of the first page: to resume where an
    /// earlier pager stopped ([`Pager::cursor`]).
    #[must_use]
    pub fn starting_at(mut self, cursor: Cursor) -> Self {
        self.cursor = Some(cursor);
        self.done = false;
        self
    }

    /// How many items a page holds at most.
    pub fn page_size(&self) -> u32 {
        self.page_size
    }

    /// Where the next page starts: `None` before the first page and after
    /// the last.
    pub fn cursor(&self) -> Option<&Cursor> {
        self.cursor.as_ref()
    }

    /// Whether the last page was read: [`Pager::next_page`] sends nothing
    /// more.
    pub fn is_done(&self) -> bool {
        self.done
    }

    /// Reads the next page: `Ok(Some(items))`, or `Ok(None)` once the last
    /// page was read (nothing is sent then). An empty last page gives
    /// `Ok(None)` at once.
    ///
    /// On an error the pager stays where it was: calling again asks for
    /// the same page. A page whose next cursor is the one it was read at
    /// ends the paging (the vendor would answer it again and again).
    pub async fn next_page(&mut self) -> Result<Option<Vec<T>>, E> {
        if self.done {
            return Ok(None);
        }
        let request = PageRequest {
            cursor: self.cursor.clone(),
            page_size: self.page_size,
        };
        let page = (self.fetch)(request).await?;
        let stuck = page.next.is_some() && page.next == self.cursor;
        match page.next {
            Some(next) if !stuck => self.cursor = Some(next),
            _ => {
                self.cursor = None;
                self.done = true;
            }
        }
        if page.items.is_empty() && self.done {
            return Ok(None);
        }
        Ok(Some(page.items))
    }

    /// Reads every page left into one list, in order. On an error, the
    /// items read so far are lost; use [`Pager::next_page`] to keep them.
    pub async fn all(mut self) -> Result<Vec<T>, E> {
        let mut out = Vec::new();
        while let Some(items) = self.next_page().await? {
            out.extend(items);
        }
        Ok(out)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::{Arc, Mutex};

    /// A vendor with `n` items, read by offset; records each request.
    fn offset_pager(n: u32, page_size: u32) -> (Pager<u32, String>, Arc<Mutex<Vec<u64>>>) {
        let asked = Arc::new(Mutex::new(Vec::new()));
        let log = asked.clone();
        let pager = Pager::new(page_size, move |r: PageRequest| {
            log.lock().unwrap().push(r.offset());
            let items: Vec<u32> = (0..n)
                .skip(r.offset() as usize)
                .take(r.page_size as usize)
                .collect();
            async move { Ok(Page::after_offset(items, r.offset(), r.page_size)) }
        });
        (pager, asked)
    }

    #[tokio::test]
    async fn offset_paging_stops_at_a_short_or_empty_page() {
        let (pager, asked) = offset_pager(7, 3);
        assert_eq!(pager.all().await.unwrap(), (0..7).collect::<Vec<_>>());
        assert_eq!(
            *asked.lock().unwrap(),
            [0, 3, 6],
            "the short page is the last"
        );

        let (mut pager, asked) = offset_pager(6, 3);
        assert_eq!(pager.next_page().await.unwrap(), Some(vec![0, 1, 2]));
        assert_eq!(pager.next_page().await.unwrap(), Some(vec![3, 4, 5]));
        assert_eq!(pager.next_page().await.unwrap(), None, "the empty page");
        assert!(pager.is_done());
        assert_eq!(pager.next_page().await.unwrap(), None);
        assert_eq!(*asked.lock().unwrap(), [0, 3, 6], "nothing after the end");

        let (pager, asked) = offset_pager(0, 3);
        assert!(pager.all().await.unwrap().is_empty());
        assert_eq!(*asked.lock().unwrap(), [0]);

        let (pager, asked) = offset_pager(7, 3);
        let rest = pager.starting_at(Cursor::Offset(5)).all().await.unwrap();
        assert_eq!(rest, [5, 6]);
        assert_eq!(*asked.lock().unwrap(), [5]);
    }

    #[tokio::test]
    async fn token_paging_follows_the_next_token_and_an_error_keeps_the_place() {
        let asked = Arc::new(Mutex::new(Vec::new()));
        let log = asked.clone();
        let mut fail_once = true;
        let mut pager = Pager::new(2, move |r: PageRequest| {
            let token = r.token().map(str::to_owned);
            log.lock().unwrap().push(token.clone());
            let answer = match token.as_deref() {
                None => Ok(Page::after_token(vec!["a", "b"], Some("t2".into()))),
                Some("t2") if fail_once => {
                    fail_once = false;
                    Err("timed out")
                }
                Some("t2") => Ok(Page::after_token(vec!["c", "d"], Some("t3".into()))),
                Some("t3") => Ok(Page::after_token(vec!["e"], None)),
                Some(_) => Err("unknown token"),
            };
            async move { answer }
        });
        assert_eq!(pager.next_page().await, Ok(Some(vec!["a", "b"])));
        assert_eq!(pager.next_page().await, Err("timed out"));
        assert_eq!(pager.cursor(), Some(&Cursor::Token("t2".into())));
        assert_eq!(pager.next_page().await, Ok(Some(vec!["c", "d"])));
        assert_eq!(pager.all().await, Ok(vec!["e"]));
        let tokens: Vec<Option<String>> = asked.lock().unwrap().clone();
        let t = |s: &str| Some(s.to_owned());
        assert_eq!(tokens, [None, t("t2"), t("t2"), t("t3")]);
    }

    #[test]
    fn a_pager_and_its_reads_may_move_to_another_task() {
        fn send<S: Send>(_: &S) {}
        let (mut pager, _) = offset_pager(3, 2);
        send(&pager);
        send(&pager.next_page());
        send(&pager.all());
    }

    #[tokio::test]
    async fn a_page_naming_itself_as_next_ends_the_paging() {
        let mut calls = 0;
        let pager = Pager::new(1, move |r: PageRequest| {
            calls += 1;
            assert!(calls < 3, "asked again for the same page");
            let page = Page::new(vec![calls], Some(r.cursor.unwrap_or(Cursor::Offset(7))));
            async move { Ok::<_, ()>(page) }
        });
        assert_eq!(pager.all().await, Ok(vec![1, 2]));
    }
}
