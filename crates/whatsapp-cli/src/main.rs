//! `whatsapp`: send WhatsApp messages through the workspace's vendor crates
//! from a terminal — send, dry-run, check, bulk, listen, mock.

// A command-line tool: its output is what it prints.
#![allow(clippy::print_stdout)]

use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Parser, Subcommand};
use whatsapp_common::{SendError, SendErrorKind, SendFailure};

mod batch;
mod bulk;
mod config;
mod listen;
mod mock;
mod send;
mod vendors;

const EXIT_CODES: &str = "\
Exit codes:
  0  done (sent, checked, printed)
  2  invalid input: arguments, configuration, a message the vendor's rules refuse; nothing was sent
  3  the vendor refused the message: it will deliver nothing
  4  transport failure after the request may have reached the vendor: the message MAY HAVE BEEN SENT
     (send it again only with the same --reference)
  5  not sent: the vendor could not be reached or proved it did not process the message
  1  anything else

Secrets are never taken on the command line: each profile names an
environment variable (secret_env) or a file (secret_file) that holds them.";

/// Send WhatsApp messages through Rapporto, Huawei CEC, ActiveTrail, Bird or
/// Blip.
#[derive(Debug, Parser)]
#[command(name = "whatsapp", version, after_help = EXIT_CODES)]
struct Cli {
    /// The configuration file (TOML, one profile per vendor account).
    #[arg(
        long,
        global = true,
        env = "WHATSAPP_CONFIG",
        default_value = "whatsapp.toml"
    )]
    config: PathBuf,
    #[command(subcommand)]
    command: Command,
}

#[derive(Debug, Subcommand)]
enum Command {
    /// Send one message.
    #[command(after_help = EXIT_CODES)]
    Send(send::Args),
    /// Check the configuration and, where the vendor allows it without
    /// sending a message, the credentials.
    #[command(after_help = EXIT_CODES)]
    Check {
        /// The profile in the configuration file.
        #[arg(long, env = "WHATSAPP_PROFILE")]
        profile: String,
    },
    /// Send to every row of a CSV file, resumably.
    #[command(after_help = EXIT_CODES)]
    Bulk(bulk::Args),
    /// Receive the vendor's callbacks and print each verified event.
    Listen(listen::Args),
    /// Start a local mock vendor and print its URL (and write a profile for it).
    Mock(mock::Args),
}

/// Why the command failed, and the exit code that says so.
#[derive(Debug)]
pub(crate) struct Failure {
    pub code: u8,
    pub message: String,
}

impl Failure {
    pub(crate) const INPUT: u8 = 2;
    pub(crate) const REFUSED: u8 = 3;
    pub(crate) const MAY_HAVE_BEEN_SENT: u8 = 4;
    pub(crate) const NOT_SENT: u8 = 5;

    pub(crate) fn input(message: impl Into<String>) -> Self {
        Self {
            code: Self::INPUT,
            message: message.into(),
        }
    }

    pub(crate) fn other(message: impl Into<String>) -> Self {
        Self {
            code: 1,
            message: message.into(),
        }
    }

    /// The exit code for a failed send.
    pub(crate) fn code_of(e: &SendError) -> u8 {
        match (e.kind(), e.failure()) {
            (SendErrorKind::InvalidInput | SendErrorKind::Unsupported, _) => Self::INPUT,
            (_, SendFailure::Refused) => Self::REFUSED,
            (_, SendFailure::NotProcessed) => Self::NOT_SENT,
            _ => Self::MAY_HAVE_BEEN_SENT,
        }
    }

    pub(crate) fn send(e: &SendError) -> Self {
        Self {
            code: Self::code_of(e),
            message: e.to_string(),
        }
    }
}

/// The name of `arg` if it tries to hand a secret over the command line.
fn secret_argument(arg: &str) -> Option<&str> {
    let name = arg.strip_prefix("--")?.split('=').next()?;
    const SECRETS: [&str; 10] = [
        "password",
        "secret",
        "token",
        "access-key",
        "app-secret",
        "key",
        "api-key",
        "signing-key",
        "webhook-secret",
        "authorization",
    ];
    SECRETS.contains(&name).then_some(name)
}

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().collect();
    if let Some(name) = args.iter().skip(1).find_map(|a| secret_argument(a)) {
        eprintln!(
            "whatsapp: --{name} is refused: a secret on the command line shows in `ps` and in shell history.\n\
             Put it in an environment variable and name it in the profile (secret_env = \"VARIABLE\"),\n\
             or in a file (secret_file = \"PATH\"); webhook secrets likewise (webhook_secret_env / webhook_secret_file)."
        );
        return ExitCode::from(Failure::INPUT);
    }
    let cli = Cli::parse();
    let runtime = match tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
    {
        Ok(rt) => rt,
        Err(e) => {
            eprintln!("whatsapp: cannot start: {e}");
            return ExitCode::from(1);
        }
    };
    let result = runtime.block_on(async {
        match cli.command {
            Command::Send(args) => send::run(&cli.config, args).await,
            Command::Check { profile } => check(&cli.config, &profile).await,
            Command::Bulk(args) => bulk::run(&cli.config, args).await,
            Command::Listen(args) => listen::run(&cli.config, args).await,
            Command::Mock(args) => mock::run(args).await,
        }
    });
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(f) => {
            eprintln!("whatsapp: {}", f.message);
            ExitCode::from(f.code)
        }
    }
}

async fn check(config: &std::path::Path, profile: &str) -> Result<(), Failure> {
    let p = config::load(config, profile)?;
    let url = vendors::base_url(&p)?;
    let client = vendors::build(&p, &url, whatsapp_common::RetryPolicy::none())?;
    let said = client.check().await?;
    println!("profile `{}` ({}, {url}): {said}", p.name, p.vendor.name());
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn secret_arguments_are_recognised_in_both_spellings() {
        assert_eq!(secret_argument("--password"), Some("password"));
        assert_eq!(secret_argument("--access-key=abc"), Some("access-key"));
        assert_eq!(secret_argument("--profile"), None);
        assert_eq!(secret_argument("password"), None);
        assert_eq!(secret_argument("--text"), None);
    }
}
