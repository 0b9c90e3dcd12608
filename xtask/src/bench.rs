//! `cargo xtask bench`: end-to-end throughput of each vendor client against
//! a local HTTP server, beside a hand-written `reqwest` call posting the same
//! bytes; bulk build-and-encode costs and peak memory; a 10,000-send load.
//! Writes `docs/performance.md`.

use std::fmt::Write as _;
use std::io::{BufRead, BufReader};
use std::process::{Child, Command, Stdio};
use std::sync::Arc;
use std::time::{Duration, Instant};

use bytes::Bytes;
use http_body_util::{BodyExt, Full};
use hyper::service::service_fn;
use hyper_util::rt::TokioIo;

use crate::alloc_stats;
use whatsapp_common::mock::MockVendor;

const SENDS: usize = 20_000;

fn fixture(path: &str) -> String {
    std::fs::read_to_string(crate::root().join("fixtures").join(path)).unwrap_or_default()
}

/// The server process: answers every request with the vendor's documented
/// success body, chosen by path. Prints its port on stdout.
pub(crate) fn server() -> crate::Result {
    let rt = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(1)
        .enable_all()
        .build()
        .map_err(|e| e.to_string())?;
    rt.block_on(async {
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
            .await
            .map_err(|e| e.to_string())?;
        let port = listener.local_addr().map_err(|e| e.to_string())?.port();
        println!("{port}");
        let bodies = Arc::new(Bodies::load());
        loop {
            let Ok((stream, _)) = listener.accept().await else {
                continue;
            };
            let bodies = bodies.clone();
            tokio::spawn(async move {
                let service = service_fn(move |req: hyper::Request<hyper::body::Incoming>| {
                    let bodies = bodies.clone();
                    async move {
                        let path = req.uri().path().to_owned();
                        // Read the request as a real server would.
                        let _ = req.into_body().collect().await;
                        let (status, body) = bodies.answer(&path);
                        let resp = hyper::Response::builder()
                            .status(status)
                            .header("content-type", "application/json")
                            .body(Full::new(body))
                            .unwrap_or_default();
                        Ok::<_, std::convert::Infallible>(resp)
                    }
                });
                let _ = hyper::server::conn::http1::Builder::new()
                    .serve_connection(TokioIo::new(stream), service)
                    .await;
            });
        }
    })
}

struct Bodies {
    gateway: Bytes,
    token: Bytes,
    huawei: Bytes,
    activetrail: Bytes,
    channels: Bytes,
    blip: Bytes,
}

impl Bodies {
    fn load() -> Self {
        Self {
            gateway: fixture("gateway-ru/send_success_response.json").into(),
            token: Bytes::from_static(
                br#"{"AccessToken":"bench-token","ApplyType":"Bearer","Expires":"3600"}"#,
            ),
            huawei: fixture("huawei-cec/send_response.json").into(),
            activetrail: fixture("activetrail/send_response.json").into(),
            channels: fixture("channels/constructed_send_accepted.json").into(),
            blip: fixture("blip-campaign/v2_create_response.json").into(),
        }
    }

    fn answer(&self, path: &str) -> (u16, Bytes) {
        if path.starts_with("/gw") {
            (200, self.gateway.clone())
        } else if path.contains("tokenByAkSk") {
            (200, self.token.clone())
        } else if path.contains("/omni/1/advanced") {
            (200, self.huawei.clone())
        } else if path.contains("SendOperationalMessage") {
            (200, self.activetrail.clone())
        } else if path.starts_with("/workspaces/") {
            (202, self.channels.clone())
        } else if path == "/commands" {
            (200, self.blip.clone())
        } else {
            (404, Bytes::new())
        }
    }
}

struct ServerProcess {
    child: Child,
    base: String,
}

