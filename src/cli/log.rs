//! `brackets log PATH`: the iterations of one draft, newest first, with how far the
//! negotiation had come at each (open brackets, agreed paragraphs).

use super::{Output, input, theme};
use crate::actors::Actors;
use crate::repo::{Iteration, Repo};
use crate::text::{fit, visible};
use anyhow::{Context, Result};
use serde::Serialize;
use std::io::Write;
use std::process::ExitCode;
use unicode_width::UnicodeWidthStr;

#[derive(Serialize)]
struct LogJson {
    path: String,
    /// A shallow clone: older iterations may be missing.
    shallow: bool,
    iterations: Vec<IterationJson>,
}

#[derive(Serialize)]
struct IterationJson {
    commit: String,
    short: String,
    label: String,
    tags: Vec<String>,
    date: String,
    author: String,
    email: String,
    message: String,
    proposed_by: Vec<String>,
    on_behalf_of: Vec<String>,
    /// The draft's path at this iteration (before a rename it differs from `path`).
    draft_path: String,
    open_brackets: usize,
    agreed_paragraphs: usize,
    paragraphs: usize,
}

pub fn run(args: &super::LogArgs, output: &Output) -> Result<ExitCode> {
    let reference = args
        .path
        .to_str()
        .map(str::to_string)
        .unwrap_or_else(|| args.path.display().to_string());
    let input::DraftHistory {
        given,
        repo,
        history,
        ..
    } = input::history(&reference, "list the iterations of")?;
    let actors = Actors::for_draft(&given)?;
    let mut rows = Vec::with_capacity(history.iterations.len());
    for it in &history.iterations {
        rows.push(row(&repo, it, &actors)?);
    }
    // Freeing libgit2's object cache (every commit and tree of the walk) took 7% of a log on a
    // 4,000-commit repository; the command ends here, so the system reclaims it instead.
    std::mem::forget(repo);
    let mut out = super::stdout();
    if args.json {
        let value = LogJson {
            path: given.display().to_string(),
            shallow: history.shallow,
            iterations: rows,
        };
        // Serialised first so a closed pipe surfaces as an io::Error (quietly ignored by main)
        // rather than inside a serde_json error.
        let text = super::json::to_string_pretty(&value)?;
        writeln!(out, "{text}")?;
        out.flush()?;
        return Ok(ExitCode::SUCCESS);
    }
    out.write_all(render(&given.display().to_string(), &rows, output.width).as_bytes())?;
    out.flush()?;
    Ok(ExitCode::SUCCESS)
}

fn row(repo: &Repo, it: &Iteration, actors: &Actors) -> Result<IterationJson> {
    let blob = repo
        .git()
        .find_blob(it.blob)
        .with_context(|| format!("cannot read {} at {}", it.path, it.short))?;
    // A binary or non-UTF-8 iteration still belongs in the log; its counts are zero.
    let doc = crate::repo::draft_str(blob.content())
        .ok()
        .map(|text| crate::parse::parse_with(text, actors));
    let (open_brackets, agreed_paragraphs, paragraphs) = doc.as_ref().map_or((0, 0, 0), |d| {
        (
            d.paragraphs.iter().map(|p| p.brackets.len()).sum(),
            d.paragraphs.iter().filter(|p| p.agreed.is_some()).count(),
            d.paragraphs.len(),
        )
    });
    Ok(IterationJson {
        commit: it.commit.clone(),
        short: it.short.clone(),
        label: it.label().to_string(),
        tags: it.tags.clone(),
        date: it.date(),
        author: it.author.clone(),
        email: it.email.clone(),
        message: it.message.clone(),
        proposed_by: it.proposed_by.clone(),
        on_behalf_of: it.on_behalf_of.clone(),
        draft_path: it.path.clone(),
        open_brackets,
        agreed_paragraphs,
        paragraphs,
    })
}

fn plural(n: usize, one: &str, many: &str) -> String {
    format!("{n} {}", if n == 1 { one } else { many })
}

/// Two or three lines per iteration: label, date, id, author; the state of the text; the
/// message's subject.
fn render(path: &str, rows: &[IterationJson], width: usize) -> String {
    use std::fmt::Write as _;
    let (id, dim, title) = (theme::ID, theme::DIM, theme::TITLE);
    let mut s = String::new();
    let _ = writeln!(
        s,
        "{title}{}{title:#}{dim}: {}, newest first{dim:#}\n",
        visible(path),
        plural(rows.len(), "iteration", "iterations")
    );
    let label_width = rows
        .iter()
        .map(|r| visible(&r.label).width())
        .max()
        .unwrap_or(0)
        .clamp(7, 24);
    let indent = " ".repeat(label_width + 2);
    for r in rows {
        let label = fit(&visible(&r.label), label_width);
        let pad = " ".repeat(label_width.saturating_sub(label.width()));
        let date = r.date.get(..16).unwrap_or(&r.date).replace('T', " ");
        let used = label_width + 2 + date.width() + 2 + r.short.width() + 2;
        let author = fit(&visible(&r.author), width.saturating_sub(used).max(8));
        let _ = write!(
            s,
            "{id}{label}{id:#}{pad}  {dim}{date}  {}{dim:#}  {author}",
            r.short
        );
        let _ = writeln!(s);
        let brackets = if r.open_brackets > 0 {
            theme::BRACKET_MARK
        } else {
            theme::AGREED
        };
        let agreed = if r.agreed_paragraphs > 0 {
            theme::AGREED
        } else {
            theme::PLAIN
        };
        let state = format!(
            "{}, {} of {} paragraphs agreed ad ref",
            plural(r.open_brackets, "open bracket", "open brackets"),
            r.agreed_paragraphs,
            r.paragraphs
        );
        let (open, rest) = state.split_once(", ").unwrap_or((&state, ""));
        let _ = write!(
            s,
            "{indent}{brackets}{open}{brackets:#}, {agreed}{rest}{agreed:#}"
        );
        // Who the iteration took proposals from, as far as the line allows.
        let room = width.saturating_sub(indent.len() + state.width() + "; from ".len());
        if !r.proposed_by.is_empty() && room >= 8 {
            let _ = write!(
                s,
                "{dim}; from {}{dim:#}",
                fit(&visible(&r.proposed_by.join(" ")), room)
            );
        }
        let _ = writeln!(s);
        let subject = r.message.lines().next().unwrap_or("");
        if !subject.is_empty() {
            let _ = writeln!(
                s,
                "{indent}{}",
                fit(
                    &visible(subject),
                    width.saturating_sub(indent.len()).max(20)
                )
            );
        }
        let _ = writeln!(s);
    }
    s
}
