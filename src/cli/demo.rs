//! `brackets demo`: the bundled example negotiation as a git repository under the cache folder.

use super::theme;
use crate::example;
use anyhow::{Context, Result};
use std::io::Write;
use std::process::ExitCode;

pub fn run(args: &super::DemoArgs) -> Result<ExitCode> {
    let demo = example::materialise().context("cannot prepare the example repository")?;
    let mut out = super::stdout();
    let path = demo.path.display().to_string();
    if args.path {
        writeln!(out, "{path}")?;
        out.flush()?;
        return Ok(ExitCode::SUCCESS);
    }
    let (b, t, d) = (theme::TITLE, theme::ID, theme::DIM);
    let state = if demo.rebuilt { "built" } else { "ready" };
    writeln!(
        out,
        "{b}An example negotiation on people-centred smart cities{b:#} {d}({state}){d:#}"
    )?;
    writeln!(out)?;
    writeln!(
        out,
        "  A draft resolution of the UN Habitat Assembly, from the secretariat's zero draft"
    )?;
    writeln!(
        out,
        "  through compilation texts full of bracketed proposals to the adopted text, and"
    )?;
    writeln!(
        out,
        "  international guidelines through three drafts with consultation comments."
    )?;
    writeln!(out)?;
    writeln!(out, "  {t}{}{t:#}", crate::text::visible(&path))?;
    writeln!(out)?;
    writeln!(out, "{d}Try:{d:#}")?;
    writeln!(out, "  cd \"$(brackets demo --path)\"")?;
    writeln!(
        out,
        "  brackets log resolution/people-centred-smart-cities.md"
    )?;
    writeln!(
        out,
        "  brackets show resolution/people-centred-smart-cities.md@compilation-2"
    )?;
    writeln!(
        out,
        "  brackets diff resolution/people-centred-smart-cities.md@rev1"
    )?;
    out.flush()?;
    Ok(ExitCode::SUCCESS)
}
