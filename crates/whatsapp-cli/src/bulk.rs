//! `whatsapp bulk`: every row of a CSV file, through the router's rate
//! limit, with a report written as it goes so that an interrupted run
//! resumes without sending any row twice.
//!
//! The report (`row,reference,outcome,detail`) gets a `pending` line before
//! each send and the outcome after it. On a resume, a row whose last line
//! is an outcome other than `not_sent` is done; a row left `pending` was
//! interrupted mid-send — the vendor may have it — and is not sent again
//! (its outcome becomes `may_have_been_sent`) unless `--resend-interrupted`
//! says so, with the same reference.

use std::collections::HashMap;
use std::io::{IsTerminal, Write};
use std::num::NonZeroU32;
use std::path::{Path, PathBuf};
use std::time::Duration;

use std::sync::Arc;

use whatsapp_common::{PhoneNumber, SendErrorKind, SendFailure, SendOptions, Template};
use whatsapp_router::limit::{InProcessLimiter, Quota, acquire, presets};
use whatsapp_router::{AttemptOutcome, Route, RouteError, RouteOptions, Router, Sender};

use crate::batch::{Batcher, outcome_of};
use crate::config::{self, Vendor};
use crate::send::{Message, recipient};
use crate::{Failure, vendors};

/// `whatsapp bulk`.
#[derive(Debug, clap::Args)]
pub(crate) struct Args {
    /// The profile in the configuration file.
    #[arg(long, env = "WHATSAPP_PROFILE")]
    pub profile: String,
    /// The recipients: a CSV file with a header row and the columns `to`,
    /// then `text`, or `template`, `language` and `params` (values
    /// separated by `|`); optionally `reference`.
    #[arg(long)]
    pub csv: PathBuf,
    /// The report, written as rows are sent (default: the CSV's name with
    /// `.report.csv`). Run again with the same report to resume.
    #[arg(long)]
    pub report: Option<PathBuf>,
    /// Sends per second (default: the profile's `rate_per_second`, else
    /// the vendor's documented limit where there is one).
    #[arg(long)]
    pub rate: Option<u32>,
    /// Send rows an interrupted run left mid-send again, with the same
    /// reference: only for a vendor that de-duplicates by reference.
    #[arg(long)]
    pub resend_interrupted: bool,
    /// Send every row alone, even where the vendor has a batch call (Bird's
    /// batch for text rows, a Blip batch campaign for rows of one template).
    #[arg(long)]
    pub one_by_one: bool,
}

struct Row {
    number: usize,
    to: String,
    message: Result<Message, String>,
    reference: String,
}

fn read_rows(path: &Path) -> Result<Vec<Row>, Failure> {
    let mut reader = csv::Reader::from_path(path)
        .map_err(|e| Failure::input(format!("--csv {}: {e}", path.display())))?;
    let headers = reader
        .headers()
        .map_err(|e| Failure::input(format!("--csv {}: {e}", path.display())))?
        .clone();
    let column = |name: &str| headers.iter().position(|h| h.trim() == name);
    let Some(to) = column("to") else {
        return Err(Failure::input(format!(
            "--csv {}: no `to` column (the header row names the columns: to, text | template, language, params, reference)",
            path.display()
        )));
    };
    let (text, template, language, params, reference) = (
        column("text"),
        column("template"),
        column("language"),
        column("params"),
        column("reference"),
    );
    let stem = path
        .file_stem()
        .map(|s| s.to_string_lossy().into_owned())
        .unwrap_or_else(|| "bulk".to_owned());
    let mut rows = Vec::new();
    for (i, record) in reader.records().enumerate() {
        let number = i + 1;
        let record = record.map_err(|e| Failure::input(format!("--csv row {number}: {e}")))?;
        let get = |c: Option<usize>| {
            c.and_then(|c| record.get(c))
                .map(str::trim)
                .filter(|v| !v.is_empty())
        };
        let message = match (get(text), get(template), get(language)) {
            (Some(t), None, _) => Ok(Message::Text(t.to_owned())),
            (None, Some(name), Some(lang)) => Template::new(name, lang)
                .map(|t| {
                    let values =
                        get(params).map(|p| p.split('|').map(str::to_owned).collect::<Vec<_>>());
                    Message::Template(t.positional(values.unwrap_or_default()))
                })
                .map_err(|e| e.to_string()),
            _ => Err("give `text`, or `template` and `language`".to_owned()),
        };
        rows.push(Row {
            number,
            to: get(Some(to)).unwrap_or_default().to_owned(),
            message,
            reference: get(reference).map_or_else(|| format!("{stem}-{number}"), str::to_owned),
        });
    }
    Ok(rows)
}

