//! The `whatsapp` binary driven as a user drives it, against the mock
//! vendors on 127.0.0.1.

use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};
use std::time::{Duration, Instant};

use gateway_ru::ErrorCode;
use gateway_ru::mock::MockGateway;
use whatsapp_common::mock::{MockVendor, ResponseTemplate, fixture, fixture_json};

const BIN: &str = env!("CARGO_BIN_EXE_whatsapp");

/// A fresh directory for one test.
fn dir(test: &str) -> PathBuf {
    let d = std::env::temp_dir().join(format!("whatsapp-cli-{}-{test}", std::process::id()));
    let _ = std::fs::remove_dir_all(&d);
    std::fs::create_dir_all(&d).expect("a temp dir");
    d
}

fn whatsapp(dir: &Path, args: &[&str]) -> Command {
    let mut c = Command::new(BIN);
    c.current_dir(dir)
        .args(args)
        .env_remove("WHATSAPP_CONFIG")
        .env_remove("WHATSAPP_PROFILE")
        .env("GATEWAY_PASSWORD", "YOUR_PASSWORD");
    c
}

fn run(dir: &Path, args: &[&str]) -> Output {
    whatsapp(dir, args).output().expect("the binary runs")
}

/// `whatsapp send --profile ru --to TO --text TEXT REST…`.
fn send_ru(dir: &Path, to: &str, message: &str, rest: &[&str]) -> Output {
    let mut args = vec!["send", "--profile", "ru", "--to", to, "--text", message];
    args.extend_from_slice(rest);
    run(dir, &args)
}

fn text(o: &[u8]) -> String {
    String::from_utf8_lossy(o).into_owned()
}

/// A configuration with a gateway profile `ru` for `mock`.
fn gateway_config(dir: &Path, mock: &MockGateway, extra: &str) {
    std::fs::write(
        dir.join("whatsapp.toml"),
        format!(
            "[profiles.ru]\nvendor = \"gateway-ru\"\nbase_url = \"{}\"\nlogin = \"YOUR_LOGIN\"\nsecret_env = \"GATEWAY_PASSWORD\"\nservice_number = \"SHOP\"\n{extra}",
            mock.uri()
        ),
    )
    .expect("written");
}

/// A mock gateway with the documentation's credentials, configured in `d`
/// as profile `ru`.
async fn gateway_in(d: &Path) -> MockGateway {
    let mock = MockGateway::start_with_credentials("YOUR_LOGIN", "YOUR_PASSWORD").await;
    gateway_config(d, &mock, "");
    mock
}

async fn sends(mock: &MockGateway) -> Vec<serde_json::Value> {
    mock.requests()
        .await
        .iter()
        .filter(|r| r.method == "POST")
        .filter_map(|r| r.json().ok())
        .collect()
}

