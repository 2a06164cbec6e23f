//! `brackets show`: a draft as a negotiator reads it, paragraph by paragraph.

use super::{Output, input, json, theme, wrap::Styled};
use crate::model::{BlockKind, Document, LeafKind, Paragraph};
use anyhow::Result;
use std::io::Write;
use std::path::Path;
use std::process::ExitCode;
use unicode_width::UnicodeWidthStr;

#[derive(Clone, Copy)]
struct View<'a> {
    agreed: bool,
    actor: Option<&'a str>,
}

pub fn run(
    path: &Path,
    as_json: bool,
    agreed: bool,
    actor: Option<&str>,
    output: &Output,
) -> Result<ExitCode> {
    let loaded = input::load(path)?;
    let actor = actor.map(|a| {
        loaded
            .actors
            .resolve_any_case(a)
            .map_or_else(|| a.to_string(), |x| x.code.clone())
    });
    let doc = &loaded.doc;
    let filter = |p: &Paragraph| actor.as_deref().is_none_or(|a| p.actors().any(|x| x == a));
    let mut out = super::stdout();
    if as_json {
        let only: Option<&dyn Fn(&Paragraph) -> bool> =
            if actor.is_some() { Some(&filter) } else { None };
        let mut value = json::show(doc, &loaded.path, only);
        if agreed {
            for p in &mut value.paragraphs {
                p.text = p.agreed_text.clone();
            }
        }
        super::json::to_writer_pretty(&mut out, &value)?;
        writeln!(out)?;
        out.flush()?;
        return Ok(ExitCode::SUCCESS);
    }
    let view = View {
        agreed,
        actor: actor.as_deref(),
    };
    let text = render(doc, view, output.width, &filter);
    out.write_all(text.as_bytes())?;
    if let Some(a) = &actor
        && !doc.paragraphs.iter().any(filter)
    {
        writeln!(
            out,
            "{}{} takes no position in this text.{:#}",
            theme::DIM,
            crate::text::visible(a),
            theme::DIM
        )?;
    }
    let errors = doc
        .diagnostics
        .iter()
        .filter(|d| d.severity == crate::model::Severity::Error)
        .count();
    let warnings = doc
        .diagnostics
        .iter()
        .filter(|d| d.severity == crate::model::Severity::Warning)
        .count();
    if errors + warnings > 0 {
        let shown = crate::text::visible(&loaded.path);
        out.flush()?;
        let mut err = anstream::stderr().lock();
        let plural = |n: usize, what: &str| format!("{n} {what}{}", if n == 1 { "" } else { "s" });
        writeln!(
            err,
            "{}{}, {}: see `brackets check {shown}`{:#}",
            theme::DIM,
            plural(errors, "error"),
            plural(warnings, "warning"),
            theme::DIM
        )?;
    }
    out.flush()?;
    Ok(ExitCode::SUCCESS)
}

fn render(
    doc: &Document,
    view: View<'_>,
    width: usize,
    filter: &dyn Fn(&Paragraph) -> bool,
) -> String {
    let mut out = String::new();
    if let Some(title) = &doc.title {
        let mut s = Styled::new();
        s.push(theme::TITLE, &title.text);
        out.push_str(&s.wrap(width, "", 0));
        out.push('\n');
    }
    for line in &doc.header {
        let mut s = Styled::new();
        s.push(theme::DIM, &line.text);
        out.push_str(&s.wrap(width, "", 0));
        out.push('\n');
    }
    if let Some(chapeau) = &doc.chapeau {
        out.push('\n');
        let mut s = Styled::new();
        s.push(theme::PLAIN, &chapeau.text);
        out.push_str(&s.wrap(width, "", 0));
        out.push('\n');
    }
    let gutter = doc
        .paragraphs
        .iter()
        .map(|p| UnicodeWidthStr::width(p.id.as_str()))
        .max()
        .unwrap_or(3)
        .clamp(3, 14)
        + 2;
    let mut section_shown = None;
    for block in &doc.blocks {
        match block.kind {
            BlockKind::Heading(s) => {
                // A section none of whose paragraphs is shown (`--actor`) is left out whole.
                let mut in_section = doc.paragraphs.iter().filter(|p| p.section == s);
                if in_section.clone().next().is_some() && !in_section.any(&filter) {
                    continue;
                }
                let section = &doc.sections[s];
                let mut line = Styled::new();
                let title = [section.number.as_deref(), section.title.as_deref()]
                    .into_iter()
                    .flatten()
                    .collect::<Vec<_>>()
                    .join(" ");
                line.push(theme::HEADING, &title);
                out.push('\n');
                out.push_str(&line.wrap(width, "", 0));
                out.push('\n');
                section_shown = Some(s);
            }
            BlockKind::Paragraph(pi) => {
                let p = &doc.paragraphs[pi];
                if !filter(p) {
                    continue;
                }
                if section_shown != Some(p.section) {
                    section_shown = Some(p.section);
                    let mut line = Styled::new();
                    let name = match doc.sections[p.section].kind {
                        crate::model::SectionKind::Preamble => "Preamble".to_string(),
                        crate::model::SectionKind::Operative => "Operative part".to_string(),
                        _ => doc.sections[p.section].name(),
                    };
                    line.push(theme::HEADING, &name);
                    out.push('\n');
                    out.push_str(&line.wrap(width, "", 0));
                    out.push('\n');
                } else if p.level == crate::model::Level::Paragraph {
                    out.push('\n');
                }
                out.push_str(&paragraph(doc, pi, view, width, gutter));
            }
            _ => {}
        }
    }
    out
}

