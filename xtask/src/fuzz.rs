//! `cargo xtask fuzz`: builds the cargo-fuzz targets in `fuzz/` and runs
//! them for a bounded time, seeded with the documented samples.
//!
//! The targets are libFuzzer binaries built by `cargo fuzz` (installed here
//! when missing). With a nightly toolchain they are built with
//! AddressSanitizer; with only a stable one they are built without a
//! sanitizer, which still finds panics, failed assertions and hangs.

use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::Instant;

use crate::{Result, cargo, root, run};

/// A fuzz target, the fixtures that seed its corpus, and what it covers.
struct Target {
    name: &'static str,
    /// `(folder under fixtures/, file extension)` pairs.
    seeds: &'static [(&'static str, &'static str)],
    /// Seeds written here, for targets whose input is not a document.
    literal_seeds: &'static [&'static str],
    about: &'static str,
}

const TARGETS: &[Target] = &[
    Target {
        name: "gateway_decode",
        seeds: &[("gateway-ru", "json")],
        literal_seeds: &[],
        about: "gateway-ru send answer, delivery-status and inbound callbacks, raw-body capture",
    },
    Target {
        name: "huawei_decode",
        seeds: &[("huawei-cec", "json")],
        literal_seeds: &[],
        about: "huawei-cec token and send answers, OMNI error detail",
    },
    Target {
        name: "activetrail_xml",
        seeds: &[("activetrail", "xml")],
        literal_seeds: &[],
        about: "activetrail DataContract XML reader, both documents, response write-back",
    },
    Target {
        name: "activetrail_json",
        seeds: &[("activetrail", "json")],
        literal_seeds: &[],
        about: "activetrail JSON response and request documents",
    },
    Target {
        name: "activetrail_round_trip",
        seeds: &[],
        literal_seeds: &[],
        about: "activetrail messages from any caller strings: XML and JSON read back as built",
    },
    Target {
        name: "channels_decode",
        seeds: &[("channels", "json")],
        literal_seeds: &[],
        about: "channels messages, webhooks, channel details, error bodies, message bodies",
    },
    Target {
        name: "blip_decode",
        seeds: &[("blip-campaign", "json")],
        literal_seeds: &[],
        about: "blip-campaign LIME envelope and every typed resource",
    },
    Target {
        name: "webhook_intake",
        seeds: &[
            ("channels", "json"),
            ("gateway-ru", "json"),
            ("blip-campaign", "json"),
        ],
        literal_seeds: &[],
        about: "webhook intake: Bird's signature check, the shared-secret checks, every vendor's callback decoder",
    },
    Target {
        name: "phone_parse",
        seeds: &[],
        literal_seeds: &[
            "+7 921 123-45-67",
            "8 (921) 123-45-67",
            "+44 20 7946 0958",
            "020 7946 0958",
            "+972-50-123-4567",
            "00972501234567",
        ],
        about: "whatsapp-common phone numbers: what parses prints as E.164 and parses back",
    },
];

pub(crate) fn run_cmd(args: &[String]) -> Result {
    match args {
        [] => Err(usage()),
        [one] if one == "list" => {
            for t in TARGETS {
                println!("{:<24} {}", t.name, t.about);
            }
            Ok(())
        }
        [target, seconds] => {
            let seconds: u64 = seconds
                .parse()
                .map_err(|_| format!("{seconds:?} is not a number of seconds\n{}", usage()))?;
            let chosen: Vec<&Target> = if target == "all" {
                TARGETS.iter().collect()
            } else {
                vec![
                    TARGETS
                        .iter()
                        .find(|t| t.name == target)
                        .ok_or_else(|| format!("no fuzz target {target:?}\n{}", usage()))?,
                ]
            };
            campaign(&chosen, seconds)
        }
        _ => Err(usage()),
    }
}

fn usage() -> String {
    let names: Vec<&str> = TARGETS.iter().map(|t| t.name).collect();
    format!(
        "usage: cargo xtask fuzz list | cargo xtask fuzz <target|all> <seconds per target>\n\
         targets: {}",
        names.join(", ")
    )
}

/// Which toolchain builds the targets, and how.
struct Toolchain {
    nightly: bool,
}