/// The last line written for each row of an earlier run's report.
fn read_report(path: &Path) -> Result<HashMap<usize, String>, Failure> {
    let mut last = HashMap::new();
    if !path.exists() {
        return Ok(last);
    }
    let mut reader = csv::Reader::from_path(path)
        .map_err(|e| Failure::input(format!("report {}: {e}", path.display())))?;
    for record in reader.records() {
        // A line cut off by a kill is ignored: its row stays pending.
        let Ok(record) = record else { continue };
        if let (Some(row), Some(outcome)) =
            (record.get(0).and_then(|r| r.parse().ok()), record.get(2))
        {
            last.insert(row, outcome.to_owned());
        }
    }
    Ok(last)
}

struct Report {
    file: std::fs::File,
}

impl Report {
    fn open(path: &Path) -> Result<Self, Failure> {
        let fresh = !path.exists();
        let mut file = std::fs::OpenOptions::new()
            .create(true)
            .append(true)
            .open(path)
            .map_err(|e| Failure::other(format!("report {}: {e}", path.display())))?;
        if fresh {
            file.write_all(b"row,reference,outcome,detail\n")
                .map_err(|e| Failure::other(format!("report: {e}")))?;
        }
        Ok(Self { file })
    }

    /// Appends a line and flushes it to the disk before the next step.
    fn line(&mut self, row: &Row, outcome: &str, detail: &str) -> Result<(), Failure> {
        let mut w = csv::WriterBuilder::new()
            .has_headers(false)
            .from_writer(Vec::new());
        w.write_record([
            row.number.to_string().as_str(),
            &row.reference,
            outcome,
            detail,
        ])
        .map_err(|e| Failure::other(format!("report: {e}")))?;
        let bytes = w
            .into_inner()
            .map_err(|e| Failure::other(format!("report: {e}")))?;
        self.file
            .write_all(&bytes)
            .and_then(|()| self.file.sync_data())
            .map_err(|e| Failure::other(format!("report: {e}")))
    }
}

fn default_rate(vendor: Vendor) -> Option<Quota> {
    match vendor {
        Vendor::Channels => Some(presets::BIRD_POST),
        // The campaign API is commands; the free plan's budget.
        Vendor::BlipCampaign => Some(presets::BLIP_COMMANDS_FREE),
        // None documented.
        Vendor::GatewayRu | Vendor::HuaweiCec | Vendor::Activetrail => None,
    }
}

/// Where the progress goes: a bar on a terminal, lines otherwise.
enum Progress {
    Bar(indicatif::ProgressBar),
    Lines { total: usize },
}

impl Progress {
    fn new(total: usize) -> Self {
        if std::io::stderr().is_terminal() {
            let bar = indicatif::ProgressBar::new(total as u64);
            if let Ok(style) = indicatif::ProgressStyle::with_template(
                "{bar:40.green/white} {pos}/{len} rows {msg}",
            ) {
                bar.set_style(style.progress_chars("##-"));
            }
            Self::Bar(bar)
        } else {
            Self::Lines { total }
        }
    }

    fn row(&self, row: &Row, outcome: &str) {
        match self {
            Self::Bar(bar) => {
                bar.set_message(format!("row {}: {outcome}", row.number));
                bar.inc(1);
            }
            Self::Lines { total } => {
                eprintln!("row {}/{total}: {} {outcome}", row.number, row.reference)
            }
        }
    }

    fn done(&self) {
        if let Self::Bar(bar) = self {
            bar.finish();
        }
    }
}

