//! `brackets import` (being built).

use anyhow::Result;
use std::process::ExitCode;

pub fn run(_args: &super::ImportArgs) -> Result<ExitCode> {
    anyhow::bail!("`brackets import` is not available yet")
}