impl Drop for ServerProcess {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn start_server() -> crate::Result<ServerProcess> {
    let exe = std::env::current_exe().map_err(|e| e.to_string())?;
    let mut child = Command::new(exe)
        .arg("bench-server")
        .stdout(Stdio::piped())
        .spawn()
        .map_err(|e| e.to_string())?;
    let stdout = child
        .stdout
        .take()
        .ok_or("no stdout from the bench server")?;
    let mut line = String::new();
    BufReader::new(stdout)
        .read_line(&mut line)
        .map_err(|e| e.to_string())?;
    let port: u16 = line
        .trim()
        .parse()
        .map_err(|_| format!("bad port line {line:?}"))?;
    Ok(ServerProcess {
        child,
        base: format!("http://127.0.0.1:{port}"),
    })
}

/// CPU time of this process (user + system).
fn cpu_time() -> Duration {
    let stat = std::fs::read_to_string("/proc/self/stat").unwrap_or_default();
    let after = stat.rsplit(')').next().unwrap_or_default();
    let fields: Vec<&str> = after.split_whitespace().collect();
    let ticks = |i: usize| {
        fields
            .get(i)
            .and_then(|v| v.parse::<u64>().ok())
            .unwrap_or(0)
    };
    // utime and stime are fields 14 and 15 of the line, 12 and 13 after `)`
    // and the state; clock ticks are 100 per second on Linux.
    Duration::from_millis((ticks(11) + ticks(12)) * 10)
}

fn open_fds() -> usize {
    std::fs::read_dir("/proc/self/fd")
        .map(|d| d.count())
        .unwrap_or(0)
}

type SendFn = Arc<
    dyn Fn() -> std::pin::Pin<Box<dyn std::future::Future<Output = Result<(), String>> + Send>>
        + Send
        + Sync,
>;

/// What one batch of sends took.
#[derive(Clone, Copy, Default)]
struct Run {
    sends: usize,
    elapsed: Duration,
    cpu: Duration,
}

impl Run {
    fn rps(&self) -> f64 {
        self.sends as f64 / self.elapsed.as_secs_f64()
    }
    fn cpu_per_send(&self) -> Duration {
        self.cpu.div_f64(self.sends.max(1) as f64)
    }
    fn add(&mut self, other: Run) {
        self.sends += other.sends;
        self.elapsed += other.elapsed;
        self.cpu += other.cpu;
    }
}

/// The runtime the sends at `concurrency` run on. One send at a time runs
/// on a single-threaded runtime: on a multi-threaded one, whether a path's
/// connection task shares a worker thread with its sending task is decided
/// once per connection, and that chance alone moved a run's c=1 ratio by
/// 0.3. Concurrent sends run on the multi-threaded runtime.
fn runtime_for(concurrency: usize) -> crate::Result<tokio::runtime::Runtime> {
    let mut builder = if concurrency == 1 {
        tokio::runtime::Builder::new_current_thread()
    } else {
        tokio::runtime::Builder::new_multi_thread()
    };
    builder.enable_all().build().map_err(|e| e.to_string())
}

/// Runs `total` sends with `concurrency` workers (the first
/// `total % concurrency` workers send one more than the others).
async fn drive(send: SendFn, total: usize, concurrency: usize) -> crate::Result<Run> {
    let cpu0 = cpu_time();
    let started = Instant::now();
    let mut tasks = Vec::new();
    for worker in 0..concurrency {
        let send = send.clone();
        let sends = total / concurrency + usize::from(worker < total % concurrency);
        tasks.push(tokio::spawn(async move {
            for _ in 0..sends {
                send().await?;
            }
            Ok::<(), String>(())
        }));
    }
    for t in tasks {
        t.await.map_err(|e| e.to_string())??;
    }
    Ok(Run {
        sends: total,
        elapsed: started.elapsed(),
        cpu: cpu_time().saturating_sub(cpu0),
    })
}

/// Rounds in which each path sends its share, the order turning every
/// round, so drift in the machine's load falls on every path alike.
const ROUNDS: usize = 50;

/// One path's rounds.
struct Rounds(Vec<Run>);

impl Rounds {
    /// All rounds together.
    fn total(&self) -> Run {
        let mut all = Run::default();
        self.0.iter().for_each(|r| all.add(*r));
        all
    }

    /// This path's rounds with an index of the given parity.
    fn half(&self, parity: usize) -> Run {
        let mut half = Run::default();
        self.0
            .iter()
            .skip(parity)
            .step_by(2)
            .for_each(|r| half.add(*r));
        half
    }

