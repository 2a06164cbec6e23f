//! Who proposed what: each bracketed proposal followed through a draft's history, its outcome,
//! and the per-actor figures built from that.
//! `brackets actor`, `report`, `matrix`, `progress` and `actors --history`.

mod report;

use super::{Output, input, theme, wrap::Styled};
use crate::actors::Actors;
use crate::ledger::{Ledger, Outcome, Role, matrix};
use crate::text::{fit, visible};
use anyhow::{Context, Result};
use clap::{Args, ValueEnum};
use serde::Serialize;
use std::borrow::Cow;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use unicode_width::UnicodeWidthStr;

#[derive(Args, Debug)]
#[command(after_help = "\
Examples:
  brackets actor USA resolution.md                 every position of the United States
  brackets actor EGY resolution.md@rev2            the history up to Rev.2
  brackets actor G77 resolution.md --json | jq '.entries[] | select(.outcome == \"open\")'

Roles: proposer, supporter, opponent, deletion (asked to delete), reservation.
Outcomes: agreed (brackets lifted, text kept), dropped (text gone), replaced (other text took
its place), open (still in brackets in the newest iteration).")]
pub struct ActorArgs {
    /// The actor code: USA, EU, G77, Chair (any case; aliases of .brackets.toml work).
    #[arg(value_name = "CODE")]
    pub code: String,
    /// The draft file in a git repository; PATH@REV stops the history at REV.
    #[arg(value_name = "PATH")]
    pub path: PathBuf,
    /// One JSON document on stdout.
    #[arg(long)]
    pub json: bool,
}

#[derive(Copy, Clone, Debug, PartialEq, Eq, ValueEnum)]
pub enum ReportFormat {
    Markdown,
    Html,
    Csv,
    Json,
}

#[derive(Args, Debug)]
#[command(after_help = "\
Examples:
  brackets report resolution.md --actor EGY --format html -o egypt.html
  brackets report resolution.md --actor EU --format markdown > eu-positions.md
  brackets report resolution.md --format csv > proposals.csv
  brackets report resolution.md@rev1 --format json | jq '.summary'

The HTML report is one self-contained file (no scripts, no external files) that prints well.
Without --actor the report covers every actor and every proposal.")]
pub struct ReportArgs {
    /// The draft file in a git repository; PATH@REV stops the history at REV.
    #[arg(value_name = "PATH")]
    pub path: PathBuf,
    /// A delegation's report: its proposals, supports, oppositions, reservations.
    #[arg(long, value_name = "CODE")]
    pub actor: Option<String>,
    /// Output format.
    #[arg(long, value_enum, default_value_t = ReportFormat::Markdown)]
    pub format: ReportFormat,
    /// Write to this file (atomically) instead of standard output; an existing file is kept
    /// unless --force.
    #[arg(long, short = 'o', value_name = "FILE")]
    pub output: Option<PathBuf>,
    /// With --output: replace the file if it exists.
    #[arg(long, requires = "output")]
    pub force: bool,
}

#[derive(Args, Debug)]
#[command(after_help = "\
Examples:
  brackets matrix resolution.md                   the current text
  brackets matrix resolution.md@compilation-2 --csv > matrix.csv
  brackets matrix resolution.md --json | jq '.rows[] | select(.actor == \"USA\")'

Cells: P proposes text there, + supports, - opposes, D asks to delete, R reserves, n a note,
± supports some text and opposes other text there.")]
pub struct MatrixArgs {
    /// The draft: PATH, PATH@REV (a tag, commit, HEAD~2) or PATH@WORKTREE.
    #[arg(value_name = "REF")]
    pub reference: String,
    /// One JSON document on stdout.
    #[arg(long, conflicts_with = "csv")]
    pub json: bool,
    /// Comma-separated values: one row per actor, one column per paragraph.
    #[arg(long)]
    pub csv: bool,
}

#[derive(Args, Debug)]
#[command(after_help = "\
Examples:
  brackets progress resolution.md
  brackets progress resolution.md --json | jq '.iterations[] | [.label, .open_brackets]'

