//! The command line: clap commands over the core, text for people and JSON for scripts.
//! Errors reach the user as `brackets: <what went wrong>: <why>` with exit status 1; usage
//! errors exit 2.

mod actors;
mod check;
mod input;
pub mod json;
mod show;
pub mod theme;
pub mod wrap;

use anyhow::Result;
use clap::{Args, Parser, Subcommand, ValueEnum};
use std::io::IsTerminal;
use std::path::PathBuf;
use std::process::ExitCode;

const AFTER_HELP: &str = "\
Examples:
  brackets show drafts/smart-cities-resolution/04-compilation-2.md
  brackets check drafts/*/*.md
  brackets actors compilation.txt --csv > positions.csv

The notation: [bracketed text] {USA+ FRA-}{RUS reserve}. See README.md.";

#[derive(Parser, Debug)]
#[command(
    name = "brackets",
    version,
    about = "Read, compare and track negotiated texts with bracketed proposals",
    long_about = "brackets reads negotiated multilateral texts (resolutions, declarations, guidelines) \
                  as secretariats write them: bracketed proposals with attributions such as \
                  `[the right to privacy] {USA+ FRA-}{RUS reserve}`.",
    after_help = AFTER_HELP
)]
pub struct Cli {
    /// When to use colour: auto (a terminal, and NO_COLOR unset), always, never.
    #[arg(long, global = true, value_enum, default_value_t = ColorWhen::Auto)]
    color: ColorWhen,
    #[command(subcommand)]
    command: Option<Command>,
}

#[derive(Copy, Clone, Debug, PartialEq, Eq, ValueEnum)]
enum ColorWhen {
    Auto,
    Always,
    Never,
}

#[derive(Subcommand, Debug)]
enum Command {
    /// Check drafts for damage and inconsistencies: `path:line:col: error|warning: message`.
    #[command(after_help = "\
Examples:
  brackets check compilation.txt
  brackets check --notes drafts/*/*.md      also show how unusual text was read
  brackets check --json rev2.md | jq '.files[].diagnostics[]'

Exit status: 0 when no file has errors (warnings are allowed), 1 otherwise.")]
    Check(CheckArgs),
    /// Show a draft: sections, paragraph ids, bracketed proposals and who stands where.
    #[command(after_help = "\
Examples:
  brackets show compilation.txt
  brackets show compilation.txt --agreed      agreed text plain, open brackets marked
  brackets show compilation.txt --actor EGY   only where Egypt took a position
  brackets show compilation.txt --json | jq '.paragraphs[] | select(.agreed) | .id'")]
    Show(ShowArgs),
    /// Count the positions each actor takes in a draft.
    #[command(after_help = "\
Examples:
  brackets actors compilation.txt
  brackets actors compilation.txt --json | jq '.actors[] | select(.oppose > 3) | .actor'
  brackets actors compilation.txt --csv > positions.csv")]
    Actors(ActorsArgs),
}

#[derive(Args, Debug)]
struct CheckArgs {
    /// Draft files to check.
    #[arg(required = true, value_name = "PATH")]
    paths: Vec<PathBuf>,
    /// Also print notes: how the parser read unusual text (page breaks, spanning brackets).
    #[arg(long)]
    notes: bool,
    /// One JSON document on stdout.
    #[arg(long)]
    json: bool,
}

#[derive(Args, Debug)]
struct ShowArgs {
    /// The draft file.
    #[arg(value_name = "PATH")]
    path: PathBuf,
    /// One JSON document on stdout.
    #[arg(long)]
    json: bool,
    /// The agreed-text view: agreed text plain, open brackets marked, attributions hidden.
    #[arg(long)]
    agreed: bool,
    /// Only paragraphs where this actor takes a position, its positions highlighted.
    #[arg(long, value_name = "CODE")]
    actor: Option<String>,
}

#[derive(Args, Debug)]
struct ActorsArgs {
    /// The draft file.
    #[arg(value_name = "PATH")]
    path: PathBuf,
    /// One JSON document on stdout.
    #[arg(long, conflicts_with = "csv")]
    json: bool,
    /// Comma-separated values with a header row.
    #[arg(long)]
    csv: bool,
}

/// Where human output goes: colour handled by anstream, width from the terminal.
pub struct Output {
    pub width: usize,
}

impl Output {
    fn detect() -> Output {
        let width = if std::io::stdout().is_terminal() {
            crossterm::terminal::size().map(|(w, _)| usize::from(w)).unwrap_or(80)
        } else {
            std::env::var("COLUMNS").ok().and_then(|c| c.parse().ok()).unwrap_or(80)
        };
        Output { width: width.clamp(40, 120) }
    }
}

pub fn main() -> ExitCode {
    let cli = match Cli::try_parse() {
        Ok(cli) => cli,
        Err(e) => {
            let _ = e.print();
            return if e.use_stderr() { ExitCode::from(2) } else { ExitCode::SUCCESS };
        }
    };
    match cli.color {
        ColorWhen::Auto => {}
        ColorWhen::Always => anstream::ColorChoice::Always.write_global(),
        ColorWhen::Never => anstream::ColorChoice::Never.write_global(),
    }
    match run(cli) {
        Ok(code) => code,
        Err(e) => {
            // A closed pipe (`brackets show x | head`) is not an error worth a message.
            if e.chain().any(|c| c.downcast_ref::<std::io::Error>().is_some_and(|io| io.kind() == std::io::ErrorKind::BrokenPipe)) {
                return ExitCode::SUCCESS;
            }
            let message = format!("{e:#}");
            eprintln!("brackets: {}", crate::text::visible(&message));
            ExitCode::from(1)
        }
    }
}

fn run(cli: Cli) -> Result<ExitCode> {
    let out = Output::detect();
    match cli.command {
        None => show::welcome(&out),
        Some(Command::Check(args)) => check::run(&args.paths, args.notes, args.json),
        Some(Command::Show(args)) => show::run(&args.path, args.json, args.agreed, args.actor.as_deref(), &out),
        Some(Command::Actors(args)) => actors::run(&args.path, args.json, args.csv, &out),
    }
}
