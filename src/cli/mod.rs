//! The command line: clap commands over the core, text for people and JSON for scripts.
//! Errors reach the user as `brackets: <what went wrong>: <why>` with exit status 1; usage
//! errors exit 2.

mod actors;
mod check;
mod comment;
mod demo;
mod diff;
mod import;
pub mod input;
pub mod json;
mod ledger;
mod log;
mod search;
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
    after_help = AFTER_HELP,
    args_conflicts_with_subcommands = true
)]
pub struct Cli {
    /// Open the terminal UI on this repository, folder or draft file (default: the current
    /// folder; the bundled example when it holds no drafts).
    #[arg(value_name = "PATH")]
    path: Option<PathBuf>,
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
  brackets actors compilation.txt --csv > positions.csv
  brackets actors resolution.md --history     proposals and outcomes over all iterations")]
    Actors(ActorsArgs),
    /// Compare two iterations paragraph by paragraph: what changed, and what happened to
    /// each bracketed proposal.
    #[command(after_help = "\
Examples:
  brackets diff resolution.md                 previous iteration against the current one
  brackets diff resolution.md@rev1 resolution.md@rev2
  brackets diff old.txt new.txt --stat        two plain files, counts per kind and actor
  brackets diff resolution.md@rev1 resolution.md@rev2 --concordance --csv
  brackets diff resolution.md@rev1 resolution.md@rev2 --paragraph OP3")]
    Diff(DiffArgs),
    /// List the iterations of a draft: labels (tags), dates, authors and messages.
    #[command(after_help = "\
Examples:
  brackets log resolution/people-centred-smart-cities.md
  brackets log resolution.md --json | jq '.iterations[].label'")]
    Log(LogArgs),
    /// Turn a folder of iteration files plus its iterations.json into a git history.
    #[command(after_help = "\
Examples:
  brackets import drafts/smart-cities-resolution --into ~/negotiations
  brackets import drafts/smart-cities-guidelines --into ~/negotiations

Running it again changes nothing. It refuses a repository with uncommitted changes.")]
    Import(ImportArgs),
    /// The bundled example negotiation as a git repository under your cache folder.
    #[command(after_help = "\
Examples:
  brackets demo --path                  print where the example repository is
  cd \"$(brackets demo --path)\" && brackets log resolution/people-centred-smart-cities.md")]
    Demo(DemoArgs),
    /// Build or update the search index of every iteration of every draft.
    Index(search::IndexArgs),
    /// Search paragraphs, bracketed proposals and comments: words, actor:, stance:, ...
    Search(search::SearchArgs),
    /// Reviewers' comments on paragraphs: add, list, resolve.
    Comment(comment::CommentArgs),
    /// One actor's timeline: every position it took, with paragraph, text and outcome.
    Actor(ledger::ActorArgs),
    /// A position report a delegation can send home (markdown, html, csv, json).
    Report(ledger::ReportArgs),
    /// The position matrix: actors x paragraphs, each cell the actor's stance.
    Matrix(ledger::MatrixArgs),
    /// The bracket burndown: open brackets, reservations, agreed paragraphs per iteration.
    Progress(ledger::ProgressArgs),
}

#[derive(Args, Debug)]
pub struct DiffArgs {
    /// The older iteration: PATH, PATH@REV (a tag, commit, HEAD~2) or PATH@WORKTREE.
    #[arg(value_name = "OLD")]
    pub old: String,
    /// The newer iteration; without it, OLD's previous iteration is compared with OLD.
    #[arg(value_name = "NEW")]
    pub new: Option<String>,
    /// One JSON document on stdout.
    #[arg(long, conflicts_with_all = ["stat", "csv"])]
    pub json: bool,
    /// Counts of changes per kind and per actor.
    #[arg(long)]
    pub stat: bool,
    /// Only this paragraph (its id in either iteration).
    #[arg(long, value_name = "ID")]
    pub paragraph: Option<String>,
    /// The concordance table: old id, new id, kind of change, actors whose proposals touched it.
    #[arg(long)]
    pub concordance: bool,
    /// With --concordance: comma-separated values.
    #[arg(long, requires = "concordance")]
    pub csv: bool,
}

#[derive(Args, Debug)]
pub struct LogArgs {
    /// The draft file, in a git repository.
    #[arg(value_name = "PATH")]
    pub path: PathBuf,
    /// One JSON document on stdout.
    #[arg(long)]
    pub json: bool,
}

#[derive(Args, Debug)]
pub struct ImportArgs {
    /// A folder of iteration files and its iterations.json.
    #[arg(value_name = "DIR")]
    pub dir: PathBuf,
    /// The git repository to write into (created when missing).
    #[arg(long, value_name = "REPO")]
    pub into: PathBuf,
}

