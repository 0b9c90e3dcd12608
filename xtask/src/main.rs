//! Workspace automation: `cargo xtask <ci|test|fixtures|deps|demo|bench|fuzz>`.
#![allow(clippy::print_stdout)]

use std::path::{Path, PathBuf};
use std::process::{Command, ExitCode};

mod bench;
mod fuzz;

fn usage() -> ExitCode {
    eprintln!(
        "usage: cargo xtask <command>

commands:
  ci        fmt check, clippy -D warnings, tests, docs, fixtures and dependency checks
  test      the workspace's tests (all features)
  fixtures  check that every file under fixtures/ is read by a test
  deps      check that vendor crates pull in only what they use
  demo      start the mock vendors and send real requests through each vendor crate
  bench     end-to-end throughput, bulk and load figures (release build); writes docs/performance.md
  fuzz      `fuzz list`, or `fuzz <target|all> <seconds>`: the cargo-fuzz targets, seeded with the fixtures"
    );
    ExitCode::from(2)
}

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let result = match args.first().map(String::as_str) {
        Some("ci") => ci(),
        Some("test") => test(),
        Some("fixtures") => fixtures(),
        Some("deps") => deps(),
        Some("demo") => xtask::demo::run(),
        Some("bench") => bench_release(),
        Some("bench-run") => bench::run(),
        Some("bench-bulk") => bench::run_bulk(),
        Some("bench-server") => bench::server(),
        Some("bench-profile") => bench::profile(&args[1..]),
        Some("fuzz") => fuzz::run_cmd(&args[1..]),
        _ => return usage(),
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("xtask: {e}");
            ExitCode::FAILURE
        }
    }
}

type Result<T = ()> = std::result::Result<T, String>;

/// Re-runs the benchmark from a release build.
fn bench_release() -> Result {
    let mut c = cargo();
    c.args([
        "run",
        "--quiet",
        "--release",
        "--package",
        "xtask",
        "--",
        "bench-run",
    ]);
    run("cargo run --release -p xtask -- bench-run", c)
}

/// Heap use of this process, for the benchmark's peak-memory figures.
pub(crate) mod alloc_stats {
    use std::alloc::{GlobalAlloc, Layout, System};
    use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};

    static ON: AtomicBool = AtomicBool::new(true);
    static CURRENT: AtomicUsize = AtomicUsize::new(0);
    static PEAK: AtomicUsize = AtomicUsize::new(0);

    /// Counts live heap bytes and their high-water mark, then defers to the
    /// system allocator.
    pub(crate) struct Counting;

    #[allow(unsafe_code)]
    // SAFETY: every call is forwarded unchanged to `System`, which upholds
    // the `GlobalAlloc` contract; the counters only observe sizes.
    unsafe impl GlobalAlloc for Counting {
        unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
            // SAFETY: same layout, same contract as the caller's.
            let p = unsafe { System.alloc(layout) };
            if !p.is_null() && ON.load(Ordering::Relaxed) {
                let now = CURRENT.fetch_add(layout.size(), Ordering::Relaxed) + layout.size();
                PEAK.fetch_max(now, Ordering::Relaxed);
            }
            p
        }
        unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
            // SAFETY: `ptr` came from `alloc` with this layout.
            unsafe { System.dealloc(ptr, layout) };
            if ON.load(Ordering::Relaxed) {
                CURRENT.fetch_sub(layout.size(), Ordering::Relaxed);
            }
        }
        unsafe fn realloc(&self, ptr: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
            // SAFETY: forwarded unchanged.
            let p = unsafe { System.realloc(ptr, layout, new_size) };
            if !p.is_null() && ON.load(Ordering::Relaxed) {
                if new_size >= layout.size() {
                    let now = CURRENT.fetch_add(new_size - layout.size(), Ordering::Relaxed)
                        + (new_size - layout.size());
                    PEAK.fetch_max(now, Ordering::Relaxed);
                } else {
                    CURRENT.fetch_sub(layout.size() - new_size, Ordering::Relaxed);
                }
            }
            p
        }
    }

    /// Live heap bytes now.
    pub(crate) fn current() -> usize {
        CURRENT.load(Ordering::Relaxed)
    }

    /// The high-water mark since the last reset.
    pub(crate) fn peak() -> usize {
        PEAK.load(Ordering::Relaxed)
    }

    /// Stops counting for the rest of the process (the figures are not read
    /// again): the shared counters cost every allocating thread.
    pub(crate) fn stop_counting() {
        ON.store(false, Ordering::Relaxed);
    }

    /// Starts a new high-water mark from the current use.
    pub(crate) fn reset_peak() {
        PEAK.store(current(), Ordering::Relaxed);
    }
}

#[global_allocator]
static ALLOCATOR: alloc_stats::Counting = alloc_stats::Counting;

fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .expect("xtask lives one level below the workspace root")
        .to_path_buf()
}

fn cargo() -> Command {
    let mut c = Command::new(std::env::var("CARGO").unwrap_or_else(|_| "cargo".into()));
    c.current_dir(root());
    c
}

fn run(step: &str, mut cmd: Command) -> Result {
    eprintln!("xtask: {step}");
    let status = cmd
        .status()
        .map_err(|e| format!("{step}: could not start: {e}"))?;
    if status.success() {
        Ok(())
    } else {
        Err(format!("{step} failed ({status})"))
    }
}