    /// The ratio of this path's throughput to `other`'s over all rounds,
    /// and over the even and the odd rounds apart: two disjoint halves
    /// whose spread shows the noise in the whole.
    fn ratio_to(&self, other: &Rounds) -> Ratio {
        let ratio = |a: Run, b: Run| a.rps() / b.rps();
        Ratio {
            all: ratio(self.total(), other.total()),
            halves: [0, 1].map(|p| ratio(self.half(p), other.half(p))),
        }
    }
}

/// A throughput ratio, with the same ratio over each half of the rounds.
struct Ratio {
    all: f64,
    halves: [f64; 2],
}

impl std::fmt::Display for Ratio {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "{:.3} ({:.2} / {:.2})",
            self.all, self.halves[0], self.halves[1]
        )
    }
}

/// One vendor's three paths measured side by side.
struct Comparison {
    sdk: Run,
    raw: Run,
    parsed: Run,
    vs_raw: Ratio,
    vs_parsed: Ratio,
}

/// Warms up every path of `v` (connections, token), then runs `sends`
/// down each in interleaved rounds.
async fn compare(v: &Vendor, sends: usize, concurrency: usize) -> crate::Result<Comparison> {
    drive(v.sdk.clone(), 200, 4).await?;
    drive(v.raw.plain.clone(), 200, 4).await?;
    drive(v.raw.parsed.clone(), 200, 4).await?;
    let [sdk, raw, parsed] =
        interleaved([&v.sdk, &v.raw.plain, &v.raw.parsed], sends, concurrency).await?;
    Ok(Comparison {
        vs_raw: sdk.ratio_to(&raw),
        vs_parsed: sdk.ratio_to(&parsed),
        sdk: sdk.total(),
        raw: raw.total(),
        parsed: parsed.total(),
    })
}

/// Runs `total` sends down each path in [`ROUNDS`] interleaved rounds.
async fn interleaved<const N: usize>(
    paths: [&SendFn; N],
    total: usize,
    concurrency: usize,
) -> crate::Result<[Rounds; N]> {
    let mut runs: [Rounds; N] = std::array::from_fn(|_| Rounds(Vec::with_capacity(ROUNDS)));
    for round in 0..ROUNDS {
        for k in 0..N {
            let i = (round + k) % N;
            runs[i]
                .0
                .push(drive(paths[i].clone(), total / ROUNDS, concurrency).await?);
        }
    }
    Ok(runs)
}

/// The SDK path: `call` with a clone of `client` and the shared input.
fn sdk_send<C, R, T, E, F, Fut>(client: C, input: R, call: F) -> SendFn
where
    C: Clone + Send + Sync + 'static,
    R: Send + Sync + 'static,
    E: std::fmt::Display,
    F: Fn(C, Arc<R>) -> Fut + Send + Sync + 'static,
    Fut: std::future::Future<Output = Result<T, E>> + Send + 'static,
{
    let input = Arc::new(input);
    Arc::new(move || {
        let fut = call(client.clone(), input.clone());
        Box::pin(async move { fut.await.map(|_| ()).map_err(|e| e.to_string()) })
    })
}

struct Vendor {
    name: &'static str,
    sdk: SendFn,
    raw: RawSends,
}