Per iteration: open brackets, alternatives, reservations, paragraphs agreed ad ref, clean
paragraphs (no brackets), paragraphs reopened, and proposals made, agreed, dropped, replaced.
Also lists move, split and merge suggestions ({FRA suggest to move ...}) and whether the next
iteration followed them.")]
pub struct ProgressArgs {
    /// The draft file in a git repository; PATH@REV stops the history at REV.
    #[arg(value_name = "PATH")]
    pub path: PathBuf,
    /// One JSON document on stdout.
    #[arg(long)]
    pub json: bool,
}

/// A draft's ledger with the actors of its repository.
struct Loaded {
    shown: String,
    ledger: Ledger,
    actors: Cow<'static, Actors>,
}

fn load(path: &Path) -> Result<Loaded> {
    let reference = path
        .to_str()
        .map(str::to_string)
        .unwrap_or_else(|| path.display().to_string());
    let context = || format!("cannot follow the proposals of {reference}");
    let input::DraftHistory {
        given,
        path: inside,
        at_revision,
        repo,
        history,
    } = input::history(&reference, "follow the proposals of")?;
    let actors = Actors::for_draft(&given).with_context(context)?;
    let mut docs = Ledger::documents(&repo, &history, &actors).with_context(context)?;
    // The file on disk with uncommitted changes is the newest iteration.
    if !at_revision && repo.worktree_changed(&inside).with_context(context)? {
        let text = repo.read_worktree(&inside).with_context(context)?;
        let step = crate::ledger::Step {
            label: "WORKTREE".into(),
            subject: "uncommitted changes".into(),
            ..crate::ledger::Step::default()
        };
        docs.push((step, crate::parse::parse_with(&text, &actors)));
    }
    let mut ledger = Ledger::from_documents(docs);
    ledger.path = given.display().to_string();
    Ok(Loaded {
        shown: given.display().to_string(),
        ledger,
        actors,
    })
}

fn resolve_code(actors: &Actors, code: &str) -> String {
    actors
        .resolve_any_case(code)
        .map_or_else(|| code.to_string(), |a| a.code.clone())
}

fn json_out<T: Serialize>(value: &T) -> Result<ExitCode> {
    let text = super::json::to_string_pretty(value)?;
    let mut out = super::stdout();
    writeln!(out, "{text}")?;
    out.flush()?;
    Ok(ExitCode::SUCCESS)
}

pub(super) fn csv_field(s: &str) -> String {
    let s = visible(s);
    if s.contains([',', '"', '\n', '\r']) {
        format!("\"{}\"", s.replace('"', "\"\""))
    } else {
        s.to_string()
    }
}

fn outcome_style(o: Outcome) -> anstyle::Style {
    match o {
        Outcome::Agreed => theme::AGREED,
        Outcome::Dropped => theme::CHANGE_REMOVED,
        Outcome::Replaced => theme::CHANGE_STRUCTURE,
        Outcome::Open => theme::BRACKET_MARK,
    }
}

// ---- brackets actors REF --history ----

#[derive(Serialize)]
struct HistoryJson<'a> {
    path: &'a str,
    iterations: Vec<&'a str>,
    actors: Vec<crate::ledger::ActorSummary>,
}