pub(crate) async fn run(config: &Path, args: Args) -> Result<(), Failure> {
    let p = config::load(config, &args.profile)?;
    let rows = read_rows(&args.csv)?;
    let report_path = args
        .report
        .clone()
        .unwrap_or_else(|| args.csv.with_extension("report.csv"));
    let earlier = read_report(&report_path)?;
    let report = Report::open(&report_path)?;

    let quota = match args.rate.or(p.profile.rate_per_second) {
        Some(n) => Some(Quota::per_second(
            NonZeroU32::new(n).ok_or_else(|| Failure::input("--rate: give at least 1"))?,
        )),
        None => default_rate(p.vendor),
    };
    let url = vendors::base_url(&p)?;
    let client = vendors::build(&p, &url, whatsapp_common::RetryPolicy::default())?;
    let flow = p.profile.flow_id.clone().zip(p.profile.state_id.clone());
    let batcher = if args.one_by_one {
        None
    } else {
        Batcher::of(&client, flow)
    };
    // Single sends and batches share one budget.
    let limiter = Arc::new(InProcessLimiter::new());
    let mut sender = Sender::shared(p.name.clone(), client.sender());
    if let Some(q) = quota {
        sender = sender.rate_limit(q);
    }
    let router = Router::builder()
        .sender(sender)
        .fallback(Route::new("bulk").to(p.name.clone()))
        .rate_limiter(limiter.clone())
        // The report is this run's ledger.
        .without_ledger()
        .max_wait(MAX_WAIT)
        .build()
        .map_err(|e| Failure::other(e.to_string()))?;

    let mut run = Run {
        router,
        batcher,
        limiter,
        quota,
        name: p.name.clone(),
        report,
        progress: Progress::new(rows.len()),
        counts: HashMap::new(),
        group: Vec::new(),
        group_key: None,
    };
    for row in &rows {
        match earlier.get(&row.number).map(String::as_str) {
            Some("pending") if !args.resend_interrupted => {
                run.report.line(
                    row,
                    "may_have_been_sent",
                    "interrupted mid-send; not sent again",
                )?;
                run.done(row, "may_have_been_sent");
                continue;
            }
            Some(done) if done != "pending" && done != "not_sent" => {
                run.progress.row(row, "done before");
                *run.counts.entry("done before").or_default() += 1;
                continue;
            }
            _ => {}
        }
        let to = match (&row.message, recipient(&row.to)) {
            (Err(why), _) => {
                run.report.line(row, "invalid", why)?;
                run.done(row, "invalid");
                continue;
            }
            (_, Err(f)) => {
                run.report.line(row, "invalid", &f.message)?;
                run.done(row, "invalid");
                continue;
            }
            (Ok(_), Ok(to)) => to,
        };
        run.send(row, to).await?;
    }
    run.flush().await?;
    run.progress.done();
    let counts = run.counts;
    let mut summary: Vec<String> = counts.iter().map(|(k, v)| format!("{k}: {v}")).collect();
    summary.sort();
    println!(
        "bulk: {} row(s); {}; report {}",
        rows.len(),
        summary.join(", "),
        report_path.display()
    );
    let worst = ["may_have_been_sent", "refused", "not_sent", "invalid"]
        .into_iter()
        .find(|o| counts.contains_key(o));
    match worst {
        None => Ok(()),
        Some(o) => Err(Failure {
            code: match o {
                "may_have_been_sent" => Failure::MAY_HAVE_BEEN_SENT,
                "refused" => Failure::REFUSED,
                "not_sent" => Failure::NOT_SENT,
                _ => Failure::INPUT,
            },
            message: format!(
                "some rows were not accepted (see {})",
                report_path.display()
            ),
        }),
    }
}

/// How long a send waits for a rate-limit permit.
const MAX_WAIT: Duration = Duration::from_secs(300);

/// One bulk run's state: the rows waiting to go out in one batch.
struct Run<'a> {
    router: Router,
    batcher: Option<Batcher>,
    limiter: Arc<InProcessLimiter>,
    quota: Option<Quota>,
    name: String,
    report: Report,
    progress: Progress,
    counts: HashMap<&'static str, usize>,
    group: Vec<(&'a Row, PhoneNumber, Message)>,
    group_key: Option<String>,
}