#[derive(Args, Debug)]
pub struct DemoArgs {
    /// Print the repository's path only.
    #[arg(long)]
    pub path: bool,
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
    /// Over the draft's whole git history: proposals made, agreed, dropped, open; supports,
    /// oppositions, reservations and success rate per actor.
    #[arg(long)]
    history: bool,
}

/// Standard output, buffered: one write per 64 KiB instead of one per line (pretty JSON
/// otherwise costs a system call per line). Commands flush it before writing to stderr and
/// before returning, so a failed write is an error, not silently lost output.
pub fn stdout() -> std::io::BufWriter<anstream::AutoStream<std::io::StdoutLock<'static>>> {
    std::io::BufWriter::with_capacity(64 * 1024, anstream::stdout().lock())
}

/// Standard output for machine-readable output (JSON, CSV), buffered like [`stdout`] but
/// without anstream's filter: it holds no styles to strip, and JSON escapes control characters
/// itself. The filter reads every byte, which costs as much as writing a large diff's JSON.
pub fn stdout_plain() -> std::io::BufWriter<std::io::StdoutLock<'static>> {
    std::io::BufWriter::with_capacity(64 * 1024, std::io::stdout().lock())
}

/// Where human output goes: colour handled by anstream, width from the terminal.
pub struct Output {
    pub width: usize,
}

impl Output {
    fn detect() -> Output {
        let width = if std::io::stdout().is_terminal() {
            crossterm::terminal::size()
                .map(|(w, _)| usize::from(w))
                .unwrap_or(80)
        } else {
            std::env::var("COLUMNS")
                .ok()
                .and_then(|c| c.parse().ok())
                .unwrap_or(80)
        };
        Output {
            width: width.clamp(40, 120),
        }
    }
}

pub fn main() -> ExitCode {
    let cli = match Cli::try_parse() {
        Ok(cli) => cli,
        Err(e) => {
            // clap quotes the offending argument as given: a file name out of a hostile
            // repository (`brackets show $(ls)`) may hold control characters. Then the
            // message is printed plain, made visible.
            let plain = e.render().to_string();
            match crate::text::visible(&plain) {
                std::borrow::Cow::Borrowed(_) => {
                    let _ = e.print();
                }
                std::borrow::Cow::Owned(shown) if e.use_stderr() => eprint!("{shown}"),
                std::borrow::Cow::Owned(shown) => print!("{shown}"),
            }
            return if e.use_stderr() {
                ExitCode::from(2)
            } else {
                ExitCode::SUCCESS
            };
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
            if e.chain().any(|c| {
                c.downcast_ref::<std::io::Error>()
                    .is_some_and(|io| io.kind() == std::io::ErrorKind::BrokenPipe)
            }) {
                return ExitCode::SUCCESS;
            }
            let message = format!("{e:#}");
            eprintln!("brackets: {}", crate::text::visible(&message));
            ExitCode::from(1)
        }
    }
}

/// `brackets [PATH]`: the terminal UI, or the tour when standard output is not a terminal.
fn open_tui(path: Option<PathBuf>) -> Result<ExitCode> {
    if let Some(p) = &path
        && !p.exists()
    {
        anyhow::bail!("cannot open {}: no such file or folder", p.display());
    }
    if !std::io::stdout().is_terminal() || !std::io::stdin().is_terminal() {
        return show::welcome(&Output::detect());
    }
    let start = match path {
        Some(p) => crate::tui::Start::Path(p),
        None => crate::tui::Start::Here,
    };
    crate::tui::run(start)?;
    Ok(ExitCode::SUCCESS)
}

fn run(cli: Cli) -> Result<ExitCode> {
    let out = Output::detect();
    match cli.command {
        None => open_tui(cli.path),
        Some(Command::Check(args)) => check::run(&args.paths, args.notes, args.json),
        Some(Command::Show(args)) => show::run(
            &args.path,
            args.json,
            args.agreed,
            args.actor.as_deref(),
            &out,
        ),
        Some(Command::Actors(args)) if args.history => {
            ledger::run_actors_history(&args.path, args.json, args.csv, &out)
        }
        Some(Command::Actors(args)) => actors::run(&args.path, args.json, args.csv, &out),
        Some(Command::Diff(args)) => diff::run(&args, &out),
        Some(Command::Log(args)) => log::run(&args, &out),
        Some(Command::Import(args)) => import::run(&args),
        Some(Command::Demo(args)) => demo::run(&args),
        Some(Command::Index(args)) => search::run_index(&args, &out),
        Some(Command::Search(args)) => search::run_search(&args, &out),
        Some(Command::Comment(args)) => comment::run(&args, &out),
        Some(Command::Actor(args)) => ledger::run_actor(&args, &out),
        Some(Command::Report(args)) => ledger::run_report(&args, &out),
        Some(Command::Matrix(args)) => ledger::run_matrix(&args, &out),
        Some(Command::Progress(args)) => ledger::run_progress(&args, &out),
    }
}