fn paragraph(doc: &Document, pi: usize, view: View<'_>, width: usize, gutter: usize) -> String {
    let p = &doc.paragraphs[pi];
    let src = &doc.source;
    let mut s = Styled::new();
    let mut depth = 0usize;
    // The agreed view hides attributions: no space is left before the comma after one.
    let hidden_before_punctuation = |k| view.agreed && p.groups_before_punctuation(src, k);
    for (k, leaf) in p.leaves.iter().enumerate() {
        let mut text = leaf.span.of(src);
        if leaf.kind == LeafKind::Text && hidden_before_punctuation(k + 1) {
            text = text.trim_end();
        }
        match leaf.kind {
            LeafKind::Text => s.push(
                if depth > 0 {
                    theme::BRACKETED
                } else {
                    theme::PLAIN
                },
                text,
            ),
            LeafKind::Break => s.push(theme::PLAIN, " "),
            LeafKind::Markup | LeafKind::Label | LeafKind::Stamp => {}
            LeafKind::Open(_) => {
                s.push(theme::BRACKET_MARK, "[");
                depth += 1;
            }
            LeafKind::Close(_) | LeafKind::OrphanClose(_) => {
                s.push(theme::BRACKET_MARK, "]");
                depth = depth.saturating_sub(1);
            }
            LeafKind::Group(g) if !view.agreed => group(&mut s, src, &p.groups[g], view.actor),
            LeafKind::Group(_) if hidden_before_punctuation(k) => {}
            LeafKind::Group(_) => s.push(theme::PLAIN, " "),
        }
    }
    let id = crate::text::visible(&p.id);
    let id_cols = UnicodeWidthStr::width(id.as_ref());
    let first = format!(
        "{}{id}{:#}{}",
        theme::ID,
        theme::ID,
        " ".repeat(gutter.saturating_sub(id_cols))
    );
    let mut out = s.wrap_after(width, &first, id_cols.max(gutter), gutter);
    out.push('\n');
    let pad = " ".repeat(gutter);
    if let Some(stamp) = &p.agreed {
        let date = stamp.date.as_deref().map(human_date);
        let when = [date.as_deref(), stamp.time.as_deref()]
            .into_iter()
            .flatten()
            .collect::<Vec<_>>()
            .join(" ");
        out.push_str(&format!(
            "{pad}{}✓ agreed ad ref {when}{:#}\n",
            theme::AGREED,
            theme::AGREED
        ));
    }
    if let Some(s) = doc.enclosing_spanning(pi) {
        out.push_str(&format!(
            "{pad}{}⋮ inside the bracket opened in {}{:#}\n",
            theme::DIM,
            crate::text::visible(&doc.paragraphs[s.open_paragraph].id),
            theme::DIM
        ));
    }
    out
}

/// `2023-05-22` as `22 May 2023`.
fn human_date(iso: &str) -> String {
    use crate::parse::MONTHS;
    let mut parts = iso.split('-').map(|p| p.parse::<usize>().unwrap_or(0));
    match (parts.next(), parts.next(), parts.next()) {
        (Some(y), Some(m @ 1..=12), Some(d)) => format!("{d} {} {y}", MONTHS[m - 1]),
        _ => iso.to_string(),
    }
}

