//! `brackets actors`: who takes how many positions of each kind in one text.

use super::{Output, input, json, theme};
use anyhow::Result;
use std::io::Write;
use std::path::Path;
use std::process::ExitCode;
use unicode_width::UnicodeWidthStr;

pub fn run(path: &Path, as_json: bool, csv: bool, output: &Output) -> Result<ExitCode> {
    let loaded = input::load(path)?;
    let rows = json::actors(&loaded.doc, &loaded.actors);
    let mut out = super::stdout();
    if as_json {
        super::json::to_writer_pretty(
            &mut out,
            &json::ActorsJson {
                path: loaded.path,
                actors: rows,
            },
        )?;
        writeln!(out)?;
        out.flush()?;
        return Ok(ExitCode::SUCCESS);
    }
    if csv {
        writeln!(
            out,
            "actor,name,support,oppose,reserve,delete,note,proposed,paragraphs"
        )?;
        for r in rows {
            writeln!(
                out,
                "{},{},{},{},{},{},{},{},{}",
                csv_field(&r.actor),
                csv_field(r.name.as_deref().unwrap_or("")),
                r.support,
                r.oppose,
                r.reserve,
                r.delete,
                r.note,
                r.proposed,
                csv_field(&r.paragraphs.join(" "))
            )?;
        }
        out.flush()?;
        return Ok(ExitCode::SUCCESS);
    }
    if rows.is_empty() {
        writeln!(
            out,
            "No positions in {}.",
            crate::text::visible(&loaded.path)
        )?;
        out.flush()?;
        return Ok(ExitCode::SUCCESS);
    }
    // Columns: code, name (as wide as fits), then the counts.
    let counts = "  support oppose reserve delete note proposed";
    let name_width = output.width.saturating_sub(8 + counts.len()).clamp(10, 40);
    writeln!(
        out,
        "{}{:<8}{:<name_width$}{counts}{:#}",
        theme::HEADING,
        "actor",
        "name",
        theme::HEADING
    )?;
    for r in &rows {
        let name = r.name.clone().unwrap_or_else(|| "(unknown code)".into());
        let name = fit(&crate::text::visible(&name), name_width - 1);
        let cell = |n: usize, w: usize, style: anstyle::Style| {
            if n == 0 {
                format!("{:>w$}", "·")
            } else {
                format!("{style}{n:>w$}{style:#}")
            }
        };
        writeln!(
            out,
            "{}{:<8}{:#}{name}  {} {} {} {} {} {}",
            theme::ID,
            crate::text::visible(&r.actor),
            theme::ID,
            cell(r.support, 7, theme::stance(crate::model::Stance::Support)),
            cell(r.oppose, 6, theme::stance(crate::model::Stance::Oppose)),
            cell(r.reserve, 7, theme::stance(crate::model::Stance::Reserve)),
            cell(r.delete, 6, theme::stance(crate::model::Stance::Delete)),
            cell(r.note, 4, theme::NOTE),
            cell(r.proposed, 8, theme::PLAIN),
        )?;
    }
    let total: usize = rows.iter().map(json::ActorRow::total).sum();
    writeln!(
        out,
        "{}{} actors, {total} positions{:#}",
        theme::DIM,
        rows.len(),
        theme::DIM
    )?;
    out.flush()?;
    Ok(ExitCode::SUCCESS)
}

/// `text` cut or padded to exactly `width` columns.
fn fit(text: &str, width: usize) -> String {
    let mut out = String::new();
    let mut w = 0;
    for c in text.chars() {
        let cw = unicode_width::UnicodeWidthChar::width(c).unwrap_or(0);
        if w + cw > width.saturating_sub(1) && UnicodeWidthStr::width(text) > width {
            out.push('…');
            w += 1;
            break;
        }
        out.push(c);
        w += cw;
    }
    out.push_str(&" ".repeat(width.saturating_sub(w) + 1));
    out
}

fn csv_field(s: &str) -> String {
    if s.contains([',', '"', '\n', '\r']) {
        format!("\"{}\"", s.replace('"', "\"\""))
    } else {
        s.to_string()
    }
}
