//! [`Profile`]: what the suite needs of one vendor crate.

use std::fmt;
use std::future::Future;
use std::pin::Pin;

use super::Settings;
use crate::error::{Error, Refusal};
use crate::http::HttpBuilder;
use crate::mock::{MockVendor, RecordedRequest};

/// A vendor's sample send, given a client.
pub type SendFn<C, E> =
    Box<dyn Fn(C) -> Pin<Box<dyn Future<Output = Result<(), E>> + Send>> + Send + Sync>;

/// [`SendFn`] from an async closure.
pub fn send_fn<C, E, F, Fut>(f: F) -> SendFn<C, E>
where
    F: Fn(C) -> Fut + Send + Sync + 'static,
    Fut: Future<Output = Result<(), E>> + Send + 'static,
{
    Box::new(move |client| Box::pin(f(client)))
}

/// A vendor client builder the suite can drive: every vendor crate's
/// `ClientBuilder`, whose client is cheap to clone and shareable, and whose
/// error is the workspace's [`Error`] over the crate's `ApiError`.
pub trait Drivable:
    HttpBuilder<Client: Clone + fmt::Debug + Send + Sync + 'static> + fmt::Debug
{
    /// The crate's `ApiError`.
    type Api: Refusal;

    /// The builder's error as what it is: `Error<Self::Api>`.
    fn typed(error: Self::Error) -> Error<Self::Api>;
}

impl<E: Refusal, B> Drivable for B
where
    B: HttpBuilder<Error = Error<E>, Client: Clone + fmt::Debug + Send + Sync + 'static>
        + fmt::Debug,
{
    type Api = E;

    fn typed(error: Error<E>) -> Error<E> {
        error
    }
}

/// One vendor crate, as the suite drives it: its client builder and mock,
/// what its documentation says, its sample send and its decoders.
pub struct Profile<M: MockVendor, B: Drivable> {
    /// A client builder holding the credentials (called once per client).
    pub builder: Box<dyn Fn() -> B + Send + Sync>,
    /// The credentials the mock insists on: the builder's.
    pub credentials: Box<dyn Fn() -> M::Credentials + Send + Sync>,
    /// The secret parts of the credentials: none may appear in any
    /// `Debug`, `Display`, error chain or log line.
    pub secrets: Vec<&'static str>,
    /// Sends the crate's documented sample message.
    pub send: SendFn<B::Client, Error<B::Api>>,
    /// Every error code the vendor documents, as the mock's `fail_next`
    /// takes them.
    pub codes: Vec<M::Code>,
    /// The vendor's documented "throttled, not processed" answer (status
    /// and body), which a send retries whatever its settings; `None` where
    /// the vendor documents none.
    pub throttled: Option<(u16, String)>,
    /// The vendor's documented success answer to a send (status and body).
    pub success: (u16, String),
    /// Every documented sample the crate decodes (answers, callbacks).
    pub samples: Vec<Vec<u8>>,
    /// Runs every decoder of the crate on the bytes, ignoring the results.
    pub decode: fn(&[u8]),
    /// Where the vendor differs from the common case.
    pub hooks: Hooks<B::Api>,
}

/// Where a vendor differs from the common case; [`Hooks::default`] is the
/// common case.
#[derive(Debug, Clone, Copy)]
pub struct Hooks<E> {
    /// The base URL for a server at `root` (`http://127.0.0.1:port`); the
    /// gateway, whose URI is issued per partner, appends a path.
    pub base_url: fn(&str) -> String,
    /// Whether a request is a send, as opposed to an auxiliary call (a
    /// token fetch).
    pub is_send: fn(&RecordedRequest) -> bool,
    /// The full HTTP answer to an auxiliary call, when the request is one.
    pub auxiliary: fn(&RecordedRequest) -> Option<Vec<u8>>,
    /// Sends the client makes beyond the loop's own attempts after an
    /// error (a token renewal and one resend after a 401).
    pub extra_sends: fn(&Error<E>) -> usize,
    /// Whether the suite mutates the documented success answer, which it
    /// can when that answer is JSON: `false` for a profile whose success
    /// answer is in another format (ActiveTrail's XML, whose mutations its
    /// own tests make), and then
    /// [`an_accepted_answer_is_never_an_error`](super::an_accepted_answer_is_never_an_error)
    /// says it was skipped.
    pub lenient_success: bool,
}

impl<E> Default for Hooks<E> {
    fn default() -> Self {
        Self {
            base_url: str::to_owned,
            is_send: |_| true,
            auxiliary: |_| None,
            extra_sends: |_| 0,
            lenient_success: true,
        }
    }
}

impl<M: MockVendor, B: Drivable> fmt::Debug for Profile<M, B> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Profile")
            .field("codes", &self.codes.len())
            .field("throttled", &self.throttled.as_ref().map(|t| t.0))
            .field("success", &self.success.0)
            .field("samples", &self.samples.len())
            .finish_non_exhaustive()
    }
}

impl<M: MockVendor, B: Drivable> Profile<M, B> {
    /// The mock vendor, insisting on the profile's credentials.
    pub(super) async fn mock(&self) -> M {
        M::start_with(Some((self.credentials)())).await
    }

    /// A client pointed at `root`'s base URL, with `settings`.
    pub(super) fn client(
        &self,
        root: &str,
        settings: &Settings,
    ) -> Result<B::Client, Error<B::Api>> {
        settings
            .apply((self.builder)())
            .with_http_config(|c| c.set_base_url((self.hooks.base_url)(root)))
            .build_client()
            .map_err(B::typed)
    }

    /// A client of `mock`, whose URI is the base URL already.
    pub(super) fn client_of(
        &self,
        mock: &M,
        settings: &Settings,
    ) -> Result<B::Client, Error<B::Api>> {
        settings
            .apply((self.builder)())
            .with_http_config(|c| c.set_base_url(mock.uri()))
            .build_client()
            .map_err(B::typed)
    }

    pub(super) async fn send(&self, client: &B::Client) -> Result<(), Error<B::Api>> {
        (self.send)(client.clone()).await
    }

    pub(super) fn sends(&self, requests: &[RecordedRequest]) -> usize {
        requests.iter().filter(|r| (self.hooks.is_send)(r)).count()
    }
}
