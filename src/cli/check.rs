//! `brackets check`: one line per problem, `path:line:col: severity: message`.

use super::{input, json, theme};
use crate::model::Severity;
use anyhow::Result;
use serde::Serialize;
use std::io::Write;
use std::path::PathBuf;
use std::process::ExitCode;

#[derive(Serialize)]
struct FileJson {
    path: String,
    /// Set when the file could not be read.
    error: Option<String>,
    errors: usize,
    warnings: usize,
    diagnostics: Vec<json::DiagnosticJson>,
}

#[derive(Serialize)]
struct CheckJson {
    files: Vec<FileJson>,
}

pub fn run(paths: &[PathBuf], notes: bool, as_json: bool) -> Result<ExitCode> {
    let mut failed = false;
    let mut files = Vec::new();
    let mut out = super::stdout();
    let mut err = anstream::stderr().lock();
    for path in paths {
        let shown = crate::text::visible(&path.display().to_string()).into_owned();
        let loaded = match input::load(path) {
            Ok(l) => l,
            Err(e) => {
                failed = true;
                let message = crate::text::visible(&format!("{e:#}")).into_owned();
                if !as_json {
                    out.flush()?;
                    writeln!(err, "brackets: {message}")?;
                }
                files.push(FileJson {
                    path: shown,
                    error: Some(message),
                    errors: 0,
                    warnings: 0,
                    diagnostics: Vec::new(),
                });
                continue;
            }
        };
        let doc = &loaded.doc;
        let errors = doc
            .diagnostics
            .iter()
            .filter(|d| d.severity == Severity::Error)
            .count();
        let warnings = doc
            .diagnostics
            .iter()
            .filter(|d| d.severity == Severity::Warning)
            .count();
        failed |= errors > 0;
        if as_json {
            let diagnostics = json::diagnostics(doc)
                .into_iter()
                .filter(|d| notes || d.severity != Severity::Note)
                .collect();
            files.push(FileJson {
                path: shown,
                error: None,
                errors,
                warnings,
                diagnostics,
            });
            continue;
        }
        for d in doc
            .diagnostics
            .iter()
            .filter(|d| notes || d.severity != Severity::Note)
        {
            let style = theme::severity(d.severity);
            writeln!(
                out,
                "{shown}:{}:{}: {style}{}{style:#}: {}",
                d.line,
                d.column,
                d.severity,
                crate::text::visible(&d.message)
            )?;
        }
        let summary = match (errors, warnings) {
            (0, 0) => format!("{}ok{:#}", theme::AGREED, theme::AGREED),
            _ => format!(
                "{errors} error{}, {warnings} warning{}",
                plural(errors),
                plural(warnings)
            ),
        };
        out.flush()?;
        let paragraphs = doc.paragraphs.len();
        writeln!(
            err,
            "{shown}: {summary} ({paragraphs} paragraph{})",
            plural(paragraphs)
        )?;
    }
    if as_json {
        super::json::to_writer_pretty(&mut out, &CheckJson { files })?;
        writeln!(out)?;
    }
    Ok(if failed {
        ExitCode::from(1)
    } else {
        ExitCode::SUCCESS
    })
}

fn plural(n: usize) -> &'static str {
    if n == 1 { "" } else { "s" }
}
