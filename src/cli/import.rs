//! `brackets import DIR --into REPO`: a folder of iterations and its iterations.json as a git
//! history.

use crate::repo::import;
use anyhow::{Context, Result};
use std::io::Write;
use std::process::ExitCode;

pub fn run(args: &super::ImportArgs) -> Result<ExitCode> {
    let summary = import::import_dir(&args.dir, &args.into).with_context(|| {
        format!(
            "cannot import {} into {}",
            args.dir.display(),
            args.into.display()
        )
    })?;
    let mut out = super::stdout();
    let repo = crate::text::visible(&summary.repo.display().to_string()).into_owned();
    if summary.created_repo {
        writeln!(out, "created repository {repo} (branch main)")?;
    }
    if summary.commits == 0 && summary.tags == 0 {
        writeln!(
            out,
            "{repo}: all {} iterations already present; nothing changed",
            summary.present
        )?;
    } else {
        let plural =
            |n: usize, one: &str, many: &str| format!("{n} {}", if n == 1 { one } else { many });
        writeln!(
            out,
            "{repo}: {}, {}{}",
            plural(summary.commits, "commit", "commits"),
            plural(summary.tags, "tag", "tags"),
            if summary.present > 0 {
                format!(" ({} iterations already present)", summary.present)
            } else {
                String::new()
            }
        )?;
    }
    out.flush()?;
    Ok(ExitCode::SUCCESS)
}