/// An attribution group as written, each position coloured by its stance.
fn group(s: &mut Styled, src: &str, g: &crate::model::Group, focus: Option<&str>) {
    let mut at = g.span.start;
    for pos in &g.positions {
        if pos.span.start < at || pos.span.end > g.span.end {
            continue;
        }
        s.push(
            theme::GROUP,
            crate::model::Span::new(at, pos.span.start).of(src),
        );
        let style = if focus == Some(pos.actor.as_str()) {
            theme::FOCUS
        } else {
            theme::stance(pos.stance)
        };
        s.push(style, pos.span.of(src));
        at = pos.span.end;
    }
    let rest = crate::model::Span::new(at, g.span.end).of(src);
    match (&g.note, rest.strip_suffix('}')) {
        (Some(note), Some(body)) => {
            let focus_note = focus.is_some() && note.actor.as_deref() == focus;
            s.push(
                if focus_note {
                    theme::FOCUS
                } else {
                    theme::NOTE
                },
                body,
            );
            s.push(theme::GROUP, "}");
        }
        _ => s.push(theme::GROUP, rest),
    }
}

/// What `brackets` alone prints when it is not on a terminal (the terminal UI needs one): a
/// short tour on the bundled example, materialised as a git repository so every command can be
/// tried on real history.
pub fn welcome(output: &Output) -> Result<ExitCode> {
    let mut out = super::stdout();
    let mut s = Styled::new();
    s.push(theme::TITLE, "brackets");
    s.push(
        theme::PLAIN,
        " reads negotiated texts as secretariats write them: bracketed proposals with attributions, \
         such as [the right to privacy] {USA+ FRA-}{RUS reserve}. On a terminal, `brackets` opens \
         its terminal UI; every view also exists as a command: it checks drafts, shows them with \
         every proposal and position in colour, compares iterations paragraph by paragraph, \
         searches the whole history and follows who proposed what.",
    );
    writeln!(out, "{}\n", s.wrap(output.width, "", 0))?;
    let draft = "resolution/people-centred-smart-cities.md";
    match crate::example::materialise() {
        Ok(demo) => {
            let path = crate::text::visible(&demo.path.display().to_string()).into_owned();
            writeln!(
                out,
                "The bundled example negotiation is a git repository at {}{path}{:#}\n",
                theme::ID,
                theme::ID
            )?;
            writeln!(out, "  cd {path}")?;
        }
        Err(e) => {
            let why = crate::text::visible(&e.to_string()).into_owned();
            writeln!(
                out,
                "The bundled example could not be prepared ({why}); in a clone of brackets, try drafts/.\n"
            )?;
        }
    }
    for (cmd, what) in [
        (
            format!("brackets log {draft}"),
            "its six iterations, from zero draft to adoption",
        ),
        (
            format!("brackets diff {draft}@rev1"),
            "what the Chair's Rev.1 changed, proposal by proposal",
        ),
        (
            format!("brackets show {draft}@compilation-2 --actor RUS"),
            "one delegation's positions",
        ),
        (
            format!("brackets show {draft}@rev2 --agreed"),
            "the agreed-text view",
        ),
        (
            format!("brackets actors {draft}@compilation-1"),
            "who took how many positions",
        ),
        (
            format!("brackets diff {draft}@rev1 {draft}@rev2 --concordance"),
            "the concordance table",
        ),
        (
            "brackets search 'actor:EGY stance:oppose' --all-revisions".to_string(),
            "everything Egypt opposed, across the history",
        ),
        (
            format!("brackets actors {draft} --history"),
            "per delegation: proposals made, agreed, dropped; success rate",
        ),
        (
            format!("brackets progress {draft}"),
            "the bracket burndown over the iterations",
        ),
    ] {
        writeln!(
            out,
            "  {}{cmd}{:#}\n      {}{what}{:#}",
            theme::ID,
            theme::ID,
            theme::DIM,
            theme::DIM
        )?;
    }
    writeln!(out, "\nbrackets --help lists every command.")?;
    out.flush()?;
    Ok(ExitCode::SUCCESS)
}