/// Builds each vendor's SDK send and the raw send of the same bytes (the
/// SDK's own request, captured once).
async fn vendors(base: &str) -> crate::Result<Vec<Vendor>> {
    let raw_client = reqwest::Client::builder()
        .build()
        .map_err(|e| e.to_string())?;
    let mut out = Vec::new();
    let policy = whatsapp_common::RetryPolicy::none();

    // gateway-ru
    {
        let client = gateway_ru::Client::builder("YOUR_LOGIN", "YOUR_PASSWORD")
            .base_url(format!("{base}/gw/send"))
            .retry_policy(policy)
            .build()
            .map_err(|e| e.to_string())?;
        let request = gateway_ru::SendRequest::builder(
            "+79211234567".parse().map_err(|e| format!("{e}"))?,
            gateway_ru::InstantContent::text("Ваш заказ №1042 отправлен"),
        )
        .build()
        .map_err(|e| e.to_string())?;
        // The exact bytes the SDK sends, captured once from the mock gateway.
        let body = {
            let mock = gateway_ru::mock::MockGateway::start().await;
            let capture = gateway_ru::Client::builder("YOUR_LOGIN", "YOUR_PASSWORD")
                .base_url(mock.uri())
                .build()
                .map_err(|e| e.to_string())?;
            capture.send(&request).await.map_err(|e| e.to_string())?;
            mock.requests()
                .await
                .pop()
                .map(|r| r.body)
                .unwrap_or_default()
        };
        let sdk = sdk_send(
            client.clone(),
            request,
            |c, r| async move { c.send(&r).await },
        );
        out.push(Vendor {
            name: "gateway-ru",
            sdk,
            raw: raw_post(&raw_client, format!("{base}/gw/send"), body, vec![]),
        });
    }
    // huawei-cec
    {
        let client = huawei_cec::Client::builder("app-key", "app-secret")
            .base_url(base)
            .retry_policy(policy)
            .build()
            .map_err(|e| e.to_string())?;
        let request = huawei_cec::SendRequest::builder(huawei_cec::WhatsAppMessage::template(
            huawei_cec::TemplateMessage::new("order_shipped", "en_US")
                .map_err(|e| e.to_string())?
                .data(["Anna", "#1042"]),
        ))
        .to("+41793026727".parse().map_err(|e| format!("{e}"))?)
        .build()
        .map_err(|e| e.to_string())?;
        let body = serde_json::to_vec(&request).map_err(|e| e.to_string())?;
        let sdk = sdk_send(
            client.clone(),
            request,
            |c, r| async move { c.send(&r).await },
        );
        let headers = vec![
            ("authorization".to_owned(), "Bearer bench-token".to_owned()),
            ("x-app-key".to_owned(), "app-key".to_owned()),
        ];
        out.push(Vendor {
            name: "huawei-cec",
            sdk,
            raw: raw_post(
                &raw_client,
                format!("{base}{}", huawei_cec::SEND_PATH),
                body,
                headers,
            ),
        });
    }
    // activetrail (JSON and XML)
    for format in [activetrail::Format::Json, activetrail::Format::Xml] {
        let client = activetrail::Client::builder("0XTOKEN")
            .base_url(base)
            .format(format)
            .retry_policy(policy)
            .build()
            .map_err(|e| e.to_string())?;
        let message = activetrail::OperationalMessage::template(
            7,
            activetrail::TemplateRef::new("order_shipped").variable("name", "Dana"),
        )
        .to("+972501234567".parse().map_err(|e| format!("{e}"))?)
        .build()
        .map_err(|e| e.to_string())?;
        let body = client.encode(&message).map_err(|e| e.to_string())?;
        let sdk = sdk_send(
            client.clone(),
            message,
            |c, r| async move { c.send(&r).await },
        );
        let headers = vec![
            ("authorization".to_owned(), "0XTOKEN".to_owned()),
            ("content-type".to_owned(), format.content_type().to_owned()),
        ];
        // The XML answer is the JSON sample here: the raw path does not
        // decode, and the SDK's JSON decode is what the JSON row measures.
        if format == activetrail::Format::Json {
            out.push(Vendor {
                name: "activetrail (JSON)",
                sdk,
                raw: raw_post(
                    &raw_client,
                    format!("{base}{}", activetrail::SEND_PATH),
                    body,
                    headers,
                ),
            });
        }
    }
    // channels
    {
        let client = channels::Client::builder(
            "key",
            channels::mock::WORKSPACE_ID,
            channels::mock::CHANNEL_ID,
        )
        .base_url(base)
        .retry_policy(policy)
        .build()
        .map_err(|e| e.to_string())?;
        let request = channels::SendRequest::builder(
            "+31612345678".parse().map_err(|e| format!("{e}"))?,
            channels::Body::text("Your order has shipped")
                .with_actions(vec![channels::Action::reply("Track it")]),
        )
        .build()
        .map_err(|e| e.to_string())?;
        let body = serde_json::to_vec(&request).map_err(|e| e.to_string())?;
        let sdk = sdk_send(
            client.clone(),
            request,
            |c, r| async move { c.send(&r).await },
        );
        let path = format!(
            "{base}/workspaces/{}/channels/{}/messages",
            channels::mock::WORKSPACE_ID,
            channels::mock::CHANNEL_ID
        );
        out.push(Vendor {
            name: "channels",
            sdk,
            raw: raw_post(
                &raw_client,
                path,
                body,
                vec![("authorization".to_owned(), "AccessKey key".to_owned())],
            ),
        });
    }
    // blip-campaign
    {
        let client = blip_campaign::Client::builder("Key a2V5")
            .base_url(base)
            .retry_policy(policy)
            .build()
            .map_err(|e| e.to_string())?;
        let campaign = blip_campaign::FullCampaign::individual(
            blip_campaign::CampaignInfo::new("bench"),
            blip_campaign::Audience::new("+5531999990001".parse().map_err(|e| format!("{e}"))?)
                .param("1", "Ana"),
            blip_campaign::MessageTemplate::whatsapp("welcome", ["1"]),
        )
        .build()
        .map_err(|e| e.to_string())?;
        let body =
            blip_campaign::Client::encode_full_campaign(&campaign).map_err(|e| e.to_string())?;
        let sdk = sdk_send(client.clone(), campaign, |c, r| async move {
            c.create_full_campaign(&r).await
        });
        out.push(Vendor {
            name: "blip-campaign",
            sdk,
            raw: raw_post(
                &raw_client,
                format!("{base}/commands"),
                body,
                vec![("authorization".to_owned(), "Key a2V5".to_owned())],
            ),
        });
    }
    Ok(out)
}