impl<'a> Run<'a> {
    fn done(&mut self, row: &Row, outcome: &'static str) {
        self.progress.row(row, outcome);
        *self.counts.entry(outcome).or_default() += 1;
    }

    /// Sends `row` (its message is valid): into the batch being gathered
    /// when it fits one, else alone.
    async fn send(&mut self, row: &'a Row, to: PhoneNumber) -> Result<(), Failure> {
        let Ok(message) = &row.message else {
            return Ok(());
        };
        let key = self.batcher.as_ref().and_then(|b| b.key(message));
        if let (Some(key), Some(max)) = (key, self.batcher.as_ref().map(Batcher::max)) {
            if self.group_key.as_ref() != Some(&key) || self.group.len() >= max {
                self.flush().await?;
            }
            self.group_key = Some(key);
            self.group.push((row, to, message.clone()));
            return Ok(());
        }
        self.flush().await?;
        let outcome = send_row(&self.router, row, &to, message, &mut self.report).await?;
        self.done(row, outcome);
        Ok(())
    }

    /// Sends the batch gathered so far, if any.
    async fn flush(&mut self) -> Result<(), Failure> {
        let group = std::mem::take(&mut self.group);
        self.group_key = None;
        let Some(batcher) = self.batcher.clone() else {
            return Ok(());
        };
        if group.is_empty() {
            return Ok(());
        }
        if let Some(quota) = self.quota {
            let deadline = tokio::time::Instant::now() + MAX_WAIT;
            if !acquire(&*self.limiter, &self.name, quota, deadline)
                .await
                .unwrap_or(false)
            {
                for (row, _, _) in &group {
                    self.report
                        .line(row, "not_sent", "no rate-limit permit in time")?;
                    self.done(row, "not_sent");
                }
                return Ok(());
            }
        }
        for (row, _, _) in &group {
            self.report.line(row, "pending", "")?;
        }
        let batch: Vec<(PhoneNumber, Message, String)> = group
            .iter()
            .map(|(row, to, m)| (to.clone(), m.clone(), row.reference.clone()))
            .collect();
        let outcomes = batcher.send(&batch).await;
        if group.len() > 1 && outcomes.iter().all(|(o, _)| *o == "invalid") {
            // Refused before anything was sent, for one row or another:
            // each row alone says which.
            for (row, to, message) in &group {
                let outcome = send_row(&self.router, row, to, message, &mut self.report).await?;
                self.done(row, outcome);
            }
            return Ok(());
        }
        for ((row, _, _), (outcome, detail)) in group.iter().zip(outcomes) {
            self.report.line(row, outcome, &detail)?;
            self.done(row, outcome);
        }
        Ok(())
    }
}

async fn send_row(
    router: &Router,
    row: &Row,
    to: &PhoneNumber,
    message: &Message,
    report: &mut Report,
) -> Result<&'static str, Failure> {
    report.line(row, "pending", "")?;
    let options = RouteOptions::from(&SendOptions::new().client_reference(row.reference.clone()));
    let result = match message {
        Message::Text(text) => router.send_text(to, text, &options).await,
        Message::Template(t) => router.send_template(to, t, &options).await,
    };
    let (outcome, detail) = match result {
        Ok(routed) => (
            "accepted",
            routed.receipt.vendor_message_id.unwrap_or_default(),
        ),
        Err(e) => {
            let invalid = |a: &whatsapp_router::Attempt| {
                matches!(
                    a.outcome,
                    AttemptOutcome::Failed {
                        kind: SendErrorKind::InvalidInput | SendErrorKind::Unsupported,
                        ..
                    }
                )
            };
            let outcome = match &e {
                RouteError::Failed { error, .. } => outcome_of(error),
                RouteError::NotSent { attempts, .. }
                    if !attempts.is_empty() && attempts.iter().all(invalid) =>
                {
                    "invalid"
                }
                _ => match e.failure() {
                    SendFailure::NotProcessed => "not_sent",
                    SendFailure::Refused => "refused",
                    _ => "may_have_been_sent",
                },
            };
            (outcome, e.to_string())
        }
    };
    report.line(row, outcome, &detail)?;
    Ok(outcome)
}