fn ci() -> Result {
    let mut fmt = cargo();
    fmt.args(["fmt", "--all", "--", "--check"]);
    run("cargo fmt --check", fmt)?;
    let mut clippy = cargo();
    clippy.args([
        "clippy",
        "--workspace",
        "--all-targets",
        "--all-features",
        "--",
        "-D",
        "warnings",
    ]);
    run("cargo clippy -D warnings", clippy)?;
    test()?;
    let mut doc = cargo();
    doc.args(["doc", "--workspace", "--no-deps", "--all-features"])
        .env("RUSTDOCFLAGS", "-D warnings");
    run("cargo doc", doc)?;
    fixtures()?;
    deps()?;
    eprintln!("xtask: ci passed");
    Ok(())
}

fn test() -> Result {
    let mut t = cargo();
    t.args(["test", "--workspace", "--all-features"]);
    run("cargo test", t)
}

/// Every fixture file is named by some test or source file, and by its
/// vendor's SOURCE.md.
fn fixtures() -> Result {
    let root = root();
    let mut sources = String::new();
    collect_rs(&root.join("crates"), &mut sources)?;
    let mut problems = Vec::new();
    let mut count = 0;
    for vendor in read_dir(&root.join("fixtures"))? {
        if !vendor.is_dir() {
            continue;
        }
        let source_md = std::fs::read_to_string(vendor.join("SOURCE.md")).unwrap_or_default();
        if source_md.is_empty() {
            problems.push(format!("{}: SOURCE.md is missing", vendor.display()));
        }
        let mut files = Vec::new();
        collect_files(&vendor, &mut files)?;
        for file in files {
            let rel = file
                .strip_prefix(&vendor)
                .map(|p| p.to_string_lossy().replace('\\', "/"))
                .unwrap_or_default();
            // A SOURCE.md describes the files beside it (a folder of its
            // own, like channels' openapi/, may have one); it is no fixture.
            if rel == "SOURCE.md" || rel.ends_with("/SOURCE.md") {
                continue;
            }
            count += 1;
            let name = file
                .file_name()
                .and_then(|n| n.to_str())
                .unwrap_or_default()
                .to_owned();
            if !sources.contains(&format!("\"{rel}\"")) && !sources.contains(&format!("/{rel}\"")) {
                problems.push(format!("{}: no test reads it", file.display()));
            }
            if !source_md.contains(&rel) && !source_md.contains(&name) {
                problems.push(format!("{}: not described in SOURCE.md", file.display()));
            }
        }
    }
    if problems.is_empty() {
        eprintln!("xtask: fixtures: all {count} files are used and described");
        Ok(())
    } else {
        Err(format!("fixtures:\n  {}", problems.join("\n  ")))
    }
}

fn read_dir(dir: &Path) -> Result<Vec<PathBuf>> {
    let mut out: Vec<PathBuf> = std::fs::read_dir(dir)
        .map_err(|e| format!("{}: {e}", dir.display()))?
        .filter_map(|e| e.ok().map(|e| e.path()))
        .collect();
    out.sort();
    Ok(out)
}

fn collect_files(dir: &Path, out: &mut Vec<PathBuf>) -> Result {
    for path in read_dir(dir)? {
        if path.is_dir() {
            collect_files(&path, out)?;
        } else {
            out.push(path);
        }
    }
    Ok(())
}

fn collect_rs(dir: &Path, out: &mut String) -> Result {
    for path in read_dir(dir)? {
        if path.is_dir() {
            collect_rs(&path, out)?;
        } else if path.extension().is_some_and(|e| e == "rs") {
            out.push_str(&std::fs::read_to_string(&path).map_err(|e| e.to_string())?);
        }
    }
    Ok(())
}

/// Vendor crates pull in nothing they do not use.
/// What cargo-deny (`deny.toml`, run by `.ci/run`) cannot see: its graph
/// unifies the features the tests turn on, so whether each crate's own
/// build, with its default or fewest features, leaves out the mock server
/// and quick-xml is checked here, one `cargo tree` per crate.
fn deps() -> Result {
    // (crate, extra cargo-tree arguments, packages that build must not contain)
    let rules: &[(&str, &[&str], &[&str])] = &[
        ("whatsapp-common", &[], &["quick-xml", "wiremock"]),
        ("gateway-ru", &[], &["quick-xml", "wiremock"]),
        ("huawei-cec", &[], &["quick-xml", "wiremock"]),
        ("activetrail", &[], &["wiremock"]),
        ("channels", &[], &["quick-xml", "wiremock"]),
        ("blip-campaign", &[], &["quick-xml", "wiremock"]),
        // Redis only with the router's `redis` feature.
        ("whatsapp-router", &[], &["quick-xml", "wiremock", "redis"]),
        // JSON-only users skip the XML format and quick-xml.
        (
            "activetrail",
            &["--no-default-features", "--features", "rustls"],
            &["quick-xml", "wiremock"],
        ),
    ];
    let mut problems = Vec::new();
    for (krate, extra, banned) in rules {
        let out = cargo()
            .args([
                "tree",
                "-p",
                krate,
                "-e",
                "normal",
                "-e",
                "features",
                "--prefix",
                "none",
                "--no-dedupe",
            ])
            .args(*extra)
            .output()
            .map_err(|e| e.to_string())?;
        if !out.status.success() {
            return Err(format!(
                "cargo tree -p {krate}: {}",
                String::from_utf8_lossy(&out.stderr)
            ));
        }
        let tree = String::from_utf8_lossy(&out.stdout);
        for line in tree.lines() {
            let name = line.split_whitespace().next().unwrap_or_default();
            if banned.contains(&name) {
                problems.push(format!("{krate} {} depends on {name}", extra.join(" ")));
            }
        }
    }
    problems.sort();
    problems.dedup();
    if problems.is_empty() {
        eprintln!("xtask: deps: vendor crates depend only on what they use");
        Ok(())
    } else {
        Err(format!("deps:\n  {}", problems.join("\n  ")))
    }
}