pub fn run_actors_history(
    path: &Path,
    as_json: bool,
    csv: bool,
    output: &Output,
) -> Result<ExitCode> {
    let loaded = load(path)?;
    let rows = loaded.ledger.actor_summary(&loaded.actors);
    if as_json {
        return json_out(&HistoryJson {
            path: &loaded.shown,
            iterations: loaded
                .ledger
                .steps
                .iter()
                .map(|s| s.label.as_str())
                .collect(),
            actors: rows,
        });
    }
    let mut out = super::stdout();
    if csv {
        writeln!(
            out,
            "actor,name,proposals,agreed,dropped,replaced,open,supported,opposed,reserved,notes,isolated,success_rate,deletions"
        )?;
        for r in &rows {
            writeln!(
                out,
                "{},{},{},{},{},{},{},{},{},{},{},{},{},{}",
                csv_field(&r.actor),
                csv_field(r.name.as_deref().unwrap_or("")),
                r.proposals,
                r.agreed,
                r.dropped,
                r.replaced,
                r.open,
                r.supported,
                r.opposed,
                r.reserved,
                r.notes,
                r.isolated,
                r.success_rate.map(|x| x.to_string()).unwrap_or_default(),
                r.deletions
            )?;
        }
        out.flush()?;
        return Ok(ExitCode::SUCCESS);
    }
    let steps = &loaded.ledger.steps;
    writeln!(
        out,
        "{}{}{:#}{}: {} iterations, {} to {}{:#}\n",
        theme::TITLE,
        visible(&loaded.shown),
        theme::TITLE,
        theme::DIM,
        steps.len(),
        visible(loaded.ledger.label(0)),
        visible(loaded.ledger.label(steps.len().saturating_sub(1))),
        theme::DIM
    )?;
    if rows.is_empty() {
        writeln!(out, "No positions in any iteration.")?;
        out.flush()?;
        return Ok(ExitCode::SUCCESS);
    }
    let wide = output.width >= 96;
    // Codes are identifiers: the column is as wide as the longest (`Secretariat`), not cut.
    let code_width = rows
        .iter()
        .map(|r| UnicodeWidthStr::width(visible(&r.actor).as_ref()))
        .max()
        .unwrap_or(0)
        .clamp(7, 24)
        + 1;
    writeln!(
        out,
        "{}{:<code_width$}{}  made agreed dropped repl. open  supp. opp. del. res. isol. success{:#}",
        theme::HEADING,
        "actor",
        if wide {
            format!("{:<16}", "name")
        } else {
            String::new()
        },
        theme::HEADING
    )?;
    for r in &rows {
        let cell = |n: usize, w: usize, style: anstyle::Style| {
            if n == 0 {
                format!("{:>w$}", "·")
            } else {
                format!("{style}{n:>w$}{style:#}")
            }
        };
        let name = if wide {
            format!("{:<16}", fit(&visible(r.name.as_deref().unwrap_or("")), 15))
        } else {
            String::new()
        };
        let rate = r
            .success_rate
            .map_or_else(|| format!("{:>7}", "–"), |x| format!("{:>6.0}%", x * 100.0));
        writeln!(
            out,
            "{}{:<code_width$}{:#}{name}{} {} {} {} {} {} {} {} {} {} {rate}",
            theme::ID,
            fit(&visible(&r.actor), code_width - 1),
            theme::ID,
            cell(r.proposals, 6, theme::PLAIN),
            cell(r.agreed, 6, theme::AGREED),
            cell(r.dropped, 7, theme::CHANGE_REMOVED),
            cell(r.replaced, 5, theme::CHANGE_STRUCTURE),
            cell(r.open, 4, theme::BRACKET_MARK),
            cell(r.supported, 6, theme::stance(crate::model::Stance::Support)),
            cell(r.opposed, 4, theme::stance(crate::model::Stance::Oppose)),
            cell(r.deletions, 4, theme::stance(crate::model::Stance::Delete)),
            cell(r.reserved, 4, theme::stance(crate::model::Stance::Reserve)),
            cell(r.isolated, 5, theme::WARNING),
        )?;
    }
    let proposals = loaded
        .ledger
        .proposals
        .iter()
        .filter(|p| p.kind != crate::ledger::ProposalKind::Unattributed)
        .count();
    let mut note = Styled::new();
    note.push(
        theme::DIM,
        &format!(
            "{} actors; {proposals} attributed proposals. made: proposals (a replacement counts once); agreed: adopted; del.: texts it asked to delete; isol.: open proposals it alone opposes.",
            rows.len()
        ),
    );
    writeln!(out)?;
    out.write_all(note.wrap(output.width, "", 0).as_bytes())?;
    writeln!(out)?;
    out.flush()?;
    Ok(ExitCode::SUCCESS)
}

// ---- brackets actor CODE PATH ----

#[derive(Serialize)]
struct ActorJson<'a> {
    path: &'a str,
    actor: &'a str,
    name: Option<&'a str>,
    iterations: Vec<&'a str>,
    summary: Option<crate::ledger::ActorSummary>,
    entries: &'a [crate::ledger::TimelineEntry],
    notes: &'a [crate::ledger::NoteEntry],
}

