//! `brackets comment add|reply|list|resolve|reopen`.

use anyhow::{Context, Result, bail};
use clap::{Args, Subcommand};
use serde::Serialize;
use std::io::Write;
use std::path::Path;
use std::process::ExitCode;

use super::{Output, theme};
use crate::comments::{self, Comment, Place, Status, Store};
use crate::model::Document;
use crate::repo::{self, At, Repo, Resolved};
use crate::text::visible;

#[derive(Args, Debug)]
#[command(after_help = "\
Comments are kept in <draft>.comments.json beside the draft: commit that file to share them.
A comment follows its paragraph into later iterations (by its words, or through the paragraph
alignment when it is renumbered or edited); a comment whose paragraph was removed is listed as
orphaned.

Examples:
  brackets comment add resolution.md OP4 'Check against the Addis Ababa language' --actor EGY
  brackets comment list resolution.md
  brackets comment list resolution.md@rev1 --all --json
  brackets comment reply c1a2b3c4 'Done in Rev.2'
  brackets comment resolve c1a2")]
pub struct CommentArgs {
    #[command(subcommand)]
    pub command: CommentCommand,
}

#[derive(Subcommand, Debug)]
pub enum CommentCommand {
    /// Comment on a paragraph of a draft (REF: PATH, PATH@REV or PATH@WORKTREE).
    Add {
        /// The draft: PATH, PATH@REV (a tag, commit, HEAD~2) or PATH@WORKTREE.
        #[arg(value_name = "REF")]
        reference: String,
        /// The paragraph id: PP3, OP4bis, OP1.d, 2.1.1/P3.
        #[arg(value_name = "PARAGRAPH")]
        paragraph: String,
        /// What the comment says.
        #[arg(value_name = "TEXT")]
        text: String,
        /// The delegation the comment speaks for.
        #[arg(long, value_name = "CODE")]
        actor: Option<String>,
        /// Who writes it (default: git's user.name).
        #[arg(long, value_name = "NAME")]
        author: Option<String>,
        /// Print the new comment as JSON.
        #[arg(long)]
        json: bool,
    },
    /// Reply to a comment.
    Reply {
        /// The comment's id, or a unique prefix of it.
        #[arg(value_name = "ID")]
        id: String,
        /// What the reply says.
        #[arg(value_name = "TEXT")]
        text: String,
        /// Who writes it (default: git's user.name).
        #[arg(long, value_name = "NAME")]
        author: Option<String>,
    },
    /// The comments on a draft's paragraphs, found again in the iteration REF names.
    List {
        /// The draft: PATH, PATH@REV (a tag, commit, HEAD~2) or PATH@WORKTREE.
        #[arg(value_name = "REF")]
        reference: String,
        /// Resolved comments too.
        #[arg(long)]
        all: bool,
        /// One JSON document on stdout.
        #[arg(long)]
        json: bool,
    },
    /// Mark a comment resolved (ID or a unique prefix of it).
    Resolve {
        /// The comment's id, or a unique prefix of it.
        #[arg(value_name = "ID")]
        id: String,
        /// Who resolves it (default: git's user.name).
        #[arg(long, value_name = "NAME")]
        author: Option<String>,
    },
    /// Open a resolved comment again.
    Reopen {
        /// The comment's id, or a unique prefix of it.
        #[arg(value_name = "ID")]
        id: String,
    },
}

/// A draft iteration named by a reference: its text, the commit of the iteration it is (or is
/// based on, for the working tree) and how to name it.
struct Target {
    repo: Repo,
    path: String,
    given: String,
    commit: String,
    label: String,
    doc: Document,
}

/// Tells the user on stderr when another process holds the comments file.
fn waiting(message: &str) {
    eprintln!("brackets: {}", visible(message));
}

/// Tells the user on stderr when a damaged comments file was set aside.
fn saved(saved: comments::Saved) {
    if let Some(notice) = saved.notice() {
        eprintln!("brackets: {}", visible(&notice));
    }
}

fn target(reference: &str) -> Result<Target> {
    let context = || format!("cannot read {reference}");
    let (given, root, path, at) = match repo::resolve(reference).with_context(context)? {
        Resolved::File(p) => bail!(
            "{} is not in a git repository: comments are kept beside drafts in a repository",
            p.display()
        ),
        Resolved::InRepo {
            given,
            root,
            path,
            at,
        } => (given, root, path, at),
    };
    let repo = Repo::open(&root)?;
    let (text, start, rev) = match at {
        None | Some(At::Worktree) => {
            let text = repo.read_worktree(&path).with_context(context)?;
            (text, repo.head_commit()?, "HEAD".to_string())
        }
        Some(At::Rev(rev)) => {
            let commit = repo.resolve_revision(&rev)?;
            let text = repo.read_in_commit(&path, &commit, &rev)?;
            (text, commit, rev)
        }
    };
    let history = repo
        .history_from(&start, &path, &rev)
        .with_context(|| format!("{path} has no committed iteration yet: commit it first"))?;
    let Some(it) = history.iterations.first() else {
        bail!("{path} has no committed iteration yet: commit it first");
    };
    let (commit, label) = (it.commit.clone(), it.label().to_string());
    drop(start);
    let actors = crate::actors::Actors::for_draft(&root.join(&path))?;
    let doc = crate::parse::parse_with(&text, &actors);
    Ok(Target {
        commit,
        label,
        given: given.display().to_string(),
        path,
        repo,
        doc,
    })
}