/// One vendor's sends alone, for a profiler:
/// `bench-profile <vendor> <sdk|raw|parsed|all> <sends> <concurrency>`
/// (`all`: the three paths interleaved, with their ratios).
pub(crate) fn profile(args: &[String]) -> crate::Result {
    let [vendor, mode, sends, concurrency] = args else {
        return Err(
            "usage: bench-profile <vendor> <sdk|raw|parsed|all> <sends> <concurrency>".into(),
        );
    };
    let sends: usize = sends.parse().map_err(|_| "sends: a number")?;
    alloc_stats::stop_counting();
    let concurrency: usize = concurrency.parse().map_err(|_| "concurrency: a number")?;
    let server = start_server()?;
    let rt = runtime_for(concurrency)?;
    rt.block_on(async {
        let vendors = vendors(&server.base).await?;
        let v = vendors
            .iter()
            .find(|v| v.name.starts_with(vendor.as_str()))
            .ok_or_else(|| format!("no vendor {vendor:?}"))?;
        if mode == "all" {
            let Comparison {
                sdk,
                raw,
                parsed,
                vs_raw,
                vs_parsed,
            } = compare(v, sends, concurrency).await?;
            println!(
                "{} c={concurrency}: SDK {:.0} req/s ({:.1} µs CPU), raw {:.0} ({:.1} µs), raw + parse {:.0}; SDK/raw {vs_raw}, SDK/(raw + parse) {vs_parsed}",
                v.name,
                sdk.rps(),
                sdk.cpu_per_send().as_secs_f64() * 1e6,
                raw.rps(),
                raw.cpu_per_send().as_secs_f64() * 1e6,
                parsed.rps(),
            );
            return Ok(());
        }
        let send = match mode.as_str() {
            "sdk" => v.sdk.clone(),
            "raw" => v.raw.plain.clone(),
            "parsed" => v.raw.parsed.clone(),
            _ => return Err(format!("mode {mode:?}: sdk, raw or parsed")),
        };
        drive(send.clone(), 100, 1).await?;
        let run = drive(send, sends, concurrency).await?;
        println!(
            "{} {mode}: {:.0} req/s, {:.1} µs CPU per send",
            v.name,
            run.rps(),
            run.cpu_per_send().as_secs_f64() * 1e6
        );
        Ok::<(), String>(())
    })?;
    drop(server);
    Ok(())
}

/// The hand-written calls for one vendor: the same request, its answer
/// read and dropped (`plain`, the target's baseline) or read and parsed into
/// a `serde_json::Value` (`parsed`, the least a hand-written caller that
/// looks at the answer pays).
struct RawSends {
    plain: SendFn,
    parsed: SendFn,
}

