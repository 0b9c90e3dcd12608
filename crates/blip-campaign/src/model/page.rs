//! `$skip`/`$take`: which page of a collection a read asks for.

use whatsapp_common::ValidationError;

/// Most items one page of a collection read may ask for (`$take`).
/// *Inferred*: Blip answers "The take parameter can not be greater than
/// 100" on its other OData-style endpoints; the Active Campaign reads are
/// assumed to share the cap. A larger `$take` is refused before sending.
pub const MAX_TAKE: u32 = 100;

/// Which page of a collection a read asks for: `$skip` (items before the
/// page) and `$take` (items in it, 1 to [`MAX_TAKE`]). A member left `None`
/// is not sent: [`Paging::default`] sends neither and gets Blip's own
/// first page. To read every page, use a pager such as
/// [`Client::audience_pages`](crate::Client::audience_pages).
///
/// ```
/// use blip_campaign::Paging;
/// let second = Paging::new(100, 100); // items 100 to 199
/// assert_eq!((second.skip, second.take), (Some(100), Some(100)));
/// assert_eq!(Paging::default().take, None);
/// ```
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash)]
pub struct Paging {
    /// `$skip`: how many items come before the page.
    pub skip: Option<u32>,
    /// `$take`: how many items the page holds at most, 1 to [`MAX_TAKE`].
    pub take: Option<u32>,
}

impl Paging {
    /// The page of at most `take` items after the first `skip`.
    pub fn new(skip: u32, take: u32) -> Self {
        Self {
            skip: Some(skip),
            take: Some(take),
        }
    }

    /// Appends `$skip` and `$take`, as given, to a query's parts, after
    /// checking `$take`.
    pub(crate) fn push_query(&self, parts: &mut Vec<String>) -> Result<(), ValidationError> {
        if let Some(take) = self.take {
            check_take(take)?;
        }
        if let Some(skip) = self.skip {
            parts.push(format!("$skip={skip}"));
        }
        if let Some(take) = self.take {
            parts.push(format!("$take={take}"));
        }
        Ok(())
    }
}

/// `take` is a page size Blip accepts: 1 to [`MAX_TAKE`].
pub(crate) fn check_take(take: u32) -> Result<(), ValidationError> {
    let reason = match take {
        0 => "is 0: ask for 1 to 100 items a page".to_owned(),
        t if t > MAX_TAKE => format!(
            "is {t}: ask for at most {MAX_TAKE} items a page (Blip's cap, inferred) and read the rest page by page, with $skip or a pager"
        ),
        _ => return Ok(()),
    };
    Err(ValidationError::new("$take", reason))
}

/// `path` with the query `parts`, if any.
pub(crate) fn with_query(path: &str, parts: &[String]) -> String {
    if parts.is_empty() {
        path.to_owned()
    } else {
        format!("{path}?{}", parts.join("&"))
    }
}