fn author_of(explicit: &Option<String>, root: &Path) -> String {
    if let Some(a) = explicit {
        return a.clone();
    }
    if let Ok(repo) = git2::Repository::open(root)
        && let Ok(cfg) = repo.config()
        && let Ok(name) = cfg.get_string("user.name")
        && !name.trim().is_empty()
    {
        return name;
    }
    std::env::var("USER")
        .ok()
        .filter(|u| !u.is_empty())
        .unwrap_or_else(|| "unknown".into())
}

fn root_here() -> Result<std::path::PathBuf> {
    Ok(Repo::discover(Path::new("."))?.root().to_path_buf())
}

pub fn run(args: &CommentArgs, out: &Output) -> Result<ExitCode> {
    match &args.command {
        CommentCommand::Add {
            reference,
            paragraph,
            text,
            actor,
            author,
            json,
        } => add(reference, paragraph, text, actor, author, *json),
        CommentCommand::Reply { id, text, author } => {
            let root = root_here()?;
            let (mut store, i) = comments::find_comment(&root, id)?;
            let full = store.comments()[i].id.clone();
            let who = author_of(author, &root);
            store.reply(&full, &who, text)?;
            saved(store.save_waiting(&mut waiting)?);
            println!("Replied to {}.", visible(&full));
            Ok(ExitCode::SUCCESS)
        }
        CommentCommand::Resolve { id, author } => {
            let root = root_here()?;
            let (mut store, i) = comments::find_comment(&root, id)?;
            let full = store.comments()[i].id.clone();
            let who = author_of(author, &root);
            store.resolve(&full, &who)?;
            saved(store.save_waiting(&mut waiting)?);
            println!("Resolved {}.", visible(&full));
            Ok(ExitCode::SUCCESS)
        }
        CommentCommand::Reopen { id } => {
            let root = root_here()?;
            let (mut store, i) = comments::find_comment(&root, id)?;
            let full = store.comments()[i].id.clone();
            store.reopen(&full)?;
            saved(store.save_waiting(&mut waiting)?);
            println!("Reopened {}.", visible(&full));
            Ok(ExitCode::SUCCESS)
        }
        CommentCommand::List {
            reference,
            all,
            json,
        } => list(reference, *all, *json, out),
    }
}

fn add(
    reference: &str,
    paragraph: &str,
    text: &str,
    actor: &Option<String>,
    author: &Option<String>,
    json: bool,
) -> Result<ExitCode> {
    if text.trim().is_empty() {
        bail!("the comment is empty");
    }
    let t = target(reference)?;
    let p = t.doc.paragraph(paragraph).or_else(|| {
        t.doc
            .paragraphs
            .iter()
            .find(|p| p.id.eq_ignore_ascii_case(paragraph))
    });
    let Some(p) = p else {
        let ids: Vec<&str> = t.doc.paragraphs.iter().map(|p| p.id.as_str()).collect();
        let shown = if ids.len() > 12 {
            format!(
                "{}, …, {}",
                ids[..6].join(", "),
                ids[ids.len() - 3..].join(", ")
            )
        } else {
            ids.join(", ")
        };
        bail!(
            "{} has no paragraph {}; its paragraphs are {}",
            t.given,
            visible(paragraph),
            shown
        );
    };
    let actor = match actor {
        None => None,
        Some(code) => {
            let actors = crate::actors::Actors::for_draft(&t.repo.root().join(&t.path))?;
            match actors.resolve_any_case(code) {
                Some(a) => Some(a.code.clone()),
                None => bail!(
                    "unknown actor {}: use an ISO 3166 alpha-3 code (EGY), a group (G77, EU) or a role (Chair), or add it to .brackets.toml",
                    visible(code)
                ),
            }
        }
    };
    let plain = p.plain_text(&t.doc.source);
    let excerpt: String = plain.chars().take(100).collect();
    let mut store = Store::open_repairing(t.repo.root(), &t.path)?;
    let comment = store
        .add(comments::NewComment {
            author: author_of(author, t.repo.root()),
            actor,
            iteration: t.commit.clone(),
            paragraph: p.id.clone(),
            fingerprint: comments::fingerprint(&t.doc, p),
            excerpt,
            text: text.to_string(),
        })
        .clone();
    saved(store.save_waiting(&mut waiting)?);
    let mut stdout = super::stdout();
    if json {
        super::json::to_writer_pretty(&mut stdout, &comment)?;
        writeln!(stdout)?;
    } else {
        writeln!(
            stdout,
            "Added comment {} on {} of {} at {}; it is kept in {} (commit it to share it).",
            comment.id,
            comment.paragraph,
            visible(&t.path),
            visible(&t.label),
            visible(&comments::path_for(&t.path))
        )?;
    }
    stdout.flush()?;
    Ok(ExitCode::SUCCESS)
}