pub fn run_actor(args: &ActorArgs, output: &Output) -> Result<ExitCode> {
    let loaded = load(&args.path)?;
    let code = resolve_code(&loaded.actors, &args.code);
    let ledger = &loaded.ledger;
    let timeline = ledger.timeline(&code);
    let name = loaded.actors.resolve(&code).map(|a| a.name.as_str());
    let summary = ledger
        .actor_summary(&loaded.actors)
        .into_iter()
        .find(|s| s.actor == code);
    if args.json {
        return json_out(&ActorJson {
            path: &loaded.shown,
            actor: &code,
            name,
            iterations: ledger.steps.iter().map(|s| s.label.as_str()).collect(),
            summary,
            entries: &timeline.entries,
            notes: &timeline.notes,
        });
    }
    let mut out = super::stdout();
    let width = output.width;
    let mut head = Styled::new();
    head.push(theme::TITLE, &code);
    if let Some(n) = name {
        head.push(theme::PLAIN, &format!(" ({n})"));
    }
    head.push(
        theme::DIM,
        &format!(" in {}, {} iterations", loaded.shown, ledger.steps.len()),
    );
    out.write_all(head.wrap(width, "", 0).as_bytes())?;
    writeln!(out)?;
    if timeline.entries.is_empty() && timeline.notes.is_empty() {
        writeln!(
            out,
            "\n{} takes no position in any iteration.",
            visible(&code)
        )?;
        out.flush()?;
        return Ok(ExitCode::SUCCESS);
    }
    if let Some(s) = &summary {
        let rate = s
            .success_rate
            .map_or(String::new(), |x| format!(", {:.0}% success", x * 100.0));
        let line = format!(
            "{} proposal{}: {} agreed, {} dropped, {} replaced, {} open{rate}; supported {}, opposed {}, asked to delete {}, reserved on {}{}",
            s.proposals,
            if s.proposals == 1 { "" } else { "s" },
            s.agreed,
            s.dropped,
            s.replaced,
            s.open,
            s.supported,
            s.opposed,
            s.deletions,
            s.reserved,
            if s.isolated > 0 {
                format!("; alone against {} open proposals", s.isolated)
            } else {
                String::new()
            }
        );
        let mut summary = Styled::new();
        summary.push(theme::PLAIN, &line);
        out.write_all(summary.wrap(width, "", 0).as_bytes())?;
        writeln!(out)?;
    }
    for (role, title) in [
        (Role::Proposer, "Proposed"),
        (Role::Supporter, "Supported"),
        (Role::Opponent, "Opposed"),
        (Role::Deletion, "Asked to delete"),
        (Role::Reservation, "Reservations"),
    ] {
        let entries: Vec<_> = timeline.entries.iter().filter(|e| e.role == role).collect();
        if entries.is_empty() {
            continue;
        }
        writeln!(
            out,
            "\n{}{title} ({}){:#}",
            theme::HEADING,
            entries.len(),
            theme::HEADING
        )?;
        for e in entries {
            let span = if e.first == e.last {
                ledger.label(e.first).to_string()
            } else {
                format!("{}–{}", ledger.label(e.first), ledger.label(e.last))
            };
            let outcome = match (e.outcome, e.resolved) {
                (Outcome::Open, _) => "open".to_string(),
                (o, Some(k)) => format!("{} in {}", o.as_str(), ledger.label(k)),
                (o, None) => o.as_str().to_string(),
            };
            let mark = match e.prevailed {
                Some(true) => format!(" {}✓{:#}", theme::AGREED, theme::AGREED),
                Some(false) => format!(" {}✗{:#}", theme::CHANGE_REMOVED, theme::CHANGE_REMOVED),
                None => String::new(),
            };
            let para = match &e.current_paragraph {
                Some(now) if *now != e.paragraph => format!("{} (now {})", e.paragraph, now),
                _ => e.paragraph.clone(),
            };
            let style = outcome_style(e.outcome);
            writeln!(
                out,
                "{}{}{:#}  {}{}{:#}{mark}  {}{}{:#}{}",
                theme::ID,
                visible(&para),
                theme::ID,
                style,
                outcome,
                style,
                theme::DIM,
                visible(&span),
                theme::DIM,
                if e.isolated {
                    format!("  {}alone{:#}", theme::WARNING, theme::WARNING)
                } else {
                    String::new()
                }
            )?;
            let mut text = Styled::new();
            if let Some(old) = &e.replaces {
                text.push(theme::WORD_DELETED, &format!("[{old}]"));
                text.push(theme::DIM, " → ");
            }
            text.push(theme::BRACKETED, &format!("[{}]", e.text));
            out.write_all(text.wrap(width, "    ", 4).as_bytes())?;
            writeln!(out)?;
            if e.stances.len() > 1 {
                let runs: Vec<String> = e
                    .stances
                    .iter()
                    .map(|r| {
                        let names: Vec<&str> = r.stances.iter().map(|x| x.as_str()).collect();
                        let at = if r.from == r.to {
                            ledger.label(r.from).to_string()
                        } else {
                            format!("{}–{}", ledger.label(r.from), ledger.label(r.to))
                        };
                        format!("{} ({at})", names.join("+"))
                    })
                    .collect();
                let mut line = Styled::new();
                line.push(theme::DIM, &format!("stance: {}", runs.join(" → ")));
                out.write_all(line.wrap(width, "    ", 4).as_bytes())?;
                writeln!(out)?;
            }
            let mut who = Vec::new();
            if role != Role::Proposer
                && let Some(p) = &e.proposer
            {
                who.push(format!("proposed by {p}"));
            }
            for (said, actors) in [
                ("deletion asked by", &e.deletion_asked_by),
                ("supported by", &e.supporters),
                ("opposed by", &e.opponents),
                ("reservations:", &e.reservations),
            ] {
                if !actors.is_empty() {
                    who.push(format!("{said} {}", actors.join(", ")));
                }
            }
            if !who.is_empty() {
                let mut line = Styled::new();
                line.push(theme::DIM, &who.join("; "));
                out.write_all(line.wrap(width, "    ", 4).as_bytes())?;
                writeln!(out)?;
            }
        }
    }
    if !timeline.notes.is_empty() {
        writeln!(
            out,
            "\n{}Notes ({}){:#}",
            theme::HEADING,
            timeline.notes.len(),
            theme::HEADING
        )?;
        for n in &timeline.notes {
            writeln!(
                out,
                "{}{}{:#}  {}{}{:#}",
                theme::ID,
                visible(&n.paragraph),
                theme::ID,
                theme::DIM,
                if n.first == n.last {
                    ledger.label(n.first).to_string()
                } else {
                    format!("{}–{}", ledger.label(n.first), ledger.label(n.last))
                },
                theme::DIM
            )?;
            let mut text = Styled::new();
            text.push(theme::NOTE, &format!("{{{}}}", n.text));
            out.write_all(text.wrap(width, "    ", 4).as_bytes())?;
            writeln!(out)?;
        }
    }
    out.flush()?;
    Ok(ExitCode::SUCCESS)
}