impl Toolchain {
    fn detect() -> Self {
        let nightly = Command::new("rustup")
            .args(["run", "nightly", "rustc", "--version"])
            .output()
            .is_ok_and(|o| o.status.success());
        Self { nightly }
    }

    fn cargo_fuzz(&self) -> Command {
        let mut c = cargo();
        if self.nightly {
            // rustup's proxy picks the toolchain from `+nightly`.
            c = Command::new("cargo");
            c.current_dir(root());
            c.arg("+nightly");
        } else {
            // Stable rustc accepts the coverage flags cargo-fuzz passes once
            // told it may; no sanitizer is asked for.
            c.env("RUSTC_BOOTSTRAP", "1");
        }
        c.arg("fuzz");
        c
    }

    fn describe(&self) -> &'static str {
        if self.nightly {
            "nightly, AddressSanitizer"
        } else {
            "stable, no sanitizer"
        }
    }
}

fn ensure_cargo_fuzz() -> Result {
    let found = cargo()
        .args(["fuzz", "--version"])
        .output()
        .is_ok_and(|o| o.status.success());
    if found {
        return Ok(());
    }
    let mut install = cargo();
    install.args(["install", "cargo-fuzz", "--locked"]);
    run("cargo install cargo-fuzz", install)
}

/// What one target's run did.
struct Outcome {
    name: &'static str,
    runs: u64,
    seconds: f64,
    coverage: u64,
    corpus: u64,
    /// What went wrong, each with how to reproduce it.
    failures: Vec<String>,
}

fn campaign(targets: &[&Target], seconds: u64) -> Result {
    ensure_cargo_fuzz()?;
    let toolchain = Toolchain::detect();
    let root = root();
    let work = root.join("target").join("fuzz");
    let mut build = toolchain.cargo_fuzz();
    build.args(["build", "--fuzz-dir", "fuzz"]);
    if !toolchain.nightly {
        build.args(["--sanitizer", "none"]);
    }
    run(
        &format!("cargo fuzz build ({})", toolchain.describe()),
        build,
    )?;
    let target_dir =
        std::env::var_os("CARGO_TARGET_DIR").map_or_else(|| root.join("target"), |d| root.join(d));
    let bin_dir = target_dir.join(host_triple()?).join("release");

    let mut outcomes = Vec::new();
    for t in targets {
        let corpus = work.join("corpus").join(t.name);
        let artifacts = work.join("artifacts").join(t.name);
        std::fs::create_dir_all(&corpus).map_err(|e| e.to_string())?;
        std::fs::create_dir_all(&artifacts).map_err(|e| e.to_string())?;
        seed(&root, t, &corpus)?;
        let before = count_files(&artifacts);
        eprintln!("xtask: fuzz {} for {seconds} s", t.name);
        let started = Instant::now();
        let out = Command::new(bin_dir.join(t.name))
            .arg(format!("-max_total_time={seconds}"))
            .arg(format!("-artifact_prefix={}/", artifacts.display()))
            .arg("-print_final_stats=1")
            .arg("-rss_limit_mb=2048")
            .arg("-timeout=10")
            .arg(&corpus)
            .output()
            .map_err(|e| format!("{}: could not start: {e}", t.name))?;
        let log = String::from_utf8_lossy(&out.stderr);
        let new_artifacts = count_files(&artifacts).saturating_sub(before);
        let mut failures: Vec<String> = newest_files(&artifacts, new_artifacts)
            .iter()
            .map(|f| {
                format!(
                    "reproduce with {} {}",
                    bin_dir.join(t.name).display(),
                    f.display()
                )
            })
            .collect();
        if failures.is_empty() && !out.status.success() {
            failures.push(format!(
                "exited with {} without writing an input; see its log above",
                out.status
            ));
        }
        if !failures.is_empty() {
            let tail: Vec<&str> = log.lines().rev().take(60).collect();
            eprintln!("{}", tail.into_iter().rev().collect::<Vec<_>>().join("\n"));
        }
        outcomes.push(Outcome {
            name: t.name,
            runs: final_stat(&log, "stat::number_of_executed_units"),
            seconds: started.elapsed().as_secs_f64(),
            coverage: last_progress(&log, "cov:"),
            corpus: count_files(&corpus) as u64,
            failures,
        });
    }

    println!(
        "\nfuzz campaign: {} target(s), {seconds} s each, {} ({} cores)",
        outcomes.len(),
        toolchain.describe(),
        std::thread::available_parallelism().map_or(1, |n| n.get())
    );
    println!(
        "{:<24} {:>12} {:>9} {:>10} {:>8} {:>7} {:>9}",
        "target", "runs", "seconds", "runs/s", "edges", "corpus", "failures"
    );
    let mut total_seconds = 0.0;
    let mut failed = Vec::new();
    for o in &outcomes {
        total_seconds += o.seconds;
        println!(
            "{:<24} {:>12} {:>9.0} {:>10.0} {:>8} {:>7} {:>9}",
            o.name,
            o.runs,
            o.seconds,
            o.runs as f64 / o.seconds.max(0.001),
            o.coverage,
            o.corpus,
            o.failures.len()
        );
        for f in &o.failures {
            failed.push(format!("{}: {f}", o.name));
        }
    }
    println!("total: {:.2} h of fuzzing", total_seconds / 3600.0);
    if failed.is_empty() {
        Ok(())
    } else {
        Err(format!(
            "fuzzing found failures:\n  {}",
            failed.join("\n  ")
        ))
    }
}

