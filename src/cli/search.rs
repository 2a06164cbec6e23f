//! `brackets index` and `brackets search`.

use anyhow::{Context, Result};
use clap::Args;
use std::io::{IsTerminal, Write};
use std::path::PathBuf;
use std::process::ExitCode;

use super::{Output, theme};
use crate::index::query::Query;
use crate::index::{Index, IndexError, Progress, SearchOptions};
use crate::repo::Repo;
use crate::text::visible;

#[derive(Args, Debug)]
#[command(after_help = "\
Examples:
  brackets index                 bring the index up to date (only new iterations are read)
  brackets index --rebuild       throw it away and build it again

The index lives in .git/brackets/index and is never committed; `brackets search` updates it
when the repository has changed.")]
pub struct IndexArgs {
    /// Throw the index away and build it again.
    #[arg(long)]
    pub rebuild: bool,
    /// The repository (default: the one around the current folder).
    #[arg(long, short = 'C', value_name = "PATH")]
    pub repo: Option<PathBuf>,
    /// One JSON document on stdout: what was indexed.
    #[arg(long)]
    pub json: bool,
}

#[derive(Args, Debug)]
#[command(after_help = "\
Query language:
  privacy \"right to privacy\" priv*       words, phrases, prefixes (in paragraphs,
                                          bracketed text and comments)
  actor:EGY stance:oppose                 EGY opposed (actor and stance side by side pair up)
  actor:EGY-  actor:USA+                  the same, shorter
  stance:reserve stance:proposer          support (+), oppose (-), reserve, delete, note, proposer
  kind:bracket kind:paragraph kind:comment
  draft:resolution para:OP4 rev:rev1      para:OP4 includes OP4.a, OP4.a.alt1
  a AND b, a OR b, NOT a, -a, ( ... )     adjacent terms are joined by AND

Examples:
  brackets search 'actor:EGY stance:oppose'
  brackets search 'privacy kind:bracket'             bracketed text about privacy still open
  brackets search 'actor:USA para:OP4' --all-revisions
  brackets search '\"digital literacy\" kind:comment' --json | jq '.hits[].snippet'")]
pub struct SearchArgs {
    /// The query: words, "phrases", prefix*, actor:EGY stance:oppose, AND/OR/NOT.
    #[arg(value_name = "QUERY")]
    pub query: String,
    /// Search every iteration, grouping identical hits (default: each draft's newest).
    #[arg(long)]
    pub all_revisions: bool,
    /// At most this many hits.
    #[arg(long, value_name = "N", default_value_t = 20)]
    pub limit: usize,
    /// One JSON document on stdout.
    #[arg(long)]
    pub json: bool,
    /// The repository (default: the one around the current folder).
    #[arg(long, short = 'C', value_name = "PATH")]
    pub repo: Option<PathBuf>,
}

fn open_repo(path: &Option<PathBuf>) -> Result<Repo> {
    let at = path.clone().unwrap_or_else(|| PathBuf::from("."));
    Ok(Repo::discover(&at)?)
}

/// Progress on stderr: a bar on a terminal, only notices otherwise.
struct Bar {
    terminal: bool,
    drawn: bool,
}

impl Bar {
    fn new() -> Bar {
        Bar {
            terminal: std::io::stderr().is_terminal(),
            drawn: false,
        }
    }

    fn clear(&mut self) {
        if self.drawn {
            eprint!("\r\x1b[2K");
            self.drawn = false;
        }
    }

    fn report(&mut self, p: Progress) {
        match p {
            Progress::Notice(n) => {
                self.clear();
                eprintln!("brackets: {}", visible(n));
            }
            Progress::Indexed {
                done,
                total,
                draft,
                label,
            } if self.terminal => {
                let width = 30;
                let filled = done * width / total.max(1);
                let mut name = format!("{} {}", visible(draft), visible(label));
                if name.chars().count() > 40 {
                    name = name.chars().take(39).collect::<String>() + "…";
                }
                eprint!(
                    "\r\x1b[2Kindexing [{}{}] {done}/{total} {name}",
                    "#".repeat(filled),
                    " ".repeat(width - filled)
                );
                let _ = std::io::stderr().flush();
                self.drawn = true;
            }
            Progress::Committing if self.terminal => {
                eprint!("\r\x1b[2Kindexing: writing the index…");
                self.drawn = true;
            }
            _ => {}
        }
    }
}

pub fn run_index(args: &IndexArgs, _out: &Output) -> Result<ExitCode> {
    let repo = open_repo(&args.repo)?;
    let started = std::time::Instant::now();
    let mut index = Index::open(&repo).context("cannot open the search index")?;
    let mut bar = Bar::new();
    let stats = if args.rebuild {
        index.rebuild(&repo, &mut |p| bar.report(p))
    } else {
        index.update_waiting(&repo, &mut |p| bar.report(p))
    };
    bar.clear();
    let stats = stats.context("cannot update the search index")?;
    let mut stdout = super::stdout();
    if args.json {
        let value = serde_json::json!({
            "path": index.dir().display().to_string(),
            "up_to_date": stats.up_to_date,
            "added": stats.added,
            "removed": stats.removed,
            "comments": stats.comments,
            "documents": stats.documents,
            "bytes": index.size_on_disk(),
            "rebuilt": stats.rebuilt,
        });
        super::json::to_writer_pretty(&mut stdout, &value)?;
        writeln!(stdout)?;
    } else if stats.up_to_date {
        writeln!(
            stdout,
            "The search index is up to date ({} documents).",
            stats.documents
        )?;
    } else {
        writeln!(
            stdout,
            "Indexed {} iteration{} ({} removed, {} reviewers' comments): {} documents, {:.1} MB, in {:.2} s.",
            stats.added,
            if stats.added == 1 { "" } else { "s" },
            stats.removed,
            stats.comments,
            stats.documents,
            index.size_on_disk() as f64 / 1e6,
            started.elapsed().as_secs_f64()
        )?;
    }
    stdout.flush()?;
    Ok(ExitCode::SUCCESS)
}