// ---- brackets report ----

pub fn run_report(args: &ReportArgs, _out: &Output) -> Result<ExitCode> {
    let loaded = load(&args.path)?;
    let actor = args
        .actor
        .as_deref()
        .map(|a| resolve_code(&loaded.actors, a));
    let text = match args.format {
        ReportFormat::Json => {
            let value = report::json(&loaded.ledger, &loaded.actors, actor.as_deref());
            let mut s = super::json::to_string_pretty(&value)?;
            s.push('\n');
            s
        }
        ReportFormat::Csv => report::csv(&loaded.ledger, actor.as_deref()),
        ReportFormat::Markdown => report::markdown(&report::build(
            &loaded.ledger,
            &loaded.actors,
            actor.as_deref(),
        )),
        ReportFormat::Html => report::html(&report::build(
            &loaded.ledger,
            &loaded.actors,
            actor.as_deref(),
        )),
    };
    match &args.output {
        Some(file) => {
            let shown = crate::text::visible(&file.display().to_string()).into_owned();
            if file.is_dir() {
                anyhow::bail!("cannot write {shown}: it is a folder; name a file");
            }
            match write_atomic(file, text.as_bytes(), args.force) {
                Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => {
                    anyhow::bail!("{shown} exists: add --force to replace it")
                }
                result => result.with_context(|| format!("cannot write {shown}"))?,
            }
        }
        None => {
            let mut out = super::stdout();
            out.write_all(text.as_bytes())?;
            out.flush()?;
        }
    }
    Ok(ExitCode::SUCCESS)
}