/// A hand-written call: post the bytes, check the status, read the body
/// (and for `parsed`, parse it as untyped JSON).
fn raw_post(
    client: &reqwest::Client,
    url: String,
    body: Vec<u8>,
    headers: Vec<(String, String)>,
) -> RawSends {
    let body = Bytes::from(body);
    let headers = Arc::new(headers);
    let make = |parse: bool| -> SendFn {
        let (client, url, body, headers) =
            (client.clone(), url.clone(), body.clone(), headers.clone());
        Arc::new(move || {
            let (client, url, body, headers) =
                (client.clone(), url.clone(), body.clone(), headers.clone());
            Box::pin(async move {
                let mut req = client
                    .post(&url)
                    .header("content-type", "application/json")
                    .body(body);
                for (k, v) in headers.iter() {
                    req = req.header(k.as_str(), v.as_str());
                }
                let resp = req.send().await.map_err(|e| e.to_string())?;
                if !resp.status().is_success() {
                    return Err(format!("HTTP {}", resp.status()));
                }
                let bytes = resp.bytes().await.map_err(|e| e.to_string())?;
                if parse {
                    let value: serde_json::Value =
                        serde_json::from_slice(&bytes).map_err(|e| e.to_string())?;
                    std::hint::black_box(value);
                }
                Ok(())
            })
        })
    };
    RawSends {
        plain: make(false),
        parsed: make(true),
    }
}

/// Builds and encodes `f`'s result, measuring time and peak heap growth.
fn bulk<T>(
    f: impl FnOnce() -> crate::Result<(T, usize)>,
) -> crate::Result<(Duration, usize, usize)> {
    let base = alloc_stats::current();
    alloc_stats::reset_peak();
    let started = Instant::now();
    let (_kept, encoded) = f()?;
    let elapsed = started.elapsed();
    let peak = alloc_stats::peak().saturating_sub(base);
    Ok((elapsed, encoded, peak))
}

/// A measured bulk step: (time, encoded bytes, peak heap growth).
type BulkStep = Box<dyn Fn() -> crate::Result<(Duration, usize, usize)>>;

/// Only the bulk figures, printed (`cargo run --release -p xtask -- bench-bulk`).
pub(crate) fn run_bulk() -> crate::Result {
    let steps: [(&str, BulkStep); 3] = [
        (
            "blip: build 100k audiences",
            Box::new(|| {
                bulk(|| {
                    let audiences = blip_audiences()?;
                    let n = audiences.len();
                    Ok((audiences, n))
                })
            }),
        ),
        (
            "blip: build + validate campaign",
            Box::new(|| {
                bulk(|| {
                    let c = blip_batch(blip_audiences()?)?;
                    Ok((c, 0))
                })
            }),
        ),
        (
            "blip: build + encode",
            Box::new(|| {
                bulk(|| {
                    let c = blip_batch(blip_audiences()?)?;
                    let bytes = blip_campaign::Client::encode_full_campaign(&c)
                        .map_err(|e| e.to_string())?;
                    Ok((c, bytes.len()))
                })
            }),
        ),
    ];
    for (name, f) in steps {
        let (t, body, peak) = f()?;
        println!(
            "{name}: {:.1} ms, body {body}, peak {:.1} MB",
            t.as_secs_f64() * 1e3,
            peak as f64 / 1e6
        );
    }
    Ok(())
}

/// 100,000 audiences, in a list sized up front as a caller who knows the
/// count would.
/// The bulk batch campaign: `audiences` and one WhatsApp template.
fn blip_batch(
    audiences: Vec<blip_campaign::Audience>,
) -> crate::Result<blip_campaign::FullCampaign> {
    blip_campaign::FullCampaign::batch(
        blip_campaign::CampaignInfo::new("bulk"),
        audiences,
        blip_campaign::MessageTemplate::whatsapp("welcome", ["1"]),
    )
    .build()
    .map_err(|e| e.to_string())
}

fn blip_audiences() -> crate::Result<Vec<blip_campaign::Audience>> {
    const N: u32 = 100_000;
    let mut list = Vec::with_capacity(N as usize);
    for i in 0..N {
        let phone = format!("+55319{i:08}")
            .parse()
            .map_err(|e| format!("{e}"))?;
        list.push(blip_campaign::Audience::new(phone).param("1", format!("Customer {i}")));
    }
    Ok(list)
}

