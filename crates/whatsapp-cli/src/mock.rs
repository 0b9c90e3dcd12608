//! `whatsapp mock`: a local mock vendor, seeded with the vendor's
//! documented samples, and a profile for it, so everything can be tried
//! offline.

use std::path::PathBuf;

use crate::Failure;
use crate::config::Vendor;
use crate::vendors::Mock;

/// `whatsapp mock`.
#[derive(Debug, clap::Args)]
pub(crate) struct Args {
    /// The vendor to mock.
    #[arg(long, value_enum)]
    pub vendor: Vendor,
    /// Where to write a configuration with a profile `mock` for it (its
    /// secret in a file beside it, the mock accepts any).
    #[arg(long, default_value = "whatsapp-mock.toml")]
    pub write_config: PathBuf,
}

pub(crate) async fn run(args: Args) -> Result<(), Failure> {
    let mock = Mock::start(args.vendor).await;
    let secret_path = args.write_config.with_extension("secret");
    let secret_name = secret_path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_else(|| "whatsapp-mock.secret".to_owned());
    let write = |path: &PathBuf, text: &str| {
        std::fs::write(path, text)
            .map_err(|e| Failure::other(format!("cannot write {}: {e}", path.display())))
    };
    // Any value: the mock accepts every credential.
    write(&secret_path, "mock-secret\n")?;
    write(&args.write_config, &mock.profile(&secret_name))?;
    println!("{} mock listening at {}", args.vendor.name(), mock.uri());
    println!(
        "profile `mock` written to {} (try: whatsapp --config {} send --profile mock --to +79211234567 --text Hello)",
        args.write_config.display(),
        args.write_config.display()
    );
    eprintln!("whatsapp: serving until Ctrl-C");
    tokio::signal::ctrl_c()
        .await
        .map_err(|e| Failure::other(format!("waiting for Ctrl-C: {e}")))?;
    let received = mock.requests().await.len();
    println!("mock stopped after {received} request(s)");
    Ok(())
}