/// Writes through a temporary file in the same folder and moves it into place: renamed over
/// the file with `replace`, else linked to its name, which fails if the name is taken (no
/// window in which another file could be overwritten).
fn write_atomic(file: &Path, bytes: &[u8], replace: bool) -> std::io::Result<()> {
    let dir = match file.parent() {
        Some(d) if !d.as_os_str().is_empty() => d.to_path_buf(),
        _ => PathBuf::from("."),
    };
    let name = file
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_else(|| "report".into());
    let tmp = dir.join(format!(".{name}.{}.tmp", std::process::id()));
    let result = (|| {
        let mut f = std::fs::File::create(&tmp)?;
        f.write_all(bytes)?;
        f.sync_all()?;
        if replace {
            return std::fs::rename(&tmp, file);
        }
        match std::fs::hard_link(&tmp, file) {
            // The temporary name goes below.
            Ok(()) => Ok(()),
            Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => Err(e),
            // A file system without hard links: checked, then renamed.
            Err(_) if file.exists() => Err(std::io::ErrorKind::AlreadyExists.into()),
            Err(_) => std::fs::rename(&tmp, file),
        }
    })();
    let _ = std::fs::remove_file(&tmp);
    result
}

// ---- brackets matrix ----

pub fn run_matrix(args: &MatrixArgs, output: &Output) -> Result<ExitCode> {
    let loaded = input::load_ref(&args.reference)?;
    let m = matrix(&loaded.doc, &loaded.actors);
    if args.json {
        #[derive(Serialize)]
        struct MatrixJson<'a> {
            path: &'a str,
            label: &'a str,
            #[serde(flatten)]
            matrix: &'a crate::ledger::Matrix,
        }
        return json_out(&MatrixJson {
            path: &loaded.path,
            label: &loaded.label,
            matrix: &m,
        });
    }
    let mut out = super::stdout();
    if args.csv {
        write!(out, "actor,name")?;
        for p in &m.paragraphs {
            write!(out, ",{}", csv_field(p))?;
        }
        writeln!(out)?;
        for r in &m.rows {
            write!(
                out,
                "{},{}",
                csv_field(&r.actor),
                csv_field(r.name.as_deref().unwrap_or(""))
            )?;
            for c in &r.cells {
                write!(out, ",{}", c.as_ref().map_or("", |c| c.stance.as_str()))?;
            }
            writeln!(out)?;
        }
        out.flush()?;
        return Ok(ExitCode::SUCCESS);
    }
    writeln!(
        out,
        "{}{}{:#}\n",
        theme::TITLE,
        visible(&loaded.label),
        theme::TITLE
    )?;
    if m.rows.is_empty() {
        writeln!(out, "No positions in this text.")?;
        out.flush()?;
        return Ok(ExitCode::SUCCESS);
    }
    // Only paragraphs where someone stands; ids written downwards, two columns per paragraph.
    let cols: Vec<usize> = (0..m.paragraphs.len())
        .filter(|&j| m.rows.iter().any(|r| r.cells[j].is_some()))
        .collect();
    let per_chunk = (output.width.saturating_sub(9) / 2).max(8);
    for chunk in cols.chunks(per_chunk) {
        let ids: Vec<Vec<char>> = chunk
            .iter()
            .map(|&j| visible(&m.paragraphs[j]).chars().collect())
            .collect();
        let height = ids.iter().map(Vec::len).max().unwrap_or(0);
        for line in 0..height {
            write!(out, "{:9}", "")?;
            for id in &ids {
                write!(
                    out,
                    "{}{} {:#}",
                    theme::ID,
                    id.get(line).unwrap_or(&' '),
                    theme::ID
                )?;
            }
            writeln!(out)?;
        }
        for r in &m.rows {
            if chunk.iter().all(|&j| r.cells[j].is_none()) {
                continue;
            }
            write!(
                out,
                "{}{:<9}{:#}",
                theme::ID,
                fit(&visible(&r.actor), 8),
                theme::ID
            )?;
            for &j in chunk {
                match &r.cells[j] {
                    None => write!(out, "{}· {:#}", theme::DIM, theme::DIM)?,
                    Some(c) => {
                        let style = match c.stance {
                            crate::ledger::CellStance::Proposer => theme::TITLE,
                            crate::ledger::CellStance::Support => {
                                theme::stance(crate::model::Stance::Support)
                            }
                            crate::ledger::CellStance::Oppose
                            | crate::ledger::CellStance::Mixed => {
                                theme::stance(crate::model::Stance::Oppose)
                            }
                            crate::ledger::CellStance::Delete => {
                                theme::stance(crate::model::Stance::Delete)
                            }
                            crate::ledger::CellStance::Reserve => {
                                theme::stance(crate::model::Stance::Reserve)
                            }
                            crate::ledger::CellStance::Note => theme::NOTE,
                        };
                        write!(out, "{style}{}{style:#} ", c.stance.mark())?;
                    }
                }
            }
            writeln!(out)?;
        }
        writeln!(out)?;
    }
    writeln!(
        out,
        "{}P proposes  + supports  - opposes  D delete  R reserves  n note  ± both ways{:#}",
        theme::DIM,
        theme::DIM
    )?;
    out.flush()?;
    Ok(ExitCode::SUCCESS)
}