/// Opens the index and brings it up to date; when another process is writing, searches the
/// index as it is.
pub fn fresh_index(repo: &Repo) -> Result<Index> {
    let mut index = Index::open(repo).context("cannot open the search index")?;
    let mut bar = Bar::new();
    let result = index.update(repo, &mut |p| bar.report(p));
    bar.clear();
    match result {
        Ok(_) => {}
        Err(e @ IndexError::Busy { .. }) => {
            eprintln!("brackets: {}", visible(&e.to_string()));
            index.refresh()?;
        }
        Err(e) => return Err(e).context("cannot update the search index"),
    }
    Ok(index)
}

pub fn run_search(args: &SearchArgs, out: &Output) -> Result<ExitCode> {
    let query = match Query::parse(&args.query) {
        Ok(q) => q,
        Err(e) => {
            anyhow::bail!("invalid query: {e}\n{}", e.underline());
        }
    };
    if query.is_empty() {
        anyhow::bail!("the query is empty: give words, \"phrases\" or fields such as actor:EGY");
    }
    let repo = open_repo(&args.repo)?;
    let mut index = fresh_index(&repo)?;
    let options = SearchOptions {
        all_revisions: args.all_revisions,
        limit: args.limit,
    };
    let mut bar = Bar::new();
    let results = match index.search_repairing(&repo, &query, &options, &mut |p| bar.report(p)) {
        Ok(r) => r,
        Err(IndexError::Query(e)) => anyhow::bail!("invalid query: {e}\n{}", e.underline()),
        Err(e) => return Err(e).context("cannot search"),
    };
    bar.clear();
    let mut stdout = super::stdout();
    if args.json {
        super::json::to_writer_pretty(&mut stdout, &results)?;
        writeln!(stdout)?;
        stdout.flush()?;
        return Ok(ExitCode::SUCCESS);
    }
    if results.hits.is_empty() {
        // Most of a negotiation's history is in earlier iterations: say when it is there.
        let earlier = if args.all_revisions || query.names_revisions() {
            0
        } else {
            let everywhere = SearchOptions {
                all_revisions: true,
                limit: 1,
            };
            index.search(&query, &everywhere).map_or(0, |r| r.matches)
        };
        if earlier > 0 {
            writeln!(
                stdout,
                "No hits in the newest iteration of any draft; {earlier} in earlier iterations (add --all-revisions)."
            )?;
        } else {
            writeln!(stdout, "No hits.")?;
        }
        stdout.flush()?;
        return Ok(ExitCode::SUCCESS);
    }
    for hit in &results.hits {
        let where_ = if args.all_revisions || query.names_revisions() {
            hit.span.clone()
        } else {
            hit.revision.clone()
        };
        let para = if hit.paragraph.is_empty() {
            "(orphaned)".to_string()
        } else {
            hit.paragraph.clone()
        };
        // Every line wrapped to the terminal: draft paths, attributions and comments run long.
        let width = out.width.max(40);
        let mut head = super::wrap::Styled::new();
        head.push(theme::ID, &para);
        head.push(theme::PLAIN, " ");
        head.push(theme::TITLE, hit.kind.as_str());
        head.push(theme::PLAIN, "  ");
        head.push(
            theme::DIM,
            &format!("{} · {} · {:.2}", hit.draft, where_, hit.score),
        );
        writeln!(stdout, "{}", head.wrap_after(width, "", 4, 4).trim_end())?;
        // The snippet, wrapped, with the matches in bold.
        let mut styled = super::wrap::Styled::new();
        let mut at = 0;
        for r in &hit.highlights {
            let (Some(before), Some(word)) =
                (hit.snippet.get(at..r.start), hit.snippet.get(r.clone()))
            else {
                continue;
            };
            styled.push(theme::PLAIN, before);
            styled.push(theme::FOCUS, word);
            at = r.end;
        }
        styled.push(theme::PLAIN, hit.snippet.get(at..).unwrap_or(""));
        writeln!(stdout, "{}", styled.wrap(width, "    ", 4).trim_end())?;
        if !hit.attribution.is_empty() {
            let mut groups = super::wrap::Styled::new();
            groups.push(theme::GROUP, &hit.attribution);
            writeln!(stdout, "{}", groups.wrap(width, "    ", 4).trim_end())?;
        }
        if let Some(a) = &hit.author {
            let mut by = super::wrap::Styled::new();
            by.push(theme::PLAIN, &format!("by {a}"));
            writeln!(stdout, "{}", by.wrap(width, "    ", 4).trim_end())?;
        }
    }
    let shown = results.hits.len();
    if results.total > shown {
        writeln!(
            stdout,
            "{}{shown} of {}{} hits; --limit N for more{}",
            theme::DIM.render(),
            if results.total_at_least {
                "at least "
            } else {
                ""
            },
            results.total,
            theme::DIM.render_reset()
        )?;
    }
    stdout.flush()?;
    Ok(ExitCode::SUCCESS)
}