#[derive(Serialize)]
struct ListJson<'a> {
    draft: &'a str,
    revision: &'a str,
    commit: &'a str,
    file: String,
    comments: Vec<CommentJson<'a>>,
}

#[derive(Serialize)]
struct CommentJson<'a> {
    #[serde(flatten)]
    comment: &'a Comment,
    /// Where it is found in the listed iteration: `{"anchor": "anchored", "paragraph", "exact"}`
    /// or `{"anchor": "orphaned"}`.
    place: &'a Place,
}

fn list(reference: &str, all: bool, json: bool, out: &Output) -> Result<ExitCode> {
    let t = target(reference)?;
    let store = Store::open(t.repo.root(), &t.path)?;
    let anchored = comments::anchor(&t.repo, &t.path, &t.doc, store.comments());
    let mut shown: Vec<&comments::Anchored> = anchored
        .iter()
        .filter(|a| all || a.comment.status == Status::Open)
        .collect();
    // Document order, orphans last, then by date.
    let order = |a: &comments::Anchored| {
        a.place
            .paragraph()
            .and_then(|id| t.doc.paragraphs.iter().position(|p| p.id == id))
            .unwrap_or(usize::MAX)
    };
    shown.sort_by(|a, b| {
        order(a)
            .cmp(&order(b))
            .then_with(|| a.comment.created.cmp(&b.comment.created))
    });
    let mut stdout = super::stdout();
    if json {
        let value = ListJson {
            draft: &t.path,
            revision: &t.label,
            commit: &t.commit,
            file: comments::path_for(&t.path),
            comments: shown
                .iter()
                .map(|a| CommentJson {
                    comment: a.comment,
                    place: &a.place,
                })
                .collect(),
        };
        super::json::to_writer_pretty(&mut stdout, &value)?;
        writeln!(stdout)?;
        stdout.flush()?;
        return Ok(ExitCode::SUCCESS);
    }
    if shown.is_empty() {
        writeln!(
            stdout,
            "No {}comments on {} at {}.",
            if all { "" } else { "open " },
            visible(&t.path),
            visible(&t.label)
        )?;
        stdout.flush()?;
        return Ok(ExitCode::SUCCESS);
    }
    let mut orphans_heading = false;
    for a in shown {
        let c = a.comment;
        let where_ = match &a.place {
            Place::Anchored { paragraph, exact } => {
                let at = c.iteration.get(..7).unwrap_or(&c.iteration);
                match (*exact, *paragraph == c.paragraph) {
                    (true, true) => paragraph.clone(),
                    (true, false) => format!("{paragraph} (was {})", c.paragraph),
                    (false, _) => format!(
                        "{paragraph} (made on {} at {at}; the text has changed since)",
                        c.paragraph
                    ),
                }
            }
            Place::Orphaned => {
                if !orphans_heading {
                    writeln!(
                        stdout,
                        "{}Orphaned: their paragraph is no longer in this iteration{}",
                        theme::HEADING.render(),
                        theme::HEADING.render_reset()
                    )?;
                    orphans_heading = true;
                }
                format!(
                    "was {} at {}: \"{}…\"",
                    c.paragraph,
                    &c.iteration.get(..7).unwrap_or(&c.iteration),
                    c.excerpt.chars().take(60).collect::<String>()
                )
            }
        };
        let status = match c.status {
            Status::Open => theme::WARNING,
            Status::Resolved => theme::AGREED,
        };
        let actor = c
            .actor
            .as_ref()
            .map(|a| format!(" ({})", visible(a)))
            .unwrap_or_default();
        writeln!(
            stdout,
            "{}{}{} {} {}{}{} {}{}{} {}",
            theme::ID.render(),
            visible(&where_),
            theme::ID.render_reset(),
            visible(&c.id),
            status.render(),
            c.status.as_str(),
            status.render_reset(),
            theme::DIM.render(),
            visible(&c.author),
            actor,
            format_args!("{}{}", visible(&c.created), theme::DIM.render_reset()),
        )?;
        let mut body = super::wrap::Styled::new();
        body.push(theme::PLAIN, &c.text);
        writeln!(stdout, "{}", body.wrap(out.width, "    ", 4).trim_end())?;
        for r in &c.replies {
            let mut reply = super::wrap::Styled::new();
            reply.push(theme::DIM, &format!("{}: ", r.author));
            reply.push(theme::PLAIN, &r.text);
            writeln!(
                stdout,
                "{}",
                reply.wrap(out.width, "      ↳ ", 8).trim_end()
            )?;
        }
    }
    stdout.flush()?;
    Ok(ExitCode::SUCCESS)
}