// ---- brackets progress ----

pub fn run_progress(args: &ProgressArgs, output: &Output) -> Result<ExitCode> {
    let loaded = load(&args.path)?;
    let ledger = &loaded.ledger;
    if args.json {
        #[derive(Serialize)]
        struct ProgressJson<'a> {
            path: &'a str,
            iterations: &'a [crate::ledger::Progress],
            suggestions: &'a [crate::ledger::Suggestion],
        }
        return json_out(&ProgressJson {
            path: &loaded.shown,
            iterations: ledger.progress(),
            suggestions: &ledger.suggestions,
        });
    }
    let mut out = super::stdout();
    writeln!(
        out,
        "{}{}{:#}{}: bracket burndown, oldest first{:#}\n",
        theme::TITLE,
        visible(&loaded.shown),
        theme::TITLE,
        theme::DIM,
        theme::DIM
    )?;
    let rows = ledger.progress();
    let label_width = rows
        .iter()
        .map(|r| visible(&r.label).width())
        .max()
        .unwrap_or(5)
        .clamp(5, 16);
    writeln!(
        out,
        "{}{:<label_width$}  open  alt  res agreed clean reop.  +new  ✓agr ✗drop{:#}",
        theme::HEADING,
        "iteration",
        theme::HEADING
    )?;
    let max_open = rows
        .iter()
        .map(|r| r.open_brackets)
        .max()
        .unwrap_or(0)
        .max(1);
    let bar_room = output.width.saturating_sub(label_width + 54).max(4);
    for r in rows {
        let bar_len = (r.open_brackets * bar_room).div_ceil(max_open);
        writeln!(
            out,
            "{}{:<label_width$}{:#}  {:>4} {:>4} {:>4} {:>6} {:>5} {:>5} {:>5} {:>5} {:>5} {}{}{:#}",
            theme::ID,
            fit(&visible(&r.label), label_width),
            theme::ID,
            r.open_brackets,
            r.alternatives,
            r.reservations,
            r.agreed_paragraphs,
            format!("{}/{}", r.clean_paragraphs, r.paragraphs),
            r.reopened,
            r.proposed,
            r.agreed,
            r.dropped + r.replaced,
            theme::BRACKET_MARK,
            "█".repeat(bar_len),
            theme::BRACKET_MARK,
        )?;
    }
    if !ledger.suggestions.is_empty() {
        writeln!(out, "\n{}Suggestions{:#}", theme::HEADING, theme::HEADING)?;
        for s in &ledger.suggestions {
            let verdict = match s.followed {
                Some(true) => format!("{}followed{:#}", theme::AGREED, theme::AGREED),
                Some(false) => format!(
                    "{}not followed{:#}",
                    theme::CHANGE_REMOVED,
                    theme::CHANGE_REMOVED
                ),
                None => format!("{}pending{:#}", theme::DIM, theme::DIM),
            };
            let next = if s.next_paragraphs.is_empty() {
                String::new()
            } else {
                format!(" → {}", s.next_paragraphs.join(", "))
            };
            writeln!(
                out,
                "{}{}{:#} {}{}: {verdict}",
                theme::ID,
                visible(&s.paragraph),
                theme::ID,
                visible(ledger.label(s.iteration)),
                visible(&next),
            )?;
            let mut text = Styled::new();
            text.push(theme::NOTE, &format!("{{{}}}", s.note));
            out.write_all(text.wrap(output.width, "    ", 4).as_bytes())?;
            writeln!(out)?;
        }
    }
    out.flush()?;
    Ok(ExitCode::SUCCESS)
}
