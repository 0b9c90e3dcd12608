//! How a mock vendor delivers a callback to the application's receiver.

use super::error_chain;

/// POSTs a callback `body` with `headers` to `url`, as a vendor delivers
/// one, and returns the answer's status: how the mock vendors send their
/// delivery reports and notifications to a receiver. Plain HTTP to this
/// machine only (the mocks never call anything else).
///
/// # Errors
///
/// When `url` is not `http://127.0.0.1…` or `http://localhost…`, or the
/// request fails.
pub async fn post_callback(
    url: &str,
    headers: &[(&str, &str)],
    body: &[u8],
) -> Result<u16, String> {
    let local = ["http://127.0.0.1", "http://localhost", "http://[::1]"];
    if !local.iter().any(|p| url.starts_with(p)) {
        return Err(format!(
            "a mock vendor posts callbacks to this machine only, not to {url}"
        ));
    }
    let mut request = reqwest::Client::new()
        .post(url)
        .timeout(std::time::Duration::from_secs(10))
        .header("content-type", "application/json")
        .body(body.to_vec());
    for (name, value) in headers {
        request = request.header(*name, *value);
    }
    let response = request.send().await.map_err(|e| error_chain(&e))?;
    Ok(response.status().as_u16())
}