#[tokio::test(flavor = "multi_thread")]
async fn send_prints_the_receipt_and_json_on_request() {
    let d = dir("send");
    let mock = gateway_in(&d).await;
    let o = send_ru(&d, "+7 921 123-45-67", "Hello", &["--reference", "r-1"]);
    assert_eq!(o.status.code(), Some(0), "{}", text(&o.stderr));
    assert_eq!(
        text(&o.stdout),
        "accepted by gateway-ru: vendor id 107930572, reference r-1\n"
    );
    let o = send_ru(&d, "+79211234567", "Hi", &["--reference", "r-2", "--json"]);
    let out: serde_json::Value = serde_json::from_slice(&o.stdout).expect("JSON");
    assert_eq!(
        out,
        serde_json::json!({"status": "accepted", "vendor": "gateway-ru", "vendor_message_id": "107930572", "reference": "r-2", "already_accepted": false})
    );
    let sent = sends(&mock).await;
    assert_eq!(sent.len(), 2);
    assert_eq!(
        (sent[0]["id"].as_str(), sent[0]["destAddr"].as_str()),
        (Some("r-1"), Some("79211234567"))
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn exit_codes_tell_the_error_classes_apart() {
    let d = dir("exit-codes");
    let mock = gateway_in(&d).await;
    let send = |reference: &str| send_ru(&d, "+79211234567", "Hi", &["--reference", reference]);
    // Invalid input: nothing sent.
    let o = send_ru(&d, "not a number", "Hi", &[]);
    assert_eq!(o.status.code(), Some(2), "{}", text(&o.stderr));
    assert!(text(&o.stderr).contains("--to not a number"));
    assert!(sends(&mock).await.is_empty(), "nothing was sent");
    // Refused: code 8, an invalid address.
    mock.fail_next(ErrorCode::InvalidDestAddr, 1).await;
    assert_eq!(send("r-3").status.code(), Some(3));
    // May have been sent: a 503 after the request left.
    mock.respond_next(ResponseTemplate::new(503), 1).await;
    let o = send("r-4");
    assert_eq!(o.status.code(), Some(4));
    assert!(
        text(&o.stderr).contains("reference r-4"),
        "{}",
        text(&o.stderr)
    );
    // Not sent: code 3 (too many connections) on every attempt.
    mock.fail_next(ErrorCode::TooManyConnections, 10).await;
    assert_eq!(send("r-5").status.code(), Some(5));
    assert_eq!(
        sends(&mock).await.len(),
        2 + 3,
        "one send each, three attempts for r-5"
    );
    // The help says so.
    let help = text(&run(&d, &["send", "--help"]).stdout);
    assert!(
        help.contains("4  transport failure after the request may have reached the vendor"),
        "{help}"
    );
}

#[test]
fn secrets_on_the_command_line_and_in_the_file_are_refused() {
    let d = dir("secrets");
    let o = send_ru(&d, "+79211234567", "Hi", &["--password", "hunter2"]);
    assert_eq!(o.status.code(), Some(2));
    let err = text(&o.stderr);
    assert!(
        err.contains("--password is refused") && err.contains("secret_env"),
        "{err}"
    );
    assert!(!err.contains("hunter2"));
    std::fs::write(
        d.join("whatsapp.toml"),
        "[profiles.ru]\nvendor = \"gateway-ru\"\nbase_url = \"https://x\"\nlogin = \"l\"\npassword = \"hunter2\"\n",
    )
    .expect("written");
    let o = run(&d, &["check", "--profile", "ru"]);
    assert_eq!(o.status.code(), Some(2));
    let err = text(&o.stderr);
    assert!(err.contains("`password` holds a secret"), "{err}");
    assert!(
        !err.contains("hunter2") && !err.contains("panicked"),
        "{err}"
    );
    // No configuration at all: a message, not a backtrace.
    let o = run(
        &d,
        &["--config", "missing.toml", "check", "--profile", "ru"],
    );
    assert_eq!(o.status.code(), Some(2));
    assert!(text(&o.stderr).contains("cannot read the configuration file missing.toml"));
}

#[test]
fn a_dry_run_prints_the_body_the_contract_tests_use_and_sends_nothing() {
    let d = dir("dry-run");
    std::fs::write(
        d.join("whatsapp.toml"),
        "[profiles.hw]\nvendor = \"huawei-cec\"\nbase_url = \"https://service.besclouds.com\"\napp_key = \"268e19b9-aae6-488a-bec6-5c9a67692946\"\nsecret_env = \"HW_SECRET\"\n",
    )
    .expect("written");
    let reference = "46dbab11-f9cc-4d32-852b-cbba988b7d08";
    let o = whatsapp(
        &d,
        &[
            "send",
            "--profile",
            "hw",
            "--to",
            "+15512348467",
            "--template",
            "1",
            "--language",
            "zh_CN",
            "--reference",
            reference,
            "--dry-run",
            "--json",
        ],
    )
    .env("HW_SECRET", "the-app-secret")
    .output()
    .expect("runs");
    assert_eq!(o.status.code(), Some(0), "{}", text(&o.stderr));
    let out = text(&o.stdout);
    assert!(!out.contains("the-app-secret"), "{out}");
    let printed: serde_json::Value = serde_json::from_str(&out).expect("JSON");
    let requests = printed["requests"].as_array().expect("requests");
    let send = requests
        .iter()
        .find(|r| {
            r["url"] == "https://service.besclouds.com/apiaccess/rest/ccmessaging/omni/1/advanced"
        })
        .expect("the send");
    assert_eq!(send["method"], "POST");
    let body: serde_json::Value =
        serde_json::from_str(send["body"].as_str().expect("a body")).expect("JSON");
    // The contract test's fixture, with the number it sends in place of
    // the page's masked one; the neutral sender uses the reference as the
    // bulk id too.
    let mut expected = fixture_json("huawei-cec", "send_template_request.json");
    expected["destinations"][0]["to"]["phoneNumber"] = serde_json::json!("15512348467");
    expected["bulkId"] = serde_json::json!(reference);
    assert_eq!(body, expected);
    let headers = send["headers"].as_array().expect("headers");
    assert!(
        headers.contains(&serde_json::json!(["authorization", "Bearer ***"])),
        "{headers:?}"
    );
    assert!(headers.contains(&serde_json::json!([
        "x-app-key",
        "268e19b9-aae6-488a-bec6-5c9a67692946"
    ])));
    let token = &requests[0];
    assert_eq!(
        token["url"],
        "https://service.besclouds.com/apigovernance/api/oauth/tokenByAkSk"
    );
    assert!(
        token["body"]
            .as_str()
            .is_some_and(|b| b.contains("\"app_secret\":\"***\""))
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn check_fetches_a_token_where_the_vendor_allows_and_says_what_it_could_not_check() {
    let d = dir("check");
    let cec = huawei_cec::mock::MockCec::start_with_credentials("app", "right-secret").await;
    std::fs::write(
        d.join("whatsapp.toml"),
        format!("[profiles.hw]\nvendor = \"huawei-cec\"\nbase_url = \"{}\"\napp_key = \"app\"\nsecret_env = \"HW_SECRET\"\n", cec.uri()),
    )
    .expect("written");
    let check = |secret: &str| {
        whatsapp(&d, &["check", "--profile", "hw"])
            .env("HW_SECRET", secret)
            .output()
            .expect("runs")
    };
    let o = check("right-secret");
    assert_eq!(o.status.code(), Some(0), "{}", text(&o.stderr));
    assert!(text(&o.stdout).contains("credentials accepted: CEC issued a token"));
    let o = check("wrong-secret");
    assert_eq!(o.status.code(), Some(3), "{}", text(&o.stderr));
    assert!(!text(&o.stderr).contains("wrong-secret"));

    let gw = MockGateway::start().await;
    gateway_config(&d, &gw, "");
    let o = run(&d, &["check", "--profile", "ru"]);
    assert_eq!(o.status.code(), Some(0));
    assert!(text(&o.stdout).contains("credentials NOT checked"));
    assert!(gw.requests().await.is_empty(), "nothing was sent");
}

fn write_rows(d: &Path, n: usize) -> PathBuf {
    let mut csv = String::from("to,text,reference\n");
    for i in 1..=n {
        csv.push_str(&format!("+7921123{i:04},Hello {i},row-{i}\n"));
    }
    let path = d.join("rows.csv");
    std::fs::write(&path, csv).expect("written");
    path
}

fn report_lines(d: &Path) -> Vec<String> {
    std::fs::read_to_string(d.join("rows.report.csv"))
        .unwrap_or_default()
        .lines()
        .map(str::to_owned)
        .collect()
}

#[tokio::test(flavor = "multi_thread")]
async fn a_bulk_run_killed_halfway_resumes_without_sending_a_row_twice() {
    let d = dir("bulk");
    let mock = gateway_in(&d).await;
    write_rows(&d, 10);
    let mut child = whatsapp(
        &d,
        &[
            "bulk",
            "--profile",
            "ru",
            "--csv",
            "rows.csv",
            "--rate",
            "4",
        ],
    )
    .stdout(Stdio::null())
    .stderr(Stdio::piped())
    .spawn()
    .expect("starts");
    let start = Instant::now();
    while report_lines(&d)
        .iter()
        .filter(|l| l.contains(",accepted,"))
        .count()
        < 3
    {
        assert!(start.elapsed() < Duration::from_secs(30), "no progress");
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    child.kill().expect("killed");
    let _ = child.wait();
    let first_run = sends(&mock).await.len();
    assert!(
        (3..10).contains(&first_run),
        "{first_run} sent before the kill"
    );

    let o = run(
        &d,
        &[
            "bulk",
            "--profile",
            "ru",
            "--csv",
            "rows.csv",
            "--rate",
            "50",
        ],
    );
    let stderr = text(&o.stderr);
    // Not a terminal: plain progress lines.
    assert!(stderr.contains("row 1/10: row-1 done before"), "{stderr}");
    let sent = sends(&mock).await;
    let mut ids: Vec<&str> = sent.iter().filter_map(|s| s["id"].as_str()).collect();
    ids.sort_unstable();
    let before = ids.len();
    ids.dedup();
    assert_eq!(ids.len(), before, "a row was sent twice: {ids:?}");
    // Every row has a final outcome; one cut off mid-send (if any) is
    // reported, not resent.
    let lines = report_lines(&d);
    for i in 1..=10 {
        let last = lines
            .iter()
            .rev()
            .find(|l| l.starts_with(&format!("{i},")))
            .unwrap_or_else(|| panic!("row {i} is not in the report: {lines:?}"));
        assert!(
            last.contains(",accepted,") || last.contains(",may_have_been_sent,"),
            "row {i}: {last}"
        );
    }
    let interrupted = lines
        .iter()
        .filter(|l| l.contains("interrupted mid-send"))
        .count();
    // At most one row can be cut off mid-send; it reached the mock or not.
    assert!(interrupted <= 1, "{lines:?}");
    assert!(
        (10 - interrupted..=10).contains(&sent.len()),
        "{} sent",
        sent.len()
    );
    // A third run sends nothing more.
    let o = run(&d, &["bulk", "--profile", "ru", "--csv", "rows.csv"]);
    assert!(
        text(&o.stdout).contains("done before: 10"),
        "{}",
        text(&o.stdout)
    );
    assert_eq!(sends(&mock).await.len(), sent.len());
}

#[tokio::test(flavor = "multi_thread")]
async fn listen_prints_each_verified_event_and_refuses_a_forged_one() {
    let d = dir("listen");
    let mock = MockGateway::start().await;
    gateway_config(&d, &mock, "webhook_secret_env = \"HOOK_SECRET\"\n");
    let port = {
        let l = std::net::TcpListener::bind("127.0.0.1:0").expect("a free port");
        l.local_addr().expect("an address").port()
    };
    let mut child = whatsapp(
        &d,
        &["listen", "--profile", "ru", "--port", &port.to_string()],
    )
    .env("HOOK_SECRET", "s3cret")
    .stdout(Stdio::piped())
    .stderr(Stdio::null())
    .spawn()
    .expect("starts");
    let http = reqwest::Client::new();
    let body = fixture("gateway-ru", "delivery_status_callback.json");
    let post = |token: &'static str| {
        http.post(format!("http://127.0.0.1:{port}/?token={token}"))
            .header("content-type", "application/json")
            .body(body.clone())
            .send()
    };
    let start = Instant::now();
    let forged = loop {
        match post("wrong").await {
            Ok(r) => break r.status().as_u16(),
            Err(_) if start.elapsed() < Duration::from_secs(20) => {
                tokio::time::sleep(Duration::from_millis(50)).await;
            }
            Err(e) => panic!("the receiver never listened: {e}"),
        }
    };
    assert_eq!(forged, 401);
    let ok = post("s3cret").await.expect("answered").status().as_u16();
    assert_eq!(ok, 200);
    child.kill().expect("killed");
    let out = child.wait_with_output().expect("output");
    let printed = text(&out.stdout);
    let lines: Vec<&str> = printed.lines().collect();
    assert_eq!(lines.len(), 1, "one verified event: {printed}");
    assert!(lines[0].starts_with("delivery gateway-ru "), "{printed}");
}

#[tokio::test(flavor = "multi_thread")]
async fn mock_prints_its_url_and_a_profile_that_send_uses() {
    let d = dir("mock");
    let mut child = whatsapp(&d, &["mock", "--vendor", "channels"])
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .expect("starts");
    let mut first = String::new();
    {
        use std::io::BufRead;
        let stdout = child.stdout.as_mut().expect("piped");
        std::io::BufReader::new(stdout)
            .read_line(&mut first)
            .expect("a line");
    }
    assert!(
        first.starts_with("channels mock listening at http://127.0.0.1:"),
        "{first}"
    );
    let o = run(
        &d,
        &[
            "--config",
            "whatsapp-mock.toml",
            "send",
            "--profile",
            "mock",
            "--to",
            "+31612345678",
            "--text",
            "Hello",
        ],
    );
    assert_eq!(o.status.code(), Some(0), "{}", text(&o.stderr));
    assert!(text(&o.stdout).starts_with("accepted by channels: vendor id "));
    child.kill().expect("killed");
    let _ = child.wait();
}

/// The progress bar, in a real terminal (tmux).
#[tokio::test(flavor = "multi_thread")]
async fn bulk_shows_a_progress_bar_in_a_terminal() {
    if Command::new("tmux").arg("-V").output().is_err() {
        assert!(
            std::env::var_os("CI").is_none(),
            "CI must install tmux (.ci/run does)"
        );
        eprintln!("SKIPPED: tmux is not installed");
        return;
    }
    let d = dir("tty");
    let mock = gateway_in(&d).await;
    write_rows(&d, 6);
    let session = format!("whatsapp-cli-{}", std::process::id());
    let script = format!(
        "cd {} && GATEWAY_PASSWORD=YOUR_PASSWORD {BIN} bulk --profile ru --csv rows.csv --rate 20; echo EXIT=$?; sleep 60",
        d.display()
    );
    let started = Command::new("tmux")
        .args([
            "new-session",
            "-d",
            "-x",
            "120",
            "-y",
            "20",
            "-s",
            &session,
            &script,
        ])
        .status()
        .expect("tmux runs");
    assert!(started.success());
    let start = Instant::now();
    let screen = loop {
        let out = Command::new("tmux")
            .args(["capture-pane", "-p", "-t", &session])
            .output()
            .expect("captured");
        let screen = text(&out.stdout);
        if screen.contains("EXIT=") || start.elapsed() > Duration::from_secs(30) {
            break screen;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    };
    let _ = Command::new("tmux")
        .args(["kill-session", "-t", &session])
        .status();
    assert!(screen.contains("EXIT=0"), "{screen}");
    assert!(screen.contains("6/6 rows"), "no progress bar: {screen}");
    assert!(screen.contains("######"), "no bar: {screen}");
    assert!(
        !screen.contains("row 1/6:"),
        "plain lines on a terminal: {screen}"
    );
    assert_eq!(sends(&mock).await.len(), 6);
}

// Bird's own schemas check every body the CLI's Bird sends carry.
#[path = "../../channels/tests/support/mod.rs"]
mod bird_support;

#[tokio::test(flavor = "multi_thread")]
async fn bulk_uses_birds_batch_for_text_rows() {
    let d = dir("bird-batch");
    let bird = bird_support::bird_with_key("bird-key").await;
    std::fs::write(
        d.join("whatsapp.toml"),
        format!(
            "[profiles.bird]\nvendor = \"channels\"\nbase_url = \"{}\"\nworkspace_id = \"{}\"\nchannel_id = \"{}\"\nsecret_env = \"BIRD_KEY\"\n",
            bird.uri(),
            channels::mock::WORKSPACE_ID,
            channels::mock::CHANNEL_ID
        ),
    )
    .expect("written");
    let mut csv = String::from("to,text\n");
    for i in 1..=150 {
        csv.push_str(&format!("+3161234{i:04},Update {i}\n"));
    }
    std::fs::write(d.join("rows.csv"), csv).expect("written");
    let o = whatsapp(&d, &["bulk", "--profile", "bird", "--csv", "rows.csv"])
        .env("BIRD_KEY", "bird-key")
        .output()
        .expect("runs");
    assert_eq!(o.status.code(), Some(0), "{}", text(&o.stderr));
    assert!(
        text(&o.stdout).contains("accepted: 150"),
        "{}",
        text(&o.stdout)
    );
    let posts: Vec<_> = bird
        .requests()
        .await
        .into_iter()
        .filter(|r| r.method == "POST")
        .collect();
    assert_eq!(posts.len(), 2, "two batch requests: 100 and 50");
    let sizes: Vec<usize> = posts
        .iter()
        .map(|r| {
            r.json().expect("JSON")["messageRequests"]
                .as_array()
                .map_or(0, Vec::len)
        })
        .collect();
    assert_eq!(sizes, [100, 50]);
    let first = &posts[0].json().expect("JSON")["messageRequests"][0];
    assert_eq!(first["reference"], "rows-1");
    let lines = report_lines(&d);
    assert!(
        lines
            .iter()
            .any(|l| l.starts_with("150,rows-150,accepted,batch ")),
        "{lines:?}"
    );
    // Resumed: nothing more goes out.
    let o = whatsapp(&d, &["bulk", "--profile", "bird", "--csv", "rows.csv"])
        .env("BIRD_KEY", "bird-key")
        .output()
        .expect("runs");
    assert!(text(&o.stdout).contains("done before: 150"));
    assert_eq!(
        bird.requests()
            .await
            .iter()
            .filter(|r| r.method == "POST")
            .count(),
        2
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn bulk_sends_rows_of_one_template_as_one_blip_batch_campaign() {
    let d = dir("blip-batch");
    let blip = blip_campaign::mock::MockBlip::start().await;
    std::fs::write(
        d.join("whatsapp.toml"),
        format!("[profiles.blip]\nvendor = \"blip-campaign\"\nbase_url = \"{}\"\nsecret_env = \"BLIP_KEY\"\n", blip.uri()),
    )
    .expect("written");
    std::fs::write(
        d.join("rows.csv"),
        "to,template,language,params\n+5531999990001,order_shipped,pt_BR,Ana|1042\n+5531999990002,order_shipped,pt_BR,Rui|1043\n+5531999990003,order_shipped,pt_BR,Eva|1044\n",
    )
    .expect("written");
    let o = whatsapp(&d, &["bulk", "--profile", "blip", "--csv", "rows.csv"])
        .env("BLIP_KEY", "Key dGVzdDp0ZXN0")
        .output()
        .expect("runs");
    assert_eq!(o.status.code(), Some(0), "{}", text(&o.stderr));
    let commands: Vec<serde_json::Value> = blip
        .requests()
        .await
        .iter()
        .filter(|r| r.method == "POST")
        .filter_map(|r| r.json().ok())
        .collect();
    assert_eq!(commands.len(), 1, "one campaign: {commands:?}");
    let c = &commands[0];
    assert_eq!(c["id"], "rows-1..rows-3");
    assert_eq!(c["uri"], "/campaign/full");
    let audiences = c["resource"]["audiences"]
        .as_array()
        .expect("a batch campaign");
    assert_eq!(audiences.len(), 3);
    assert_eq!(audiences[1]["recipient"], "+5531999990002");
    assert_eq!(audiences[1]["messageParams"]["2"], "1043");
    assert_eq!(c["resource"]["message"]["messageTemplate"], "order_shipped");
}

#[tokio::test(flavor = "multi_thread")]
async fn listen_verifies_birds_signature_over_the_profiles_public_url() {
    let d = dir("listen-bird");
    let config = |public_url: &str| {
        std::fs::write(
            d.join("whatsapp.toml"),
            format!(
                "[profiles.bird]\nvendor = \"channels\"\nworkspace_id = \"w\"\nchannel_id = \"c\"\nsecret_env = \"BIRD_KEY\"\nwebhook_secret_env = \"BIRD_SIGNING_KEY\"\n{public_url}"
            ),
        )
        .expect("written");
    };
    let port = {
        let l = std::net::TcpListener::bind("127.0.0.1:0").expect("a free port");
        l.local_addr().expect("an address").port()
    };
    let port_arg = port.to_string();
    let listen = || {
        let mut c = whatsapp(&d, &["listen", "--profile", "bird", "--port", &port_arg]);
        c.env("BIRD_KEY", "k")
            .env("BIRD_SIGNING_KEY", "the-signing-key");
        c
    };
    // Without the URL Bird signs, nothing could verify: refused up front.
    config("");
    let o = listen().output().expect("runs");
    assert_eq!(o.status.code(), Some(2));
    assert!(
        text(&o.stderr).contains("set `public_url"),
        "{}",
        text(&o.stderr)
    );

    let public_url = "https://hooks.example.com/bird";
    config(&format!("public_url = \"{public_url}\"\n"));
    let mut child = listen()
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .expect("starts");
    let body = fixture("channels", "webhook/constructed_outbound_delivered.json");
    let timestamp = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .expect("after 1970")
        .as_secs()
        .to_string();
    let signature = channels::webhook::BirdIntake::new("the-signing-key").sign(
        &timestamp,
        public_url,
        body.as_bytes(),
    );
    let http = reqwest::Client::new();
    let post = |signature: String| {
        http.post(format!("http://127.0.0.1:{port}/bird"))
            .header("content-type", "application/json")
            .header("messagebird-signature", signature)
            .header("messagebird-request-timestamp", timestamp.clone())
            .header("messagebird-request-id", "delivery-1")
            .body(body.clone())
            .send()
    };
    let start = Instant::now();
    let forged = loop {
        match post("AAAA".to_owned()).await {
            Ok(r) => break r.status().as_u16(),
            Err(_) if start.elapsed() < Duration::from_secs(20) => {
                tokio::time::sleep(Duration::from_millis(50)).await;
            }
            Err(e) => panic!("the receiver never listened: {e}"),
        }
    };
    assert_eq!(forged, 401);
    assert_eq!(
        post(signature).await.expect("answered").status().as_u16(),
        200
    );
    child.kill().expect("killed");
    let out = child.wait_with_output().expect("output");
    let printed = text(&out.stdout);
    assert_eq!(printed.lines().count(), 1, "{printed}");
    assert!(printed.starts_with("delivery channels "), "{printed}");
}

#[test]
fn a_dry_run_redacts_a_secret_as_json_escapes_it() {
    let d = dir("dry-run-escaped");
    std::fs::write(
        d.join("whatsapp.toml"),
        "[profiles.ru]\nvendor = \"gateway-ru\"\nbase_url = \"https://gateway.example/partner/send\"\nlogin = \"l\"\nsecret_env = \"ODD_PASSWORD\"\n",
    )
    .expect("written");
    let o = whatsapp(
        &d,
        &[
            "send",
            "--profile",
            "ru",
            "--to",
            "+79211234567",
            "--text",
            "Hi",
            "--dry-run",
        ],
    )
    .env("ODD_PASSWORD", "pa\"ss\\word")
    .output()
    .expect("runs");
    assert_eq!(o.status.code(), Some(0), "{}", text(&o.stderr));
    let out = text(&o.stdout);
    assert!(out.contains("\"password\":\"***\""), "{out}");
    assert!(
        !out.contains("ss\\\\word") && !out.contains("ss\\word"),
        "{out}"
    );
}