pub(crate) fn run() -> crate::Result {
    let server = start_server()?;
    let cores = std::thread::available_parallelism().map_or(1, |n| n.get());
    let rt = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .map_err(|e| e.to_string())?;
    let mut md = String::new();
    let _ = writeln!(md, "# Performance\n");
    let _ = writeln!(
        md,
        "Written by `cargo xtask bench` (release build) on a machine with {cores} cores. \
         The HTTP server is a separate process on 127.0.0.1 (hyper, HTTP/1.1, no logging) \
         answering every request with the vendor's documented success body. \
         \"raw\" is a hand-written `reqwest` call posting the same bytes with one shared \
         `reqwest::Client` and reading the answer; \"SDK\" is the vendor client's send, \
         which validates, encodes, sends and decodes the typed answer. CPU per send is the \
         client process's user + system time divided by the sends. Each path sends its \
         share in {ROUNDS} rounds, the order turning every round, so drift in the machine's \
         load falls on all of them alike. A ratio is taken over all rounds; in brackets, the \
         same ratio over the even and over the odd rounds alone, two disjoint halves whose \
         spread shows the run's noise. Concurrency 1 runs on a single-threaded tokio runtime, \
         concurrency 64 on a multi-threaded one, each with its own clients: on a \
         multi-threaded runtime one send at a time depends on whether a connection's task \
         happens to share a worker thread with the task sending on it, a chance drawn once per \
         connection that moved the c=1 ratio by 0.3 from one run to the next. The heap counter behind the bulk and load figures is off during these \
         runs.\n"
    );
    let _ = writeln!(
        md,
        "## Bulk: build (with validation) and encode, measured first, on an idle process\n"
    );
    let _ = writeln!(
        md,
        "| what | time | encoded body | peak heap growth | peak / body |"
    );
    let _ = writeln!(md, "|---|---|---|---|---|");
    let mut bulk_row = |what: &str, r: (Duration, usize, usize)| {
        let (t, body, peak) = r;
        let line = format!(
            "| {what} | {:.1} ms | {:.1} MB | {:.1} MB | {:.2} |",
            t.as_secs_f64() * 1e3,
            body as f64 / 1e6,
            peak as f64 / 1e6,
            peak as f64 / body.max(1) as f64
        );
        println!("{line}");
        let _ = writeln!(md, "{line}");
    };
    bulk_row(
        "blip-campaign: batch campaign, 100,000 audiences (`/campaign/full` command)",
        bulk(|| {
            let campaign = blip_batch(blip_audiences()?)?;
            let bytes = blip_campaign::Client::encode_full_campaign(&campaign)
                .map_err(|e| e.to_string())?;
            Ok((campaign, bytes.len()))
        })?,
    );
    bulk_row(
        "huawei-cec: one send, 10,000 destinations",
        bulk(|| {
            let mut b = huawei_cec::SendRequest::builder(huawei_cec::WhatsAppMessage::text(
                "Your order has shipped",
            ));
            for i in 0..10_000u32 {
                b = b.to(format!("+4179{i:07}").parse().map_err(|e| format!("{e}"))?);
            }
            let request = b.build().map_err(|e| e.to_string())?;
            let bytes = serde_json::to_vec(&request).map_err(|e| e.to_string())?;
            Ok((request, bytes.len()))
        })?,
    );

    // The load figures read the heap counter, so they come before the
    // throughput runs, which go without it: the counter is shared by
    // every thread and would tax the path that allocates more.
    let load = rt.block_on(async {
        let client = gateway_ru::Client::builder("YOUR_LOGIN", "YOUR_PASSWORD")
            .base_url(format!("{}/gw/send", server.base))
            .build()
            .map_err(|e| e.to_string())?;
        let request = Arc::new(
            gateway_ru::SendRequest::builder("+79211234567".parse().map_err(|e| format!("{e}"))?, gateway_ru::InstantContent::text("hi"))
                .build()
                .map_err(|e| e.to_string())?,
        );
        let (fds0, mem0) = (open_fds(), alloc_stats::current());
        let started = Instant::now();
        let tasks: Vec<_> = (0..10_000)
            .map(|_| {
                let (c, r) = (client.clone(), request.clone());
                tokio::spawn(async move { c.send(&r).await })
            })
            .collect();
        let mut errors = 0;
        for t in tasks {
            if !matches!(t.await, Ok(Ok(_))) {
                errors += 1;
            }
        }
        let elapsed = started.elapsed();
        let peak_fds = open_fds();
        drop(client);
        // Idle connections close when the client is gone; give the pool's
        // tasks up to 10 s to finish closing them.
        for _ in 0..100 {
            if open_fds() <= fds0 + 2 {
                break;
            }
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
        let (fds1, mem1) = (open_fds(), alloc_stats::current());
        Ok::<_, String>(format!(
            "{errors} errors in {:.2} s; open file descriptors {fds0} before, {peak_fds} with the client's pool open, {fds1} after; heap {:.1} MB before, {:.1} MB after",
            elapsed.as_secs_f64(),
            mem0 as f64 / 1e6,
            mem1 as f64 / 1e6
        ))
    })?;
    println!("{load}");
    alloc_stats::stop_counting();

    let _ = writeln!(md);
    let _ = writeln!(
        md,
        "## Sends through the SDK vs a hand-written request ({SENDS} sends each, in {ROUNDS} interleaved rounds)\n"
    );
    let _ = writeln!(
        md,
        "\"raw + parse\" is the same hand-written call that also parses the answer into a \
         `serde_json::Value`; the SDK decodes it into typed structs instead.\n"
    );
    let _ = writeln!(
        md,
        "What separates the SDK from raw: raw posts bytes encoded once, before the run, and \
         leaves the answer unread beyond its bytes; the SDK encodes each request from its \
         typed form and decodes the typed answer on every send, under a timeout. The smaller \
         the answer, the closer the two: gateway-ru's is 50 bytes, Huawei's 409, Blip's 467, \
         Bird's 664. ActiveTrail's documented answer is a 4 KB campaign object with \
         158 members, and reading it costs more than raw's whole exchange, so its \
         SDK/raw ratio measures that decode, and raw + parse is the fairer comparison.\n"
    );
    let _ = writeln!(
        md,
        "| vendor | concurrency | SDK req/s | raw req/s | SDK/raw | SDK CPU per send | raw CPU per send | raw + parse req/s | SDK/(raw + parse) |"
    );
    let _ = writeln!(md, "|---|---|---|---|---|---|---|---|---|");
    // Each concurrency on its own runtime (see `runtime_for`), with its own
    // clients; the rows are written vendor by vendor.
    let mut rows = Vec::new();
    for concurrency in [1, 64] {
        runtime_for(concurrency)?.block_on(async {
            let vendors = vendors(&server.base).await?;
            for (n, v) in vendors.iter().enumerate() {
                let Comparison {
                    sdk,
                    raw,
                    parsed,
                    vs_raw,
                    vs_parsed,
                } = compare(v, SENDS, concurrency).await?;
                let line = format!(
                    "| {} | {concurrency} | {:.0} | {:.0} | {vs_raw} | {:.1} µs | {:.1} µs | {:.0} | {vs_parsed} |",
                    v.name,
                    sdk.rps(),
                    raw.rps(),
                    sdk.cpu_per_send().as_secs_f64() * 1e6,
                    raw.cpu_per_send().as_secs_f64() * 1e6,
                    parsed.rps(),
                );
                println!("{line}");
                rows.push((n, concurrency, line));
            }
            Ok::<(), String>(())
        })?;
    }
    rows.sort_by_key(|&(n, concurrency, _)| (n, concurrency));
    for (_, _, line) in rows {
        let _ = writeln!(md, "{line}");
    }

    let _ = writeln!(
        md,
        "\n## Load: 10,000 concurrent sends through one client\n"
    );
    let _ = writeln!(md, "{load}.");
    let _ = writeln!(
        md,
        "\nCodec micro-benchmarks (typed decode beside `serde_json::Value` and a bare quick-xml scan) \
         run with `cargo bench`; see each crate's `benches/`."
    );
    let path = crate::root().join("docs/performance.md");
    std::fs::write(&path, md).map_err(|e| e.to_string())?;
    eprintln!("xtask: wrote {}", path.display());
    drop(server);
    Ok(())
}