fn host_triple() -> Result<String> {
    let out = Command::new("rustc")
        .arg("-vV")
        .output()
        .map_err(|e| format!("rustc -vV: {e}"))?;
    String::from_utf8_lossy(&out.stdout)
        .lines()
        .find_map(|l| l.strip_prefix("host: "))
        .map(str::to_owned)
        .ok_or_else(|| "rustc -vV printed no host".to_owned())
}

/// Copies the target's documented samples into its corpus (same name, so a
/// second run does not duplicate them).
fn seed(root: &Path, t: &Target, corpus: &Path) -> Result {
    for (vendor, ext) in t.seeds {
        let mut files = Vec::new();
        crate::collect_files(&root.join("fixtures").join(vendor), &mut files)?;
        for f in files {
            // Bird's OpenAPI documents are schemas, not payloads.
            if f.extension().is_none_or(|e| e != *ext)
                || f.components().any(|c| c.as_os_str() == "openapi")
            {
                continue;
            }
            let name = format!(
                "seed-{}",
                f.strip_prefix(root.join("fixtures"))
                    .unwrap_or(&f)
                    .to_string_lossy()
                    .replace(['/', '\\'], "_")
            );
            std::fs::copy(&f, corpus.join(name)).map_err(|e| e.to_string())?;
        }
    }
    for (i, s) in t.literal_seeds.iter().enumerate() {
        std::fs::write(corpus.join(format!("seed-literal-{i}")), s).map_err(|e| e.to_string())?;
    }
    Ok(())
}

fn count_files(dir: &Path) -> usize {
    std::fs::read_dir(dir).map_or(0, |d| d.filter_map(|e| e.ok()).count())
}

fn newest_files(dir: &Path, n: usize) -> Vec<PathBuf> {
    let mut files: Vec<(std::time::SystemTime, PathBuf)> = std::fs::read_dir(dir)
        .map(|d| {
            d.filter_map(|e| e.ok())
                .filter_map(|e| Some((e.metadata().ok()?.modified().ok()?, e.path())))
                .collect()
        })
        .unwrap_or_default();
    files.sort();
    files.into_iter().rev().take(n).map(|(_, p)| p).collect()
}

/// `stat::name: N` from libFuzzer's final statistics.
fn final_stat(log: &str, name: &str) -> u64 {
    log.lines()
        .filter_map(|l| {
            l.strip_prefix(name)?
                .trim_start_matches(':')
                .trim()
                .parse()
                .ok()
        })
        .next_back()
        .unwrap_or(0)
}

/// The number after `key` on libFuzzer's last progress line that has it.
fn last_progress(log: &str, key: &str) -> u64 {
    log.lines()
        .filter_map(|l| {
            let rest = &l[l.find(key)? + key.len()..];
            rest.split_whitespace().next()?.parse().ok()
        })
        .next_back()
        .unwrap_or(0)
}
